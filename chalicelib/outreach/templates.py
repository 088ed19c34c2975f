"""What a message says: a partner's templates per channel, locale and kind (or the
defaults), checked when set, and rendered into a `messages.Message` for one
recipient. The text rules themselves (placeholders, escaping, SMS segments) are pure,
in `core.message_text`.

Why checked when set: a template with `{{recipient_nmae}}` or `{{code}}` would go
out 50,000 times before anyone read one; a 422 naming the placeholder stops it at
the PUT. Why cached: the sender renders every message of a batch with the same
template; a Lambda reads it once a minute (TEMPLATE_CACHE_SECONDS), not per message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.core import message_text as mt
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.config import settings
from chalicelib.outreach import branding, messages, suppressions, zalo
from chalicelib.outreach.default_templates import DEFAULTS
from chalicelib.store import keys
from chalicelib.store.records import OutreachModel

CHANNELS = ("email", "sms", "zalo")
LOCALES = ("vi", "en")
KINDS = ("gift", "reminder")

FIELDS = {"email": ("subject", "html", "text"), "sms": ("text", "transliterate"),
          "zalo": ("zalo_template_id", "zalo_params")}
REQUIRED = {"email": ("subject", "html"), "sms": ("text",), "zalo": ("zalo_params",)}
ALL_FIELDS = ("subject", "html", "text", "transliterate", "zalo_template_id", "zalo_params")

_cache: Cache[tuple[str, str, str, str], schemas.Template] = Cache("outreach.templates", 2048)


def check_path(channel: str, locale: str, kind: str) -> None:
    """A template is named by its path; any other name is no template (404)."""
    if channel not in CHANNELS or locale not in LOCALES or kind not in KINDS:
        raise errors.NotFound(f"No template {channel[:20]}/{locale[:10]}/{kind[:20]}: channel "
                              f"is email|sms|zalo, locale vi|en, kind gift|reminder")


def validate(channel: str, body: schemas.TemplateBody) -> list[dict[str, str]]:
    """Every reason `body` cannot be the `channel` template (empty when it can)."""
    problems: list[dict[str, str]] = []
    for name in ALL_FIELDS:
        if getattr(body, name) is not None and name not in FIELDS[channel]:
            problems.append({"field": name, "message": f"does not apply to {channel} "
                                                       f"templates ({', '.join(FIELDS[channel])})"})
    for name in REQUIRED[channel]:
        if not getattr(body, name):
            problems.append({"field": name, "message": f"is required for {channel} templates"})
    texts: list[tuple[str, str, bool]] = []
    if channel == "email":
        texts = [("subject", body.subject or "", False), ("html", body.html or "", True),
                 ("text", body.text or "", body.text is not None)]
    elif channel == "sms":
        texts = [("text", body.text or "", True)]
    elif body.zalo_params:
        texts = [(f"zalo_params.{k}", v, False) for k, v in body.zalo_params.items()]
        if not any("gift_url" in mt.placeholders_in(v) for v in body.zalo_params.values()):
            problems.append({"field": "zalo_params", "message": (
                "one parameter must carry {{gift_url}}: the link is how the recipient "
                "reaches the gift")})
    for field, text, needs_link in texts:
        problems += [{"field": p.field, "message": p.message}
                     for p in mt.check(field, text, needs_link=needs_link)]
    return problems


def _answer(channel: str, locale: str, kind: str, data: dict[str, Any], source: str,
            updated_at: str | None) -> schemas.Template:
    fields = {k: v for k, v in data.items() if k in ALL_FIELDS}
    return schemas.Template(channel=channel, locale=locale, kind=kind,  # type: ignore[arg-type]
                            source=source, updated_at=updated_at,  # type: ignore[arg-type]
                            **fields)


def get(partner_id: str, channel: str, locale: str, kind: str) -> schemas.Template:
    """The partner's template, or the default while it has set none. Cached a minute."""
    check_path(channel, locale, kind)
    key = (partner_id, channel, locale, kind)
    found = _cache.get(key, max_age=settings().template_cache_seconds)
    if found is not None:
        return found
    try:
        item = OutreachModel.get(keys.template_key(partner_id), f"{channel}#{locale}#{kind}")
        found = _answer(channel, locale, kind, item.data or {}, "partner", item.updated_at)
    except OutreachModel.DoesNotExist:
        found = _answer(channel, locale, kind, DEFAULTS[(channel, locale, kind)], "default",
                        None)
    _cache.put(key, found)
    return found


def put(partner_id: str, channel: str, locale: str, kind: str, body: schemas.TemplateBody,
        now: datetime) -> schemas.Template:
    check_path(channel, locale, kind)
    problems = validate(channel, body)
    if problems:
        raise errors.ValidationError(problems)
    data = {k: v for k, v in msgspec.to_builtins(body).items() if v is not None}
    OutreachModel(keys.template_key(partner_id), f"{channel}#{locale}#{kind}",
                  partner_id=partner_id, data=data, updated_at=iso(now)).save()
    answer = _answer(channel, locale, kind, data, "partner", iso(now))
    _cache.put((partner_id, channel, locale, kind), answer)
    return answer


