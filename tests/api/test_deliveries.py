"""Deliveries to recipients (issue 25, the sendflow part), through HTTP with moto: a
gift issued with a contact is planned from the tables' streams (as the stream
Lambda is driven, `tests.helpers.streams`), sent by the sender through the channel,
once; scheduled, windowed and reminder deliveries go at their time; resend; feedback;
events; a batch's deliveries exactly once, also after a crash mid-way.

The templates, the suppression list and the gift link are the real ones; only the
channels' last step (SES, SNS, ZNS) is a recording stand-in (`fakes`), so a test can
make a channel fail or die mid-send. test_delivery_end_to_end.py sends through moto's
SES and SNS themselves."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import Api, Streams, assert_problem, header, ok

PHONE = "+84901234567"
EMAIL = "lan@example.com"


class Fakes:
    """The channels' senders record every message they take (the kind each was
    rendered as beside it, in `kinds`)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.kinds: list[str] = []
        self.rendered: dict[int, str] = {}
        self.lock = threading.Lock()
        self.on_send: Callable[[Any], None] | None = None

    def send(self, partner_id: str, message: Any) -> Any:
        from chalicelib.outreach import messages

        with self.lock:  # taken by the channel; `on_send` may then fail the call
            self.sent.append((partner_id, message))
            self.kinds.append(self.rendered.get(id(message), "?"))
        if self.on_send is not None:
            self.on_send(message)
        return messages.Sent(provider_id=f"prov-{uuid.uuid4().hex}")


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    from chalicelib.core import config
    from chalicelib.outreach import channels, sender, templates

    f = Fakes()
    real_render = templates.render

    def render(*args: Any, **kwargs: Any) -> Any:
        message = real_render(*args, **kwargs)
        f.rendered[id(message)] = args[3] if len(args) > 3 else kwargs["kind"]
        return message

    monkeypatch.setattr(templates, "render", render)
    for channel in ("email", "sms", "zalo"):
        monkeypatch.setitem(channels.SENDERS, channel, f.send)
    for rate in ("EMAIL", "SMS", "ZALO"):
        monkeypatch.setenv(f"DELIVERY_RATE_{rate}", "100000")
    monkeypatch.setenv("DELIVERY_OUTBOX", "0")
    config.reset()
    sender.reset()
    return f


@pytest.fixture
def streams(client: Any) -> Iterator[Streams]:
    from devtools import local_queue

    local_queue.install()
    local_queue.SEND_QUEUE.clear()
    yield Streams()
    local_queue.SEND_QUEUE.clear()


def drain(limit: int | None = None) -> list[str]:
    """The sender on every due message of the local send queue (as its Lambda would),
    until none is due (or `limit` were handled); what each did."""
    from chalicelib.outreach import sender
    from devtools import local_queue

    done: list[str] = []
    while limit is None or len(done) < limit:
        m = local_queue.SEND_QUEUE.take(0)
        if m is None:
            break
        try:
            done.append(sender.process(m, sleep=lambda s: None))
        finally:
            local_queue.SEND_QUEUE.done(m)
    return done


def sweep() -> int:
    from chalicelib.core.clock import now
    from chalicelib.outreach import deliveries

    return deliveries.sweep(now())


def deliveries_of(api: Api, key: str, code: str) -> list[dict]:
    return ok(api.call("GET", f"/v1/gifts/{code}/deliveries", key=key))["data"]


def delivering_campaign(api: Api, key: str, **delivery: Any) -> dict:
    return api.campaign(key, delivery={"channels": ["sms", "email"], **delivery})


def events_of(api: Api, key: str, kind: str) -> list[dict]:
    return list(api.pages(f"/v1/events?type={kind}&limit=100", key=key))


# ------------------------------------------------------------------ the spine


