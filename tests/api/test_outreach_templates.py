"""Message templates over HTTP: the defaults, setting one, the 422s that name what is
wrong, the preview, and `templates.render` for each channel."""

from __future__ import annotations

import pytest

from chalicelib.outreach import messages, templates
from tests.helpers import ADMIN, Api, assert_problem

T = "/v1/delivery/templates"
VALUES = messages.Placeholders(recipient_name="Lan <3", amount="200.000 ₫",
                               expires_on="31/01/2027",
                               gift_url="https://gifts.example.com/g/abc?x=1&y=2",
                               partner_name="Highlands Coffee")


@pytest.mark.parametrize("channel", ["email", "sms", "zalo"])
@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["gift", "reminder"])
def test_every_channel_locale_and_kind_has_a_default(api: Api, partner: dict, channel: str,
                                                     locale: str, kind: str) -> None:
    r = api.call("GET", f"{T}/{channel}/{locale}/{kind}", key=partner["key"])
    assert r.status_code == 200, r.json_body
    assert r.json_body["source"] == "default"
    assert (r.json_body["channel"], r.json_body["locale"], r.json_body["kind"]) == \
        (channel, locale, kind)


def test_an_unknown_channel_locale_or_kind_is_404(api: Api, partner: dict) -> None:
    for path in ("fax/vi/gift", "sms/fr/gift", "sms/vi/birthday"):
        r = api.call("GET", f"{T}/{path}", key=partner["key"])
        assert_problem(r, 404, "not_found")


def test_a_set_template_is_read_back_and_reset_to_the_default(api: Api, partner: dict) -> None:
    body = {"text": "{{partner_name}}: qua {{amount}} cho {{recipient_name}} {{gift_url}}"}
    r = api.call("PUT", f"{T}/sms/vi/gift", body, key=partner["key"])
    assert r.status_code == 200, r.json_body
    assert r.json_body["source"] == "partner" and r.json_body["text"] == body["text"]
    got = api.call("GET", f"{T}/sms/vi/gift", key=partner["key"]).json_body
    assert got["text"] == body["text"] and got["updated_at"]
    reset = api.call("DELETE", f"{T}/sms/vi/gift", key=partner["key"]).json_body
    assert reset["source"] == "default"


