"""The pure rules of a message's text: placeholders, escaping, the email's plain part,
SMS encodings and segments, opt-out keywords, and that every default template passes
its own checks and fits its budget."""

from __future__ import annotations

import pytest

from chalicelib import schemas
from chalicelib.core import message_text as mt
from chalicelib.outreach import templates
from chalicelib.outreach.default_templates import DEFAULTS

VALUES = {"recipient_name": "Nguyễn Thị Lan", "amount": "200.000 ₫",
          "expires_on": "31/01/2027",
          "gift_url": "https://gifts.example.com/g/Xq7pK2mN9vR4tW8yB3cF6h",
          "partner_name": "Highlands Coffee"}


def test_unknown_placeholders_are_named_and_known_ones_pass() -> None:
    problems = mt.check("text", "Hi {{recipient_nmae}} {{ amount }} {{gift_url}} {{foo}}")
    assert len(problems) == 1
    assert "{{recipient_nmae}}, {{foo}}" in problems[0].message
    assert mt.check("text", "{{ recipient_name }} {{gift_url}}", needs_link=True) == []


@pytest.mark.parametrize("name", ["code", "gift_code", "voucher", "PIN"])
def test_a_code_placeholder_is_refused_with_the_link_suggested(name: str) -> None:
    [problem] = mt.check("text", "Your code: {{" + name + "}} {{gift_url}}")
    assert "never carries the gift's code" in problem.message
    assert "{{gift_url}}" in problem.message


def test_an_unclosed_brace_and_a_missing_link_are_refused() -> None:
    messages = [p.message for p in mt.check("text", "Hi {{recipient_name", needs_link=True)]
    assert any("not closed" in m for m in messages)
    assert any("must contain {{gift_url}}" in m for m in messages)


def test_html_values_are_escaped_and_text_values_are_not() -> None:
    values = {**VALUES, "recipient_name": '<b onclick="x">Lan</b> & co'}
    assert mt.fill("<p>{{recipient_name}}</p>", values, escape=True) == \
        "<p>&lt;b onclick=&quot;x&quot;&gt;Lan&lt;/b&gt; &amp; co</p>"
    assert mt.fill("{{recipient_name}}", values) == '<b onclick="x">Lan</b> & co'


def test_the_plain_part_keeps_paragraphs_and_links() -> None:
    text = mt.text_of_html('<p>Hi <b>Lan</b>,</p><p><a href="https://x.y/g/1">Open</a>'
                           '</p><p>Link:<br>https://x.y/g/1</p><style>p{}</style>')
    assert text == "Hi Lan,\nOpen (https://x.y/g/1)\nLink:\nhttps://x.y/g/1"


def test_sms_segments_follow_gsm7_and_ucs2() -> None:
    assert mt.sms_size("a" * 160) == mt.SmsSize("GSM-7", 160, 1)
    assert mt.sms_size("a" * 161) == mt.SmsSize("GSM-7", 161, 2)
    assert mt.sms_size("€" * 80).length == 160  # an extended character takes two
    assert mt.sms_size("ặ" * 70) == mt.SmsSize("UCS-2", 70, 1)
    assert mt.sms_size("ặ" * 71) == mt.SmsSize("UCS-2", 71, 2)
    assert mt.sms_size("ặ" * 135).segments == 3


def test_fold_writes_vietnamese_without_diacritics_in_gsm7() -> None:
    folded = mt.fold("Tặng bạn quà 200.000 ₫ – Đà Nẵng")
    assert folded == "Tang ban qua 200.000 VND - Da Nang"
    assert mt.sms_size(folded).encoding == "GSM-7"


@pytest.mark.parametrize("body", ["STOP", "stop", " Stop.", "TU CHOI", "tu choi", "Từ chối",
                                  "TỪ CHỐI", "tuchoi", "STOP please"])
def test_opt_out_replies_are_recognised(body: str) -> None:
    assert mt.is_opt_out(body)


@pytest.mark.parametrize("body", ["", "thanks", "Stopping by later", "Không", "Tu"])
def test_other_replies_are_not_opt_outs(body: str) -> None:
    assert not mt.is_opt_out(body)


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_default_template_passes_its_own_checks(key: tuple[str, str, str]) -> None:
    channel, _, _ = key
    body = schemas.TemplateBody(**DEFAULTS[key])
    assert templates.validate(channel, body) == []


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["gift", "reminder"])
def test_default_sms_fit_two_gsm7_segments_with_a_real_link(locale: str, kind: str) -> None:
    text = mt.fold(mt.fill(DEFAULTS[("sms", locale, kind)]["text"], VALUES))
    size = mt.sms_size(text)
    assert size.encoding == "GSM-7" and size.segments <= 2, (text, size)
    assert VALUES["gift_url"] in text


def test_a_nameless_recipient_is_greeted_in_the_locale() -> None:
    assert mt.with_fallbacks({**VALUES, "recipient_name": " "}, "vi")["recipient_name"] == "bạn"
    assert mt.with_fallbacks({**VALUES, "recipient_name": ""}, "en")["recipient_name"] == "there"