def test_a_gift_issued_with_a_phone_is_sent_once_by_sms_with_its_link(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE, "email": EMAIL}), 201)
    streams.pump()
    assert drain() == ["sent"]
    (pid, message), = fakes.sent
    assert pid == partner["id"] and message.channel == "sms" and message.to == PHONE
    assert gift["gift_url"] in message.text and gift["code"] not in message.text
    streams.pump()  # the delivery's own change: its event
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["id"].startswith("dlv_") and d["channel"] == "sms" and d["kind"] == "gift"
    assert d["status"] == "sent" and d["sent_at"] and d["to"].endswith("567")
    assert PHONE not in d["to"] and d["reason"] is None
    assert set(d) == {"id", "channel", "to", "kind", "status", "reason", "scheduled_for",
                      "sent_at", "updated_at"}
    event, = events_of(api, key, "gift.delivery_sent")
    assert event["data"]["id"] == d["id"] and event["data"]["gift_id"] == gift["id"]
    assert PHONE not in str(event)


def test_a_replayed_stream_batch_plans_and_sends_nothing_twice(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    from app import handle_stream_records

    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"email": EMAIL}), 201)
    records = streams.records()
    handle_stream_records(records)
    handle_stream_records(records)  # the Lambda retried the batch
    assert drain() == ["sent", "taken"]
    assert len(fakes.sent) == 1 and fakes.sent[0][1].channel == "email"
    assert len(deliveries_of(api, key, gift["code"])) == 1