def test_unknown_placeholders_are_422_naming_them(api: Api, partner: dict) -> None:
    r = api.call("PUT", f"{T}/email/en/gift",
                 {"subject": "Hi {{first_name}}", "html": "<p>{{gift_url}} {{amout}}</p>"},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")
    fields = {e["field"]: e["message"] for e in r.json_body["errors"]}
    assert "{{first_name}}" in fields["subject"] and "{{amout}}" in fields["html"]


@pytest.mark.parametrize("channel,body", [
    ("sms", {"text": "Your code {{code}} {{gift_url}}"}),
    ("zalo", {"zalo_params": {"code": "{{gift_code}}", "link": "{{gift_url}}"}}),
    ("email", {"subject": "Gift", "html": "<p>{{voucher_code}} {{gift_url}}</p>"}),
])
def test_a_template_asking_for_the_code_is_refused(api: Api, partner: dict, channel: str,
                                                  body: dict) -> None:
    r = api.call("PUT", f"{T}/{channel}/vi/gift", body, key=partner["key"])
    assert_problem(r, 422, "validation_error")
    assert any("never carries the gift's code" in e["message"] for e in r.json_body["errors"])


def test_sms_and_zalo_templates_must_carry_the_link(api: Api, partner: dict) -> None:
    r = api.call("PUT", f"{T}/sms/en/gift", {"text": "Hi {{recipient_name}}"},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")
    r = api.call("PUT", f"{T}/zalo/en/gift", {"zalo_params": {"name": "{{recipient_name}}"}},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")


def test_fields_of_another_channel_are_refused(api: Api, partner: dict) -> None:
    r = api.call("PUT", f"{T}/sms/en/gift", {"text": "{{gift_url}}", "html": "<p>x</p>"},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")
    assert r.json_body["errors"][0]["field"] == "html"


def test_templates_need_campaigns_write(api: Api) -> None:
    reader = api.partner("Reader", scopes=["reports:read"])
    r = api.call("PUT", f"{T}/sms/en/gift", {"text": "{{gift_url}}"}, key=reader["key"])
    assert_problem(r, 403, "insufficient_scope")


def test_preview_renders_the_default_sms_with_samples_and_says_its_segments(
        api: Api, partner: dict) -> None:
    r = api.call("POST", f"{T}/sms/vi/gift/preview", key=partner["key"])
    assert r.status_code == 200, r.json_body
    body = r.json_body
    assert body["text"].startswith("Acme Coffee tang ban qua 200.000 VND")
    assert body["sms"]["encoding"] == "GSM-7" and body["sms"]["segments"] in (1, 2)


def test_preview_with_given_values_and_an_unsaved_template(api: Api, partner: dict) -> None:
    r = api.call("POST", f"{T}/email/en/gift/preview", {
        "values": {"recipient_name": "<Lan>"},
        "template": {"subject": "For {{recipient_name}}",
                     "html": "<p>Dear {{recipient_name}}, <a href=\"{{gift_url}}\">open</a></p>"}},
        key=partner["key"])
    assert r.status_code == 200, r.json_body
    body = r.json_body
    assert body["subject"] == "For <Lan>"
    assert "Dear &lt;Lan&gt;" in body["html"] and "<Lan>" not in body["html"]
    assert "/u/" in body["html"] and "Unsubscribe" in body["html"]
    assert "Dear <Lan>, open (https://gifts.example.com/g/" in body["text"]
    # nothing was saved
    assert api.call("GET", f"{T}/email/en/gift", key=partner["key"]).json_body["source"] == \
        "default"


def test_preview_refuses_a_bad_template_naming_the_field(api: Api, partner: dict) -> None:
    r = api.call("POST", f"{T}/sms/en/gift/preview", {"template": {"text": "{{cod}}"}},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")
    assert r.json_body["errors"][0]["field"] == "template.text"


def test_render_email_escapes_values_and_carries_the_unsubscribe_link(
        api: Api, partner: dict) -> None:
    m = templates.render(partner["id"], "email", "vi", "gift", VALUES, "lan@example.com")
    assert m.channel == "email" and m.to == "lan@example.com"
    assert "Lan &lt;3" in (m.html or "") and "Lan <3" not in (m.html or "")
    assert 'href="https://gifts.example.com/g/abc?x=1&amp;y=2"' in (m.html or "")
    assert m.unsubscribe_url and m.unsubscribe_url in m.text
    assert "lan@example.com" not in m.unsubscribe_url
    assert m.subject == "Highlands Coffee gửi tặng bạn món quà 200.000 ₫"


def test_render_sms_is_folded_and_carries_the_link(api: Api, partner: dict) -> None:
    m = templates.render(partner["id"], "sms", "vi", "reminder", VALUES, "0901234567")
    assert m.text == ("Qua 200.000 VND tu Highlands Coffee het han sau 31/01/2027. "
                      "Dung ngay: https://gifts.example.com/g/abc?x=1&y=2")


def test_render_zalo_uses_the_operators_template_id(api: Api, partner: dict) -> None:
    with pytest.raises(messages.Undeliverable) as refused:
        templates.render(partner["id"], "zalo", "vi", "gift", VALUES, "0901234567")
    assert refused.value.reason == "zalo_not_configured"
    api.call("PUT", f"/v1/admin/partners/{partner['id']}/zalo",
             {"oa_access_token": "oa-token-123456789", "template_ids": {"gift": "231456"}},
             headers=ADMIN)
    m = templates.render(partner["id"], "zalo", "vi", "reminder", VALUES, "0901234567")
    assert m.zalo_template_id == "231456"  # a reminder without its own uses the gift's
    assert m.zalo_params == {"customer_name": "Lan <3", "partner_name": "Highlands Coffee",
                             "amount": "200.000 ₫", "expires_on": "31/01/2027",
                             "gift_url": "https://gifts.example.com/g/abc?x=1&y=2"}