def reset(partner_id: str, channel: str, locale: str, kind: str) -> schemas.Template:
    """Back to the default (DELETE)."""
    check_path(channel, locale, kind)
    OutreachModel(keys.template_key(partner_id), f"{channel}#{locale}#{kind}").delete()
    _cache.pop((partner_id, channel, locale, kind))
    return get(partner_id, channel, locale, kind)


# ---------------------------------------------------------------- rendering


def _values(values: messages.Placeholders, locale: str) -> dict[str, str]:
    return mt.with_fallbacks(msgspec.to_builtins(values), locale)


def _render(partner_id: str, t: schemas.Template, values: dict[str, str], to: str,
            unsubscribe_url: str | None) -> messages.Message:
    if t.channel == "email":
        body = mt.fill(t.html or "", values, escape=True)
        url = unsubscribe_url or ""
        document = mt.email_document(body, locale=t.locale, partner_name=values["partner_name"],
                                     unsubscribe_url=url)
        plain = mt.fill(t.text, values) if t.text else mt.text_of_html(body)
        plain += "\n\n" + mt.email_text_footer(locale=t.locale,
                                               partner_name=values["partner_name"],
                                               unsubscribe_url=url)
        return messages.Message(channel="email", to=to, text=plain,
                                subject=" ".join(mt.fill(t.subject or "", values).split()),
                                html=document, unsubscribe_url=url,
                                sender_name=values["partner_name"])
    if t.channel == "sms":
        text = mt.fill(t.text or "", values)
        return messages.Message(channel="sms", to=to,
                                text=mt.fold(text) if t.transliterate else text)
    params = {k: mt.fill(v, values) for k, v in (t.zalo_params or {}).items()}
    template_id = t.zalo_template_id or zalo.template_id(partner_id, t.kind)
    if template_id is None:
        raise messages.Undeliverable("zalo_not_configured")
    sms = get(partner_id, "sms", t.locale, t.kind)
    return messages.Message(channel="zalo", to=to, text=mt.fill(sms.text or "", values),
                            zalo_template_id=template_id, zalo_params=params)


def render(partner_id: str, channel: str, locale: str, kind: messages.Kind,
           values: messages.Placeholders, to: str) -> messages.Message:
    """The message for one recipient, in the partner's template (or the default).
    An email carries its unsubscribe link (`suppressions.unsubscribe_url`); a Zalo
    message whose template id the operator has not set is Undeliverable
    (`zalo_not_configured`)."""
    t = get(partner_id, channel, locale, kind)
    unsubscribe = suppressions.unsubscribe_url(partner_id, to) if channel == "email" else None
    return _render(partner_id, t, _values(values, locale), to, unsubscribe)


SAMPLES = {
    "vi": {"recipient_name": "Nguyễn Thị Lan", "amount": "200.000 ₫",
           "expires_on": "31/01/2027"},
    "en": {"recipient_name": "Lan Nguyen", "amount": "200,000 VND",
           "expires_on": "31 Jan 2027"},
}
SAMPLE_TO = {"email": "lan.nguyen@example.com", "sms": "84901234567", "zalo": "84901234567"}
SAMPLE_GIFT_URL = "https://gifts.example.com/g/Xq7pK2mN9vR4tW8yB3cF6h"


def preview(partner_id: str, channel: str, locale: str, kind: str,
            request: schemas.PreviewRequest | None) -> schemas.Preview:
    """One message rendered with sample values (or those given), from the template in
    use or one given to try before saving it. Nothing is sent or stored."""
    check_path(channel, locale, kind)
    if request is not None and request.template is not None:
        problems = validate(channel, request.template)
        if problems:
            raise errors.ValidationError([{**p, "field": f"template.{p['field']}"}
                                          for p in problems])
        data = {k: v for k, v in msgspec.to_builtins(request.template).items()
                if v is not None}
        t = _answer(channel, locale, kind, data, "partner", None)
    else:
        t = get(partner_id, channel, locale, kind)
    values = {**SAMPLES[locale], "gift_url": SAMPLE_GIFT_URL,
              "partner_name": branding.display_name(partner_id)}
    if request is not None and request.values is not None:
        values.update({k: v for k, v in msgspec.to_builtins(request.values).items()
                       if v is not None})
    to = SAMPLE_TO[channel]
    if channel == "zalo" and t.zalo_template_id is None and \
            zalo.template_id(partner_id, kind) is None:
        t = msgspec.structs.replace(t, zalo_template_id="(set by the operator)")
    message = _render(partner_id, t, mt.with_fallbacks(values, locale), to,
                      suppressions.unsubscribe_url(partner_id, to) if channel == "email"
                      else None)
    sms = None
    if channel == "sms":
        size = mt.sms_size(message.text)
        sms = schemas.SmsCost(encoding=size.encoding,  # type: ignore[arg-type]
                              length=size.length, segments=size.segments)
    return schemas.Preview(channel=channel, locale=locale, kind=kind,  # type: ignore[arg-type]
                           to=to, text=message.text, subject=message.subject,
                           html=message.html, zalo_template_id=message.zalo_template_id,
                           zalo_params=message.zalo_params, sms=sms)
