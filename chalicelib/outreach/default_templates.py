"""The templates every partner has until it sets its own: each channel, locale and
kind. Written for a company sending its customers a Tết gift by the thousand: short,
warm, the partner's name first (the recipient must know who writes before trusting
a link), the amount, until when, and one link. Never the code.

SMS: the Vietnamese ones are written with their diacritics and sent without them
(`transliterate`): one GSM-7 segment holds 160 characters, a Vietnamese UCS-2 one
70, and a link alone takes 40 to 60. Each renders to one or two segments with a
typical gift link (`tests/unit/test_message_text.py` measures them).

Zalo: the parameters fill a ZNS template the partner registers with Zalo under
these parameter names (docs/delivery-channels.md); its id comes from the operator's
Zalo settings for the partner, per kind."""

from __future__ import annotations

from typing import Any

_EMAIL_GIFT_VI = """\
<p>Chào {{recipient_name}},</p>
<p><strong>{{partner_name}}</strong> gửi tặng bạn một phần quà trị giá \
<strong>{{amount}}</strong>.</p>
<p style="margin:24px 0"><a href="{{gift_url}}" style="background:#c8102e;color:#fff;\
padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">Mở quà</a></p>
<p>Quà dùng được đến hết ngày {{expires_on}}. Khi thanh toán, bạn chỉ cần mở trang quà \
và đưa mã QR cho thu ngân.</p>
<p>Nếu nút không mở được, hãy chép đường dẫn này vào trình duyệt:<br>\
<span style="word-break:break-all">{{gift_url}}</span></p>
<p>Thân mến,<br>{{partner_name}}</p>
"""

_EMAIL_GIFT_EN = """\
<p>Hi {{recipient_name}},</p>
<p><strong>{{partner_name}}</strong> has sent you a gift worth <strong>{{amount}}</strong>.</p>
<p style="margin:24px 0"><a href="{{gift_url}}" style="background:#c8102e;color:#fff;\
padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">Open your gift</a></p>
<p>It is valid through {{expires_on}}. To use it, open the gift page and show the QR code \
at the till.</p>
<p>If the button does not work, copy this link into your browser:<br>\
<span style="word-break:break-all">{{gift_url}}</span></p>
<p>Best wishes,<br>{{partner_name}}</p>
"""

_EMAIL_REMINDER_VI = """\
<p>Chào {{recipient_name}},</p>
<p>Phần quà <strong>{{amount}}</strong> từ <strong>{{partner_name}}</strong> của bạn sẽ \
hết hạn sau ngày <strong>{{expires_on}}</strong>.</p>
<p style="margin:24px 0"><a href="{{gift_url}}" style="background:#c8102e;color:#fff;\
padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">Dùng quà ngay</a></p>
<p>Nếu nút không mở được, hãy chép đường dẫn này vào trình duyệt:<br>\
<span style="word-break:break-all">{{gift_url}}</span></p>
<p>Thân mến,<br>{{partner_name}}</p>
"""

_EMAIL_REMINDER_EN = """\
<p>Hi {{recipient_name}},</p>
<p>A reminder: your <strong>{{amount}}</strong> gift from <strong>{{partner_name}}</strong> \
is valid through <strong>{{expires_on}}</strong>. Don't let it go to waste.</p>
<p style="margin:24px 0"><a href="{{gift_url}}" style="background:#c8102e;color:#fff;\
padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">Use your gift</a></p>
<p>If the button does not work, copy this link into your browser:<br>\
<span style="word-break:break-all">{{gift_url}}</span></p>
<p>Best wishes,<br>{{partner_name}}</p>
"""

ZALO_PARAMS = {"customer_name": "{{recipient_name}}", "partner_name": "{{partner_name}}",
               "amount": "{{amount}}", "expires_on": "{{expires_on}}",
               "gift_url": "{{gift_url}}"}
"""The parameter names a partner's ZNS templates are registered with."""

DEFAULTS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("email", "vi", "gift"): {
        "subject": "{{partner_name}} gửi tặng bạn món quà {{amount}}",
        "html": _EMAIL_GIFT_VI},
    ("email", "en", "gift"): {
        "subject": "A {{amount}} gift for you from {{partner_name}}",
        "html": _EMAIL_GIFT_EN},
    ("email", "vi", "reminder"): {
        "subject": "Quà {{amount}} của bạn sắp hết hạn ({{expires_on}})",
        "html": _EMAIL_REMINDER_VI},
    ("email", "en", "reminder"): {
        "subject": "Your {{amount}} gift is valid through {{expires_on}}",
        "html": _EMAIL_REMINDER_EN},
    ("sms", "vi", "gift"): {
        "text": "{{partner_name}} tặng bạn quà {{amount}}, dùng đến {{expires_on}}. "
                "Mở quà: {{gift_url}}",
        "transliterate": True},
    ("sms", "en", "gift"): {
        "text": "{{partner_name}} sent you a {{amount}} gift, valid through {{expires_on}}. "
                "Open it: {{gift_url}}",
        "transliterate": True},
    ("sms", "vi", "reminder"): {
        "text": "Quà {{amount}} từ {{partner_name}} hết hạn sau {{expires_on}}. "
                "Dùng ngay: {{gift_url}}",
        "transliterate": True},
    ("sms", "en", "reminder"): {
        "text": "Reminder: your {{amount}} gift from {{partner_name}} is valid through "
                "{{expires_on}}. Use it: {{gift_url}}",
        "transliterate": True},
    ("zalo", "vi", "gift"): {"zalo_params": ZALO_PARAMS},
    ("zalo", "en", "gift"): {"zalo_params": ZALO_PARAMS},
    ("zalo", "vi", "reminder"): {"zalo_params": ZALO_PARAMS},
    ("zalo", "en", "reminder"): {"zalo_params": ZALO_PARAMS},
}