def test_no_delivery_without_channels_or_without_a_contact(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    silent = api.campaign(key, delivery={"channels": []})
    email_only = api.campaign(key, delivery={"channels": ["email"]})
    a = ok(api.issue(key, silent["id"], recipient={"phone": PHONE}), 201)
    b = ok(api.issue(key, email_only["id"], recipient={"phone": PHONE}), 201)
    c = ok(api.issue(key, email_only["id"], recipient={"reference": "crm-1"}), 201)
    streams.pump()
    assert drain() == [] and fakes.sent == []
    for g in (a, b, c):
        assert deliveries_of(api, key, g["code"]) == []


def test_the_issue_writes_nothing_for_delivery(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No extra call, no extra transaction item on the money path: the issue's
    transaction holds the same items with delivery on, `deliver_at` is an attribute
    of the gift, and only the stream consumer writes the deliveries table."""
    from botocore.client import BaseClient

    seen: list[tuple[str, list[str]]] = []
    original = BaseClient._make_api_call

    def spy(client: Any, operation: str, params: dict) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            tables = [params.get("TableName", "")] + [
                next(iter(i.values()))["TableName"] for i in params.get("TransactItems", [])]
            seen.append((operation, [t.removeprefix("rewards-test-") for t in tables if t]))
        return original(client, operation, params)

    key = partner["key"]
    plain, delivering = api.campaign(key), delivering_campaign(api, key)
    monkeypatch.setattr(BaseClient, "_make_api_call", spy)
    writes = []
    for c, extra in ((plain, {}), (delivering, {"deliver_at": (datetime.now(UTC) + timedelta(
            days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")})):
        seen.clear()
        ok(api.issue(key, c["id"], 1000, recipient={"phone": PHONE}, **extra), 201)
        assert not [t for _, tables in seen for t in tables if t == "deliveries"]
        writes.append(sorted(tables for op, tables in seen if op == "TransactWriteItems"
                             and "gifts" in tables)[-1])
    assert writes[0] == writes[1]


# ------------------------------------------------------------------ when


def test_a_scheduled_delivery_goes_at_its_time_not_before(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    at = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE},
                        deliver_at=at.strftime("%Y-%m-%dT%H:%M:%SZ")), 201)
    streams.pump()
    assert drain() == [] and sweep() == 0
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["status"] == "scheduled" and d["scheduled_for"] == at.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    later(timedelta(hours=2, minutes=59))
    assert sweep() == 0 and drain() == []
    later(timedelta(hours=3, minutes=1))
    assert sweep() == 1
    assert drain() == ["sent"] and len(fakes.sent) == 1
    assert sweep() == 0 and drain() == []


def test_deliver_at_beyond_a_year_or_in_the_past_is_422(
        api: Api, partner: dict) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    far = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for when in (far, past, "tomorrow"):
        problem = assert_problem(api.issue(key, c["id"], deliver_at=when), 422)
        assert problem["errors"][0]["field"] == "deliver_at"
    r = api.post_batch(key, c["id"], [{"amount": 1000}, {"amount": 1000, "deliver_at": far}])
    assert assert_problem(r, 422)["errors"][0]["field"] == "items[1].deliver_at"


def test_a_delivery_outside_the_send_window_waits_for_it(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    from zoneinfo import ZoneInfo

    key = partner["key"]
    local = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    opens = (local + timedelta(hours=2)).replace(second=0, microsecond=0)
    closes = opens + timedelta(hours=1)
    c = delivering_campaign(api, key, send_window={"from": opens.strftime("%H:%M"),
                                                   "to": closes.strftime("%H:%M")})
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    assert drain() == []
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["status"] == "scheduled"
    assert datetime.fromisoformat(d["scheduled_for"]) == opens.astimezone(UTC)
    later(timedelta(hours=2, minutes=1))
    sweep()
    assert drain() == ["sent"]


def test_a_reminder_goes_once_before_expiry_and_never_for_a_redeemed_or_voided_gift(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    key = partner["key"]
    c = api.campaign(key, gift_expiry_days=5, delivery={
        "channels": ["email"], "reminder_days_before_expiry": 2})
    kept, spent, voided = (ok(api.issue(key, c["id"], recipient={"email": f"p{i}@ex.com"}),
                              201) for i in range(3))
    streams.pump()
    assert drain() == ["sent"] * 3
    kinds = sorted(d["kind"] + ":" + d["status"] for d in deliveries_of(api, key, kept["code"]))
    assert kinds == ["gift:sent", "reminder:scheduled"]
    ok(api.redeem(key, spent["code"]))
    ok(api.call("POST", f"/v1/gifts/{voided['code']}/void", {}, key=key,
                idem=str(uuid.uuid4())))
    later(timedelta(days=4, hours=12))
    assert sweep() == 3
    assert sorted(drain()) == ["failed: gift_redeemed", "failed: gift_voided", "sent"]
    assert sweep() == 0 and drain() == []
    reminders = [m for (_, m), kind in zip(fakes.sent, fakes.kinds, strict=True)
                 if kind == "reminder"]
    assert [m.to for m in reminders] == ["p0@ex.com"]
    streams.pump()
    assert {e["data"]["gift_id"] for e in events_of(api, key, "gift.delivery_failed")} \
        == set()  # a reminder no longer wanted is not a failure to report


# ------------------------------------------------------------------ resend


def test_resend_is_202_then_429_within_the_minute_and_a_replay_sends_nothing(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    drain()
    path = f"/v1/gifts/{gift['code']}/deliveries"
    first = api.call("POST", path, {}, key=key, idem="resend-1")
    body = ok(first, 202)
    assert body["status"] == "queued" and body["kind"] == "gift" and body["channel"] == "sms"
    again = api.call("POST", path, {}, key=key, idem="resend-1")
    assert ok(again, 202) == body and header(again, "Idempotent-Replayed") == "true"
    limited = api.call("POST", path, {}, key=key, idem="resend-2")
    assert_problem(limited, 429, "rate_limited")
    assert 1 <= int(header(limited, "Retry-After") or 0) <= 60
    assert drain() == ["sent"]
    assert len(fakes.sent) == 2
    assert [d["status"] for d in deliveries_of(api, key, gift["code"])] == ["sent", "sent"]


def test_resend_to_a_corrected_contact_is_validated_and_sent_there(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    path = f"/v1/gifts/{gift['code']}/deliveries"
    bad = assert_problem(api.call("POST", path, {"to": "not a phone"}, key=key, idem="x1"),
                         422)
    assert bad["errors"][0]["field"] == "to"
    mismatch = api.call("POST", path, {"channel": "email", "to": "+84911111111"}, key=key,
                        idem="x2")
    assert assert_problem(mismatch, 422)["errors"][0]["field"] == "to"
    d = ok(api.call("POST", path, {"to": "+84911222333"}, key=key,
                    idem="x3"), 202)
    assert d["to"].endswith("333") and "84911222" not in d["to"]
    assert drain() == ["sent"]
    assert fakes.sent[-1][1].to == "84911222333"
    assert "84911222333" not in _dump_of_deliveries()


def _dump_of_deliveries() -> str:
    """The deliveries table as a dump would hand it out (a test-only Scan)."""
    import json

    import boto3

    from chalicelib.store.models import DeliveryModel

    client = boto3.client("dynamodb", region_name="us-east-1")
    items = client.scan(TableName=DeliveryModel.Meta.table_name)["Items"]
    return json.dumps(items, ensure_ascii=False)


# ------------------------------------------------------------------ status


def test_feedback_moves_a_sent_delivery_to_bounced_and_never_back(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    from chalicelib.outreach import deliveries, messages

    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"email": EMAIL}), 201)
    streams.pump()
    drain()
    from chalicelib.store.models import DeliveryModel

    provider = next(d.provider_id for d in DeliveryModel.scan() if d.gift_id == gift["id"])
    assert deliveries.apply_feedback([
        messages.Feedback(provider_id=provider, status="bounced", reason="mailbox full"),
        messages.Feedback(provider_id="unknown", status="delivered")]) == 1
    assert deliveries.apply_feedback([messages.Feedback(provider_id=provider,
                                                        status="delivered")]) == 0
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["status"] == "bounced" and d["reason"] == "mailbox full"
    streams.pump()
    event, = events_of(api, key, "gift.delivery_failed")
    assert event["data"]["status"] == "bounced"


def test_a_suppressed_contact_fails_with_reason_suppressed(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    from chalicelib.outreach import suppressions

    suppressions.add(partner["id"], PHONE, "manual")
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    assert drain() == ["failed: suppressed"] and fakes.sent == []
    (d,) = deliveries_of(api, key, gift["code"])
    assert (d["status"], d["reason"]) == ("failed", "suppressed")


def test_a_channel_down_is_retried_with_backoff_then_sent(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    from chalicelib.outreach import messages

    key = partner["key"]
    c = delivering_campaign(api, key)
    downs = [1, 1]

    def flaky(message: Any) -> None:
        if downs:
            downs.pop()
            raise messages.ChannelDown("throttled")

    fakes.on_send = flaky
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    assert drain() == ["retrying: channel_down: throttled"]
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["status"] == "queued"
    later(timedelta(minutes=2))
    assert drain() == ["retrying: channel_down: throttled"]
    later(timedelta(minutes=10))
    assert drain() == ["sent"]


def test_two_senders_racing_on_one_delivery_send_one_message(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    from chalicelib.outreach import sender

    key = partner["key"]
    c = delivering_campaign(api, key)
    ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    from devtools import local_queue

    m = local_queue.SEND_QUEUE.take(0)
    assert m is not None
    local_queue.SEND_QUEUE.done(m)
    gate = threading.Barrier(2)
    results: list[str] = []

    def run() -> None:
        gate.wait()
        results.append(sender.process(dict(m), sleep=lambda s: None))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["sent", "taken"] and len(fakes.sent) == 1


def test_a_sender_dying_mid_send_never_sends_again_and_ends_unconfirmed(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)

    class Died(BaseException):
        pass

    def die(message: Any) -> None:
        raise Died()  # after the channel took it, before the record

    fakes.on_send = die
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    with pytest.raises(Died):
        drain()
    fakes.on_send = None
    later(timedelta(minutes=5))
    sweep()
    assert drain() == []
    later(timedelta(minutes=16))
    sweep()
    assert drain() == [] and len(fakes.sent) == 1
    (d,) = deliveries_of(api, key, gift["code"])
    assert (d["status"], d["reason"]) == ("failed", "unconfirmed")


# ------------------------------------------------------------------ bulk


@pytest.mark.slow
def test_a_batch_of_500_sends_500_emails_once_each_also_when_the_sender_dies_midway(
        api: Api, partner: dict, fakes: Fakes, streams: Streams,
        later: Callable[[timedelta], None]) -> None:
    from devtools import local_queue

    key = partner["key"]
    c = api.campaign(key, budget=10_000_000, delivery={"channels": ["email"]})
    items = [{"amount": 1000, "recipient": {"email": f"person{i}@example.com"}}
             for i in range(500)]
    batch = ok(api.post_batch(key, c["id"], items), 201)
    streams.pump()
    assert len(local_queue.SEND_QUEUE) == 500

    class Died(BaseException):
        pass

    count = [0]

    def die_at_the_200th(message: Any) -> None:
        count[0] += 1
        if count[0] == 200:
            raise Died()

    fakes.on_send = die_at_the_200th
    with pytest.raises(Died):
        drain()
    fakes.on_send = None
    local_queue.SEND_QUEUE.clear()  # the process died: its in-memory messages with it
    streams.pump()
    progress = ok(api.call("GET", f"/v1/gift-batches/{batch['id']}", key=key))["delivery"]
    assert progress == {"queued": 301, "sent": 199, "failed": 0}
    later(timedelta(minutes=16))  # past the lease: the sweeper takes over
    while sweep():  # each sweep stops at SWEEP_SECONDS (a busy machine), the next goes on
        pass
    assert set(drain()) == {"sent"}
    streams.pump()
    sent_to = [m.to for _, m in fakes.sent]
    assert sorted(sent_to) == sorted(f"person{i}@example.com" for i in range(500))
    progress = ok(api.call("GET", f"/v1/gift-batches/{batch['id']}", key=key))["delivery"]
    assert progress == {"queued": 0, "sent": 499, "failed": 1}  # the 200th: unconfirmed


def test_an_erasure_removes_the_contact_from_the_gifts_deliveries(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE}), 201)
    streams.pump()
    drain()
    erased = ok(api.call("POST", "/v1/recipients/erasures", {"phone": PHONE}, key=key,
                         idem=str(uuid.uuid4())))
    assert erased["erased"]["deliveries"] == 1
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["to"] == "" and d["status"] == "sent"


def test_a_csv_batch_schedules_each_row_at_its_deliver_at(
        api: Api, partner: dict, fakes: Fakes, streams: Streams) -> None:
    key = partner["key"]
    c = api.campaign(key, delivery={"channels": ["email"]})
    at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    text = ("amount,email,deliver_at\n"
            f"1000,a@example.com,{at.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
            "1000,b@example.com,\n")
    batch = ok(api.post_batch(key, c["id"], csv_text=text), 201)
    streams.pump()
    assert drain() == ["sent"] and fakes.sent[0][1].to == "b@example.com"
    gifts = list(api.pages(f"/v1/gift-batches/{batch['id']}/gifts", key=key))
    (d,) = deliveries_of(api, key, gifts[0]["code"])
    assert d["status"] == "scheduled" and d["scheduled_for"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")
    bad = api.post_batch(key, c["id"], csv_text="amount,deliver_at\n1000,tomorrow\n")
    assert_problem(bad, 422)


# ------------------------------------------------- through moto's SES and SNS themselves

SENDER = "gifts@example.com"


@pytest.fixture
def aws_channels(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real channels, talking to moto's SES (v2) and SNS: nothing stands in."""
    import boto3

    from chalicelib.core import config
    from chalicelib.outreach import sender

    monkeypatch.setenv("SES_FROM_ADDRESS", SENDER)
    monkeypatch.setenv("DELIVERY_OUTBOX", "0")
    for rate in ("EMAIL", "SMS", "ZALO"):
        monkeypatch.setenv(f"DELIVERY_RATE_{rate}", "100000")
    config.reset()
    sender.reset()
    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=SENDER)


def _ses_sent() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def _sns_sms() -> dict[str, tuple[str, str]]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return dict(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages)


def test_issue_with_a_phone_puts_an_sms_in_sns_with_the_link_and_not_the_code(
        api: Api, partner: dict, aws_channels: None, streams: Streams) -> None:
    key = partner["key"]
    c = delivering_campaign(api, key)
    before = set(_sns_sms())
    gift = ok(api.issue(key, c["id"], recipient={"phone": PHONE, "name": "Lan"}), 201)
    streams.pump()
    assert drain() == ["sent"]
    (number, text), = (m for pid, m in _sns_sms().items() if pid not in before)
    assert number == PHONE
    assert gift["gift_url"] in text and gift["code"] not in text
    (d,) = deliveries_of(api, key, gift["code"])
    assert (d["channel"], d["status"], d["kind"]) == ("sms", "sent", "gift")
    assert PHONE not in d["to"]


@pytest.mark.slow
def test_a_batch_of_500_with_emails_puts_500_emails_in_ses_once_each(
        api: Api, partner: dict, aws_channels: None, streams: Streams) -> None:
    key = partner["key"]
    c = api.campaign(key, budget=10_000_000, delivery={"channels": ["email"]})
    items = [{"amount": 1000, "recipient": {"email": f"person{i}@example.com"}}
             for i in range(500)]
    before = len(_ses_sent())
    batch = ok(api.post_batch(key, c["id"], items), 201)
    streams.pump()
    streams.pump()  # a replayed stream batch plans nothing twice
    assert drain() == ["sent"] * 500
    sent = _ses_sent()[before:]
    to = sorted(a for m in sent for a in m.destinations["ToAddresses"])
    assert to == sorted(f"person{i}@example.com" for i in range(500))
    streams.pump()
    progress = ok(api.call("GET", f"/v1/gift-batches/{batch['id']}", key=key))["delivery"]
    assert progress == {"queued": 0, "sent": 500, "failed": 0}


def test_a_bounce_from_ses_feedback_bounces_suppresses_and_a_resend_is_not_sent(
        api: Api, partner: dict, aws_channels: None, streams: Streams, client: Any) -> None:
    import json

    key = partner["key"]
    c = api.campaign(key, delivery={"channels": ["email"]})
    gift = ok(api.issue(key, c["id"], recipient={"email": EMAIL}), 201)
    streams.pump()
    assert drain() == ["sent"]
    sent_before = len(_ses_sent())
    from chalicelib.store.models import DeliveryModel

    provider = next(x.provider_id for x in DeliveryModel.scan() if x.gift_id == gift["id"])
    # the SNS message SES's configuration set publishes for a permanent bounce
    bounce = json.dumps({"eventType": "Bounce", "mail": {
        "messageId": provider, "destination": [EMAIL],
        "tags": {"partner_id": [partner["id"]]}}, "bounce": {
        "bounceType": "Permanent", "bounceSubType": "General",
        "bouncedRecipients": [{"emailAddress": EMAIL}]}})
    client.lambda_.invoke("delivery_feedback", client.events.generate_sns_event(message=bounce))
    (d,) = deliveries_of(api, key, gift["code"])
    assert d["status"] == "bounced"
    suppressed = api.call("GET", f"/v1/delivery/suppressions/{EMAIL}", key=key)
    assert suppressed.status_code == 200 and suppressed.json_body["reason"] == "bounce"
    resend = ok(api.call("POST", f"/v1/gifts/{gift['code']}/deliveries", {}, key=key,
                         idem=str(uuid.uuid4())), 202)
    assert drain() == ["failed: suppressed"]
    assert len(_ses_sent()) == sent_before
    statuses = {x["id"]: (x["status"], x.get("reason"))
                for x in deliveries_of(api, key, gift["code"])}
    assert statuses[resend["id"]] == ("failed", "suppressed")
