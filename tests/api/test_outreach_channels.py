"""How messages leave (moto's SES v2 and SNS, a fake ZNS server), the suppression
list and the unsubscribe link, feedback from SES and SMS replies, the operator's
Zalo token at rest, and the local outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from chalicelib.core import config
from chalicelib.outreach import channels, feedback, messages, suppressions, templates
from chalicelib.store.records import OutreachModel
from tests.helpers import ADMIN, Api, assert_problem
from tests.helpers.dynamo import aws_error, count_data_calls
from tests.helpers.fake_zns import FakeZns

SENDER = "gifts@example.com"
VALUES = messages.Placeholders(recipient_name="Lan", amount="200.000 ₫",
                               expires_on="31/01/2027",
                               gift_url="https://gifts.example.com/g/Xq7pK2mN9vR4tW8yB3cF6h",
                               partner_name="Highlands Coffee")
CODE = "7KQ2M9XD4P"


@pytest.fixture
def ses_sender(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SES_FROM_ADDRESS", SENDER)
    monkeypatch.setenv("SES_CONFIGURATION_SET", "rewards-feedback")
    monkeypatch.setenv("SMS_SENDER_ID", "GIFTS")
    config.reset()
    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=SENDER)


@pytest.fixture
def zns(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeZns]:
    fake = FakeZns(template_keys={"customer_name", "partner_name", "amount", "expires_on",
                                  "gift_url"}).start()
    monkeypatch.setenv("ZNS_BASE_URL", fake.url)
    config.reset()
    yield fake
    fake.stop()


def sent_emails() -> list:
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def sent_sms() -> dict:
    return dict(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages)


def set_zalo(api: Api, partner_id: str, token: str = "oa-token-123456789") -> dict:
    r = api.call("PUT", f"/v1/admin/partners/{partner_id}/zalo",
                 {"oa_access_token": token, "template_ids": {"gift": "231456",
                                                             "reminder": "231457"}},
                 headers=ADMIN)
    assert r.status_code == 200, r.json_body
    return r.json_body


# ------------------------------------------------------------------- email


def test_an_email_lands_in_ses_with_the_link_and_the_unsubscribe_footer(
        partner: dict, ses_sender: None) -> None:
    message = templates.render(partner["id"], "email", "en", "gift", VALUES, "lan@example.com")
    before = len(sent_emails())
    sent = channels.send(partner["id"], message)
    [email] = sent_emails()[before:]
    assert email.id == sent.provider_id
    assert email.destinations == {"ToAddresses": ["lan@example.com"]}
    assert email.subject == "A 200.000 ₫ gift for you from Highlands Coffee"
    assert email.source == "Highlands Coffee <gifts@example.com>"  # the partner sends it
    assert VALUES.gift_url in email.body and "/u/" in email.body
    assert "Unsubscribe from Highlands Coffee" in email.body
    assert CODE not in email.body


def test_email_asks_ses_for_one_click_unsubscribe_and_tags_the_partner(
        partner: dict, ses_sender: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []
    real = channels.ses()
    monkeypatch.setattr(channels, "ses", lambda: _Recording(real, calls))
    message = templates.render(partner["id"], "email", "vi", "reminder", VALUES,
                               "lan@example.com")
    channels.send(partner["id"], message)
    [request] = calls
    headers = {h["Name"]: h["Value"] for h in request["Content"]["Simple"]["Headers"]}
    assert headers == {"List-Unsubscribe": f"<{message.unsubscribe_url}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    assert request["ConfigurationSetName"] == "rewards-feedback"
    assert request["EmailTags"] == [{"Name": "partner_id", "Value": partner["id"]}]
    body = request["Content"]["Simple"]["Body"]
    assert body["Html"]["Data"].startswith("<!doctype html>") and body["Text"]["Data"]


class _Recording:
    def __init__(self, client: object, calls: list[dict]) -> None:
        self.client, self.calls = client, calls

    def send_email(self, **request: object) -> dict:
        self.calls.append(request)
        return self.client.send_email(**request)  # type: ignore[attr-defined]


def test_ses_refusing_the_sender_is_undeliverable(partner: dict, aws: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SES_FROM_ADDRESS", "unverified@example.org")
    config.reset()
    message = templates.render(partner["id"], "email", "en", "gift", VALUES, "lan@example.com")
    with pytest.raises(messages.Undeliverable) as refused:
        channels.send(partner["id"], message)
    assert refused.value.reason == "rejected"


def test_ses_throttling_is_channel_down(partner: dict, ses_sender: None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    class Throttled:
        def send_email(self, **request: object) -> dict:
            raise aws_error("TooManyRequestsException")

    monkeypatch.setattr(channels, "ses", Throttled)
    message = templates.render(partner["id"], "email", "en", "gift", VALUES, "lan@example.com")
    with pytest.raises(messages.ChannelDown):
        channels.send(partner["id"], message)


# --------------------------------------------------------------------- SMS


def test_an_sms_lands_in_sns_with_the_link_and_no_code(partner: dict, ses_sender: None) -> None:
    message = templates.render(partner["id"], "sms", "vi", "gift", VALUES, "0901 234 567")
    sent = channels.send(partner["id"], message)
    number, text = sent_sms()[sent.provider_id]
    assert number == "+84901234567"
    assert VALUES.gift_url in text and CODE not in text
    assert text.startswith("Highlands Coffee tang ban qua 200.000 VND")


def test_a_send_reads_one_dynamodb_item_call_and_writes_nothing(
        partner: dict, ses_sender: None, monkeypatch: pytest.MonkeyPatch) -> None:
    sms = templates.render(partner["id"], "sms", "en", "gift", VALUES, "0901234567")
    email = templates.render(partner["id"], "email", "en", "gift", VALUES, "lan@example.com")
    calls = count_data_calls(monkeypatch)
    channels.send(partner["id"], sms)  # the partner's list and the platform's STOP list
    channels.send(partner["id"], email)
    assert calls == ["BatchGetItem", "GetItem"]


def test_an_invalid_number_is_undeliverable(partner: dict, ses_sender: None) -> None:
    message = messages.Message(channel="sms", to="not a number", text="hi")
    with pytest.raises(messages.Undeliverable) as refused:
        channels.send(partner["id"], message)
    assert refused.value.reason == "invalid_phone"


# -------------------------------------------------------------------- Zalo


def test_zns_request_has_zalos_shape(api: Api, partner: dict, zns: FakeZns) -> None:
    set_zalo(api, partner["id"])
    message = templates.render(partner["id"], "zalo", "vi", "gift", VALUES, "+84 901 234 567")
    sent = channels.send(partner["id"], message)
    assert zns.problems == []
    [request] = zns.requests
    assert request["headers"]["access_token"] == "oa-token-123456789"
    body = request["body"]
    assert body["phone"] == "84901234567" and body["template_id"] == "231456"
    assert body["template_data"]["gift_url"] == VALUES.gift_url
    assert CODE not in json.dumps(body) and body["tracking_id"]
    assert sent.provider_id == "zalo-msg1"


@pytest.mark.parametrize("code,reason", [(-108, "invalid_phone"), (-118, "no_zalo_account"),
                                         (-139, "zalo_recipient_declined")])
def test_zalo_refusals_for_good_are_undeliverable(api: Api, partner: dict, zns: FakeZns,
                                                  code: int, reason: str) -> None:
    set_zalo(api, partner["id"])
    zns.answer_error(code)
    message = templates.render(partner["id"], "zalo", "en", "gift", VALUES, "0901234567")
    with pytest.raises(messages.Undeliverable) as refused:
        channels.send(partner["id"], message)
    assert refused.value.reason == reason


def test_zalo_token_quota_and_outages_are_channel_down(api: Api, partner: dict,
                                                      zns: FakeZns) -> None:
    set_zalo(api, partner["id"])
    message = templates.render(partner["id"], "zalo", "en", "gift", VALUES, "0901234567")
    for code in (-124, -115, -144):
        zns.answer_error(code)
        with pytest.raises(messages.ChannelDown):
            channels.send(partner["id"], message)
    zns.answer_status(503)
    with pytest.raises(messages.ChannelDown):
        channels.send(partner["id"], message)


def test_zalo_without_an_account_is_undeliverable(partner: dict, zns: FakeZns) -> None:
    message = messages.Message(channel="zalo", to="0901234567", text="x",
                               zalo_template_id="1", zalo_params={"gift_url": "u"})
    with pytest.raises(messages.Undeliverable) as refused:
        channels.send(partner["id"], message)
    assert refused.value.reason == "zalo_not_configured"
    assert zns.requests == []


def test_the_oa_token_is_sealed_at_rest_and_never_returned(api: Api, partner: dict) -> None:
    token = "SECRET-oa-token-0123456789"
    answer = set_zalo(api, partner["id"], token)
    assert token not in json.dumps(answer)
    assert answer["token_set"] is True and answer["oa_access_token"] == "…6789"
    got = api.call("GET", f"/v1/admin/partners/{partner['id']}/zalo", headers=ADMIN).json_body
    assert token not in json.dumps(got)
    dump = json.dumps([i.to_simple_dict() for i in OutreachModel.scan()])
    assert token not in dump and "SECRET" not in dump
    r = api.call("PUT", "/v1/admin/partners/prt_nobody/zalo",
                 {"oa_access_token": token, "template_ids": {"gift": "1"}}, headers=ADMIN)
    assert_problem(r, 404, "not_found")
    r = api.call("PUT", f"/v1/admin/partners/{partner['id']}/zalo",
                 {"oa_access_token": token, "template_ids": {"gift": "1"}},
                 key=partner["key"])
    assert r.status_code == 401


# ------------------------------------------------------------ suppressions


def test_a_suppressed_contact_is_not_sent_to(api: Api, partner: dict, ses_sender: None) -> None:
    r = api.call("PUT", "/v1/delivery/suppressions/" + quote("+84 901 234 567"),
                 key=partner["key"])
    assert r.status_code == 201 and r.json_body["reason"] == "manual"
    message = templates.render(partner["id"], "sms", "en", "gift", VALUES, "0901234567")
    before = len(sent_sms())
    with pytest.raises(messages.Undeliverable) as refused:
        channels.send(partner["id"], message)
    assert refused.value.reason == "suppressed"
    assert len(sent_sms()) == before
    # another partner's list is its own
    other = api.partner("Other")
    assert not suppressions.is_suppressed(other["id"], "0901234567")


def test_suppressions_are_read_and_lifted_over_http(api: Api, partner: dict) -> None:
    path = "/v1/delivery/suppressions/" + quote("Lan@Example.com", safe="")
    assert_problem(api.call("GET", path, key=partner["key"]), 404, "not_found")
    suppressions.add(partner["id"], "lan@example.com", "bounce")
    got = api.call("GET", path, key=partner["key"])
    assert got.status_code == 200
    assert got.json_body["reason"] == "bounce" and got.json_body["contact"] == "l***@example.com"
    assert api.call("DELETE", path, key=partner["key"]).status_code == 204
    assert_problem(api.call("DELETE", path, key=partner["key"]), 404, "not_found")
    assert not suppressions.is_suppressed(partner["id"], "lan@example.com")


def test_a_dump_of_the_suppression_list_shows_no_contact(partner: dict, aws: None) -> None:
    suppressions.add(partner["id"], "lan.nguyen@example.com", "complaint")
    suppressions.add(partner["id"], "+84 901 234 567", "sms_stop")
    dump = json.dumps([i.to_simple_dict() for i in OutreachModel.scan()])
    for clear in ("lan.nguyen", "example.com", "901234567", "0901"):
        assert clear not in dump


def test_the_unsubscribe_link_asks_then_suppresses(api: Api, partner: dict) -> None:
    url = suppressions.unsubscribe_url(partner["id"], "lan@example.com")
    path = urlsplit(url).path
    assert "lan" not in path
    page = api.call("GET", path)
    assert page.status_code == 200 and "<form method=\"post\"" in page.body.decode()
    assert not suppressions.is_suppressed(partner["id"], "lan@example.com")  # a GET is no click
    # a mail client's RFC 8058 one-click POST
    done = api.call("POST", path, raw="List-Unsubscribe=One-Click",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "Acme Coffee" in done.body.decode()
    assert suppressions.find(partner["id"], "LAN@example.com").reason == "unsubscribe"


def test_an_altered_unsubscribe_link_names_nothing(api: Api, partner: dict) -> None:
    path = urlsplit(suppressions.unsubscribe_url(partner["id"], "lan@example.com")).path
    other = urlsplit(suppressions.unsubscribe_url(partner["id"], "bob@example.com")).path
    forged = path.split(".")[0] + "." + other.split(".", 1)[1]
    assert_problem(api.call("POST", forged), 404, "not_found")
    assert_problem(api.call("GET", "/u/garbage"), 404, "not_found")


# ---------------------------------------------------------------- feedback


def ses_event(kind: str, partner_id: str, **extra: object) -> str:
    return json.dumps({"eventType": kind, "mail": {
        "messageId": "ses-1", "destination": ["lan@example.com"],
        "tags": {"partner_id": [partner_id]}}, **extra})


class Recorder:
    def __init__(self) -> None:
        self.items: list[messages.Feedback] = []

    def __call__(self, items: list[messages.Feedback]) -> int:
        self.items += items
        return len(items)


def test_a_permanent_bounce_is_bounced_and_suppressed(partner: dict, aws: None) -> None:
    applied = Recorder()
    event = ses_event("Bounce", partner["id"], bounce={
        "bounceType": "Permanent", "bounceSubType": "NoEmail",
        "bouncedRecipients": [{"emailAddress": "lan@example.com"}]})
    handled = feedback.handle(event, applied)
    assert applied.items == [messages.Feedback("ses-1", "bounced", "bounce: NoEmail")]
    assert handled.suppressed == 1
    assert suppressions.find(partner["id"], "lan@example.com").reason == "bounce"


def test_a_transient_bounce_changes_nothing(partner: dict, aws: None) -> None:
    applied = Recorder()
    event = ses_event("Bounce", partner["id"], bounce={
        "bounceType": "Transient", "bouncedRecipients": [{"emailAddress": "lan@example.com"}]})
    assert feedback.handle(event, applied).suppressed == 0
    assert applied.items == [] and not suppressions.is_suppressed(partner["id"],
                                                                  "lan@example.com")


def test_complaints_deliveries_and_rejects_map_to_statuses(partner: dict, aws: None) -> None:
    applied = Recorder()
    feedback.handle(ses_event("Complaint", partner["id"], complaint={
        "complainedRecipients": [{"emailAddress": "lan@example.com"}],
        "complaintFeedbackType": "abuse"}), applied)
    feedback.handle(ses_event("Delivery", partner["id"], delivery={}), applied)
    feedback.handle(ses_event("Reject", partner["id"], reject={"reason": "Bad content"}),
                    applied)
    feedback.handle(ses_event("Rendering Failure", partner["id"],
                              failure={"errorMessage": "missing"}), applied)
    feedback.handle(ses_event("Open", partner["id"]), applied)
    assert [(f.status, f.reason) for f in applied.items] == [
        ("complained", "complaint: abuse"), ("delivered", None),
        ("failed", "rejected: Bad content"), ("failed", "missing")]
    assert suppressions.find(partner["id"], "lan@example.com").reason == "complaint"


@pytest.mark.parametrize("body", ["STOP", "Từ chối", "tu choi"])
def test_an_sms_stop_reply_suppresses_the_number(partner: dict, aws: None, body: str) -> None:
    reply = json.dumps({"originationNumber": "+84901234567", "destinationNumber": "+15550100",
                        "messageBody": body, "previousPublishedMessageId": "sns-9"})
    handled = feedback.handle(reply, Recorder(), partner_of={"sns-9": partner["id"]}.get)
    assert handled.suppressed == 1
    assert suppressions.find(partner["id"], "0901234567").reason == "sms_stop"
    suppressions.remove(partner["id"], "0901234567")


def test_a_stop_for_an_unknown_message_stops_sms_from_every_partner(
        api: Api, partner: dict, ses_sender: None) -> None:
    reply = json.dumps({"originationNumber": "+84907777777", "messageBody": "STOP"})
    feedback.handle(reply, Recorder())
    message = messages.Message(channel="sms", to="0907777777", text="hi")
    with pytest.raises(messages.Undeliverable):
        channels.send(partner["id"], message)
    suppressions.remove(suppressions.ALL_PARTNERS, "0907777777")


def test_the_lambda_reads_feedback_from_its_sns_topic(client: object, partner: dict) -> None:
    # given the SNS message SES publishes for a complaint
    event = ses_event("Complaint", partner["id"], complaint={
        "complainedRecipients": [{"emailAddress": "carol@example.com"}]})
    # when the delivery_feedback function gets it from its topic
    sns_event = client.events.generate_sns_event(message=event)  # type: ignore[attr-defined]
    client.lambda_.invoke("delivery_feedback", sns_event)  # type: ignore[attr-defined]
    # then the contact is suppressed for the partner
    assert suppressions.find(partner["id"], "carol@example.com").reason == "complaint"


def test_other_replies_and_garbage_change_nothing(aws: None) -> None:
    applied = Recorder()
    for message in ("not json", "[]", json.dumps({"originationNumber": "+8490", "messageBody":
                                                  "thanks"})):
        assert feedback.handle(message, applied) == feedback.Handled(0, 0, 0)


# ------------------------------------------------------------------ outbox


def test_locally_messages_land_in_the_outbox_and_nothing_leaves(
        api: Api, partner: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELIVERY_OUTBOX", "1")
    config.reset()
    before_email, before_sms = len(sent_emails()), len(sent_sms())
    email = templates.render(partner["id"], "email", "en", "gift", VALUES, "lan@example.com")
    sms = templates.render(partner["id"], "sms", "vi", "gift", VALUES, "0901234567")
    assert channels.send(partner["id"], email).provider_id.startswith("outbox-")
    channels.send(partner["id"], sms)
    suppressions.add(partner["id"], "bob@example.com", "manual")
    with pytest.raises(messages.Undeliverable):
        channels.send(partner["id"], templates.render(partner["id"], "email", "en", "gift",
                                                      VALUES, "bob@example.com"))
    assert (len(sent_emails()), len(sent_sms())) == (before_email, before_sms)
    page = api.call("GET", "/v1/dev/outbox")
    assert page.status_code == 200
    html = page.body.decode()
    assert "srcdoc=" in html and "Highlands Coffee tang ban qua" in html
    assert "GSM-7" in html and "failed (suppressed)" in html
    assert "script-src" not in page.headers["Content-Security-Policy"]


def test_the_outbox_is_refused_on_deployed_stages(api: Api,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGE", "prod")
    config.reset()
    assert_problem(api.call("GET", "/v1/dev/outbox"), 404, "not_found")
