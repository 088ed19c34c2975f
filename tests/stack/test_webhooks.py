"""Events and webhooks end to end: moto's server (the only moto mode that serves
DynamoDB Streams), the stream worker and the delivery loop `make run` uses, the
API through Chalice's test client, and real HTTP receivers on loopback.

Retries are hurried through the environment (backoff base 0.05 s); the delivery
deadline stays generous (30 s), so a loaded machine cannot turn a receiver's
prompt answer into a timeout. Tests of timeouts set their own, against receivers
that hang or drip far longer.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from chalice.test import Client
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from rewards_cli import webhook_verify
from tests.helpers import (
    PATIENCE,
    Api,
    DripReceiver,
    assert_problem,
    call,
    clear_caches,
    header,
    ok,
    running_stack,
    wait_until,
)

FAST = {"WEBHOOK_TIMEOUT_SECONDS": "30", "WEBHOOK_BACKOFF_BASE_SECONDS": "0.05",
        "WEBHOOK_BACKOFF_CAP_SECONDS": "0.2", "WEBHOOK_RETRY_WINDOW_SECONDS": "120"}

# Checks that something did NOT happen (no duplicate, no extra attempt) can only give
# it time to show up: a pause after every wanted delivery has arrived, which a slow
# machine can only make less strict, never fail. Every wait FOR something is a
# condition with a deadline (`wait_until`, `Receiver.wait_for`).
QUIET = 0.5

WHEEL = {"segments": [
    {"id": "win", "label": "1.000d", "weight": 1_000_000, "prize": {"amount": 1_000}},
    {"id": "none", "label": "Next time", "weight": 1, "prize": None}],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 10, "spins_per_player_per_day": 10}}


# ------------------------------------------------------------------ receivers


@dataclass
class Hit:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers from `plan` (then 200), or hangs.
    A plan entry is a status, or (status, headers) to answer with headers too."""

    plan: list[int | tuple[int, dict[str, str]]] = field(default_factory=list)
    hang: bool = False
    hits: list[Hit] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def events(self, status: int = 200) -> list[dict]:
        return [json.loads(h.body) for h in self.hits if h.status == status]

    def wait_for(self, test: Callable[[], bool], timeout: float = PATIENCE) -> None:
        wait_until(test, timeout, message=lambda: [json.loads(h.body)["type"]
                                                   for h in self.hits])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if rec.hang:
                time.sleep(1.5)
                return
            with lock:
                planned = rec.plan.pop(0) if rec.plan else 200
                status, extra = planned if isinstance(planned, tuple) else (planned, {})
                rec.hits.append(Hit({k.lower(): v for k, v in self.headers.items()}, body,
                                    status))
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    rec.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.server.daemon_threads = True
    threading.Thread(target=rec.server.serve_forever, daemon=True).start()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


# ------------------------------------------------------------------ the stack


@pytest.fixture(scope="module")
def stack() -> Iterator[None]:
    """moto's server in this process, every table (streams on), and the two
    threads of devtools/local_events.py; restored afterwards."""
    import logging

    from moto.server import ThreadedMotoServer

    from chalicelib.core import config
    from chalicelib.store import tables
    from devtools import local_queue

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from devtools import local_events

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {k: os.environ.get(k) for k in ("DYNAMODB_ENDPOINT", "TABLE_PREFIX", *FAST)}
    os.environ.update({"DYNAMODB_ENDPOINT": f"http://{host}:{port}",
                       "TABLE_PREFIX": "rewards-hooks", **FAST})
    config.reset()
    tables.bind()
    tables.create_tables()
    stop = threading.Event()
    threads = local_events.start(stop)
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=PATIENCE)
        local_queue.LOCAL_QUEUE.clear()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        config.reset()
        tables.bind()
        server.stop()


@pytest.fixture
def api(stack: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    from app import app

    for k, v in FAST.items():
        monkeypatch.setenv(k, v)
    clear_caches()
    with Client(app) as c:
        yield Api(c)
    clear_caches()


def endpoint(api: Api, key: str, url: str, events: list[str] | None = None) -> dict:
    r = api.call("POST", "/v1/webhook-endpoints", {"url": url, "events": events or ["*"]},
                 key=key)
    assert r.status_code == 201, r.body
    return r.json_body


def standard_verifies(secret: str, hit: Hit) -> bool:
    """What a partner's receiver does with the Standard Webhooks library."""
    try:
        Webhook(secret).verify(hit.body, hit.headers)
    except WebhookVerificationError:
        return False
    return True


def deliveries(api: Api, key: str, endpoint_id: str) -> list[dict]:
    r = api.call("GET", f"/v1/webhook-endpoints/{endpoint_id}/deliveries?limit=100", key=key)
    assert r.status_code == 200, r.body
    return r.json_body["data"]


# ------------------------------------------------------------------ every event type


def test_every_event_type_arrives_signed_with_the_endpoints_secret(api: Api, receiver: Receiver
                                                                   ) -> None:
    partner = api.partner()
    key = partner["key"]
    hook = endpoint(api, key, receiver.url)
    secret = hook["secret"]
    c = api.campaign(key, budget=100_000, wheel=WHEEL)
    cid = c["id"]

    # a spin that wins, an issue, a partial redemption, a void, a batch of two
    token = ok(api.call("POST", f"/v1/campaigns/{cid}/player-tokens",
                        {"player_id": "zalo:1"}, key=key), 201)["token"]
    won = ok(api.call("POST", "/v1/play/spins", {}, key=token, idem=str(uuid.uuid4())), 201)
    assert won["prize"] == {"amount": 1_000}
    a = ok(api.issue(key, cid, 50_000), 201)
    redemption = ok(api.call("POST", f"/v1/gifts/{a['code']}/redeem", {"amount": 20_000},
                             key=key, idem=str(uuid.uuid4())))["redemption"]
    ok(api.call("POST", f"/v1/redemptions/{redemption['id']}/reversals", {"amount": 5_000},
                key=key, idem=str(uuid.uuid4())), 201)
    b = ok(api.issue(key, cid, 10_000), 201)
    ok(api.call("POST", f"/v1/gifts/{b['code']}/void", {}, key=key, idem=str(uuid.uuid4())))
    batch = ok(api.call("POST", f"/v1/campaigns/{cid}/gift-batches",
                        {"items": [{"amount": 10_000}, {"amount": 10_000}]}, key=key,
                        idem=str(uuid.uuid4())), 201)
    # spent 71,000: the rest (29,000) takes it below 10 % and to nothing
    ok(api.issue(key, cid, 29_000), 201)
    ok(api.call("PATCH", f"/v1/campaigns/{cid}", {"status": "ended"}, key=key))

    wanted = {"gift.issued", "gift.redeemed", "gift.voided", "gift_batch.completed",
              "spin.won", "campaign.budget_low", "campaign.budget_exhausted", "campaign.ended",
              "redemption.reversed"}
    receiver.wait_for(lambda: wanted <= {e["type"] for e in receiver.events()})
    time.sleep(QUIET)  # anything late would show up as a duplicate below
    got = receiver.events()
    by_type: dict[str, list[dict]] = {}
    for e in got:
        by_type.setdefault(e["type"], []).append(e)
    assert len(by_type["gift.issued"]) == 6  # the won gift, a, b, the batch's two, the last
    assert len(by_type["campaign.budget_low"]) == len(by_type["campaign.budget_exhausted"]) == 1
    assert len({e["id"] for e in got}) == len(got), "an event was delivered twice"

    # then every delivery is signed with the endpoint's secret, and not with another:
    # the Standard Webhooks library verifies it, and our own header still does
    other_secret = "whsec_" + "x" * 43
    for hit in receiver.hits:
        event = json.loads(hit.body)
        assert hit.headers["rewards-event-id"] == event["id"] == hit.headers["webhook-id"]
        assert hit.headers["content-type"] == "application/json"
        assert Webhook(secret).verify(hit.body, hit.headers) == event
        assert not standard_verifies(other_secret, hit)
        tampered = Hit(hit.headers, hit.body.replace(b'"data":{', b'"data":{"x":1,', 1), 200)
        assert tampered.body != hit.body and not standard_verifies(secret, tampered)
        assert hit.headers["webhook-signature"].count("v1,") == 1
        signature = hit.headers["rewards-signature"]
        assert signature.count("v1=") == 1
        assert webhook_verify.verify(signature, hit.body, secret)
        assert not webhook_verify.verify(signature, hit.body, other_secret)
        assert set(event) == {"id", "type", "created_at", "campaign_id", "data"}
        assert event["campaign_id"] == cid

    # every payload is exactly its type's (the OpenAPI document's `webhooks` schemas)
    import msgspec

    from chalicelib import schemas

    for e in got:
        typed = msgspec.json.decode(json.dumps(e), type=schemas.WEBHOOK_EVENTS[e["type"]])
        assert msgspec.to_builtins(typed) == e, e["type"]  # nothing more, nothing less

    # gift payloads: id, figures, a masked code, never the code itself
    redeemed = by_type["gift.redeemed"][0]["data"]
    assert redeemed["id"] == a["id"] and redeemed["balance"] == 30_000
    assert redeemed["redeemed_amount"] == 20_000
    reversed_ = by_type["redemption.reversed"][0]["data"]
    assert reversed_["id"] == a["id"] and reversed_["reversed_amount"] == 5_000
    assert reversed_["balance"] == 35_000
    assert redeemed["masked_code"] == "****-****-****-" + a["code"][-4:]
    raw = b"".join(h.body for h in receiver.hits).decode()
    for gift in (a, b):
        assert gift["code"] not in raw and gift["code"].replace("-", "") not in raw
    assert by_type["gift.voided"][0]["data"]["id"] == b["id"]
    assert by_type["spin.won"][0]["data"]["id"] == won["id"]
    assert by_type["gift_batch.completed"][0]["data"]["id"] == batch["id"]
    low = by_type["campaign.budget_low"][0]["data"]["budget"]
    assert low["total"] == 100_000 and low["remaining"] < 10_000

    # the same events can be polled, filtered and fetched
    page = ok(api.call("GET", f"/v1/events?campaign_id={cid}&limit=100", key=key))
    assert {e["id"] for e in page["data"]} == {e["id"] for e in got}
    only = ok(api.call("GET", f"/v1/events?type=gift.voided&campaign_id={cid}", key=key))
    assert [e["id"] for e in only["data"]] == [by_type["gift.voided"][0]["id"]]
    one = ok(api.call("GET", f"/v1/events/{by_type['gift.redeemed'][0]['id']}", key=key))
    assert one == by_type["gift.redeemed"][0]
    # and deliveries are listed with their status, code and duration
    listed = deliveries(api, key, hook["id"])
    assert len(listed) == len(receiver.hits)
    assert all(d["status"] == "succeeded" and d["response_code"] == 200 for d in listed)

    # another partner sees none of it
    other = api.partner("Other")["key"]
    assert ok(api.call("GET", "/v1/events", key=other))["data"] == []
    assert_problem(api.call("GET", f"/v1/events/{one['id']}", key=other), 404, "not_found")


def test_paged_events_walk_every_event_once(api: Api, receiver: Receiver) -> None:
    key = api.partner()["key"]
    endpoint(api, key, receiver.url, ["gift.issued"])
    cid = api.campaign(key)["id"]
    for _ in range(7):
        ok(api.issue(key, cid, 1_000), 201)
    receiver.wait_for(lambda: len(receiver.events()) == 7)
    seen = [e["id"] for e in api.pages("/v1/events?limit=3&type=gift.issued", key=key)]
    assert sorted(seen) == sorted(e["id"] for e in receiver.events())


# ------------------------------------------------------------------ retries


def test_500_twice_then_200_is_acknowledged_once_with_the_same_event_id(
        api: Api, receiver: Receiver) -> None:
    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])
    receiver.plan = [500, 500]
    cid = api.campaign(key)["id"]
    gift = ok(api.issue(key, cid), 201)
    receiver.wait_for(lambda: len(receiver.hits) >= 3)
    time.sleep(QUIET)  # a fourth attempt would show up below
    assert [h.status for h in receiver.hits] == [500, 500, 200]
    assert len({h.headers["rewards-event-id"] for h in receiver.hits}) == 1
    assert len({h.headers["webhook-id"] for h in receiver.hits}) == 1  # stable: dedupe by it
    assert receiver.events()[0]["data"]["id"] == gift["id"]
    listed = deliveries(api, key, hook["id"])
    assert [(d["attempt"], d["status"], d["response_code"]) for d in reversed(listed)] == [
        (1, "failed", 500), (2, "failed", 500), (3, "succeeded", 200)]
    assert listed[-1]["next_attempt_at"] is not None and listed[0]["next_attempt_at"] is None
    assert all(d["duration_ms"] >= 0 for d in listed)
    assert ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key))["status"] == \
        "enabled"


def test_an_endpoint_that_never_answers_ends_disabled_with_its_attempts_listed(
        api: Api, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "0.3")
    monkeypatch.setenv("WEBHOOK_RETRY_WINDOW_SECONDS", "1.5")
    from chalicelib.core import config

    config.reset()
    receiver.hang = True
    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])
    ok(api.issue(key, api.campaign(key)["id"]), 201)

    def disabled() -> bool:
        got = ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key))
        return got["status"] == "disabled"

    receiver.wait_for(disabled)
    got = ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key))
    assert "attempts" in got["disabled_reason"]
    listed = deliveries(api, key, hook["id"])
    assert len(listed) >= 2
    assert all(d["status"] == "failed" and d["response_code"] is None for d in listed)
    assert {d["error"] for d in listed} == {"timeout"}
    assert listed[0]["next_attempt_at"] is None  # the last one: no more retries
    # enabling it again is the partner's call
    again = ok(api.call("PATCH", f"/v1/webhook-endpoints/{hook['id']}", {"status": "enabled"},
                        key=key))
    assert again["status"] == "enabled" and again["disabled_reason"] is None


# ------------------------------------------------------------------ secrets


def test_a_rotated_secret_signs_beside_the_old_one(api: Api, receiver: Receiver) -> None:
    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])
    old = hook["secret"]
    rotated = ok(api.call("POST", f"/v1/webhook-endpoints/{hook['id']}/rotate-secret", key=key))
    new = rotated["secret"]
    assert new.startswith("whsec_") and new != old
    assert rotated["previous_secrets_expire_at"] is not None
    ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: len(receiver.hits) == 1)
    hit = receiver.hits[0]
    signature = hit.headers["rewards-signature"]
    assert signature.count("v1=") == 2
    assert webhook_verify.verify(signature, hit.body, old)
    assert webhook_verify.verify(signature, hit.body, new)
    assert not webhook_verify.verify(signature, hit.body, "whsec_other")
    assert len(hit.headers["webhook-signature"].split(" ")) == 2
    assert standard_verifies(old, hit) and standard_verifies(new, hit)
    assert not standard_verifies("whsec_" + "A" * 43 + "=", hit)


def test_a_410_disables_the_endpoint_and_says_why(api: Api, receiver: Receiver) -> None:
    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])
    receiver.plan = [410]
    ok(api.issue(key, api.campaign(key)["id"]), 201)

    def disabled() -> bool:
        return ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key)
                  )["status"] == "disabled"

    receiver.wait_for(disabled, timeout=30)
    got = ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key))
    assert "410" in got["disabled_reason"]
    time.sleep(QUIET)  # a retry would show up here
    assert [h.status for h in receiver.hits] == [410]
    (attempt,) = deliveries(api, key, hook["id"])
    assert attempt["response_code"] == 410 and attempt["next_attempt_at"] is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_waited_for_before_the_retry(api: Api, receiver: Receiver,
                                                   status: int) -> None:
    from datetime import datetime

    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])
    receiver.plan = [(status, {"Retry-After": "120"})]
    ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: bool(deliveries(api, key, hook["id"])))
    (first,) = deliveries(api, key, hook["id"])
    asked = (datetime.fromisoformat(first["next_attempt_at"])
             - datetime.fromisoformat(first["attempted_at"])).total_seconds()
    # the backoff alone would retry within 0.2 s here (FAST): the receiver's wish wins
    assert first["status"] == "failed" and first["response_code"] == status
    assert 119 <= asked <= 121
    time.sleep(QUIET)
    assert len(receiver.hits) == 1  # not retried sooner
    assert api.call("DELETE", f"/v1/webhook-endpoints/{hook['id']}", key=key).status_code == 204


def test_secrets_are_shown_once_and_stored_sealed(api: Api) -> None:
    from chalicelib.store.records import WebhookEndpointModel

    key = api.partner()["key"]
    hook = endpoint(api, key, "http://127.0.0.1:9/hooks")
    assert hook["secret"].startswith("whsec_")
    for got in (ok(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key)),
                *ok(api.call("GET", "/v1/webhook-endpoints", key=key))["data"]):
        assert got["secret"] is None
    raw = json.dumps(WebhookEndpointModel.get(hook["id"]).serialize())
    assert hook["secret"] not in raw and hook["secret"][6:] not in raw


# ------------------------------------------------------------------ management


def test_endpoint_management_and_its_errors(api: Api) -> None:
    key = api.partner()["key"]
    hook = endpoint(api, key, "http://localhost:9/a", ["gift.issued", "gift.issued"])
    assert hook["events"] == ["gift.issued"] and hook["status"] == "enabled"
    patched = ok(api.call("PATCH", f"/v1/webhook-endpoints/{hook['id']}",
                          {"events": ["*"], "description": "till 12"}, key=key))
    assert patched["events"] == ["*"] and patched["description"] == "till 12"
    for url in ("http://169.254.169.254/latest/meta-data", "http://10.1.2.3/x",
                "http://[::ffff:169.254.169.254]/", "ftp://127.0.0.1/"):
        assert_problem(api.call("POST", "/v1/webhook-endpoints", {"url": url, "events": ["*"]},
                                key=key), 422, "webhook_url_not_allowed")
        assert_problem(api.call("PATCH", f"/v1/webhook-endpoints/{hook['id']}", {"url": url},
                                key=key), 422, "webhook_url_not_allowed")
    assert_problem(api.call("POST", "/v1/webhook-endpoints",
                            {"url": "http://127.0.0.1/", "events": ["gift.sold"]}, key=key),
                   422, "validation_error")
    limited = api.partner("No hooks", scopes=["gifts:issue"])["key"]
    assert_problem(api.call("GET", "/v1/webhook-endpoints", key=limited), 403,
                   "insufficient_scope")
    other = api.partner("Other")["key"]
    assert_problem(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=other), 404)
    assert api.call("DELETE", f"/v1/webhook-endpoints/{hook['id']}", key=key).status_code == 204
    assert_problem(api.call("GET", f"/v1/webhook-endpoints/{hook['id']}", key=key), 404)


def test_deployed_stage_requires_https(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core import config

    key = api.partner()["key"]
    monkeypatch.setenv("STAGE", "prod")
    config.reset()
    try:
        assert_problem(api.call("POST", "/v1/webhook-endpoints",
                                {"url": "http://127.0.0.1:9/", "events": ["*"]}, key=key),
                       422, "webhook_url_not_allowed")
        assert_problem(api.call("POST", "/v1/webhook-endpoints",
                                {"url": "https://127.0.0.1:9/", "events": ["*"]}, key=key),
                       422, "webhook_url_not_allowed")
    finally:
        monkeypatch.setenv("STAGE", "test")
        config.reset()


def test_a_campaign_that_reaches_its_end_makes_campaign_ended_once(
        api: Api, receiver: Receiver) -> None:
    """No PATCH: the sweeper marks it ended once its end has passed (here it is told
    the time is two hours on), and a second sweep makes no second event."""
    from datetime import UTC, datetime, timedelta

    from chalicelib.money import campaigns

    key = api.partner()["key"]
    endpoint(api, key, receiver.url, ["campaign.ended"])
    ends = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    cid = api.campaign(key, ends_at=ends.strftime("%Y-%m-%dT%H:%M:%SZ"))["id"]
    later = ends + timedelta(hours=1)
    campaigns.end_passed(later)
    receiver.wait_for(lambda: len(receiver.events()) == 1)
    campaigns.end_passed(later)
    time.sleep(QUIET)  # a second event would show up here
    (ended,) = receiver.events()
    assert ended["type"] == "campaign.ended" and ended["campaign_id"] == cid
    assert ended["data"]["ended_at"] == ended["data"]["ends_at"] == ends.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert ok(api.call("GET", f"/v1/campaigns/{cid}", key=key))["status"] == "ended"


# ------------------------------------------------------------------ idempotency


def test_a_redelivered_stream_batch_makes_no_second_event(api: Api, receiver: Receiver) -> None:
    from chalicelib.core import vault
    from chalicelib.delivery import events
    from chalicelib.store.models import GiftModel
    from chalicelib.store.records import EventModel
    from devtools import local_queue

    key = api.partner()["key"]
    endpoint(api, key, receiver.url, ["gift.issued"])
    gift = ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: len(receiver.hits) == 1)
    stored = GiftModel.get(vault.code_hash(gift["code"].replace("-", "")))
    record = {"eventName": "INSERT", "eventSourceARN":
              f"arn:aws:dynamodb:us-east-1:1:table/{GiftModel.Meta.table_name}/stream/x",
              "dynamodb": {"NewImage": stored.serialize(), "ApproximateCreationDateTime": 1}}
    queued = len(local_queue.LOCAL_QUEUE)
    assert events.handle_records([record, record]) == 0
    assert len(local_queue.LOCAL_QUEUE) == queued
    (made,) = events.from_records([record])
    assert EventModel.get(made.pk, made.id).id == receiver.hits[0].headers["rewards-event-id"]
    time.sleep(QUIET)  # a second delivery would show up here
    assert len(receiver.hits) == 1


def test_redeliver_sends_the_same_event_again(api: Api, receiver: Receiver) -> None:
    key = api.partner()["key"]
    endpoint(api, key, receiver.url, ["gift.issued"])
    ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: len(receiver.hits) == 1)
    eid = receiver.hits[0].headers["rewards-event-id"]
    answer = ok(api.call("POST", f"/v1/events/{eid}/redeliver", key=key), 202)
    assert answer == {"event_id": eid, "deliveries_queued": 1}
    receiver.wait_for(lambda: len(receiver.hits) == 2)
    assert receiver.hits[1].headers["rewards-event-id"] == eid
    assert receiver.hits[1].body == receiver.hits[0].body


# ------------------------------------------------------------------ fairness


def test_a_partners_dripping_endpoints_and_redeliveries_do_not_hold_up_another_partner(
        api: Api, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's slowloris: 8 endpoints answering one byte every 0.3 s, and 10
    redeliver calls. Each attempt is cut at its deadline (2 s here) and recorded as a
    timeout; redelivery stops at its cap (429); and another partner's webhook is
    delivered before the slow partner's queued deliveries are through (they need
    48 attempts, at most 2 at a time once its endpoints are degraded: 48 s at least),
    where one first-in-first-out pool delivered it after all of them."""
    from chalicelib.core import config
    from chalicelib.delivery import fairness, redelivery

    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("WEBHOOK_BACKOFF_BASE_SECONDS", "600")  # each message tried once here
    monkeypatch.setenv("WEBHOOK_BACKOFF_CAP_SECONDS", "600")
    monkeypatch.setattr(fairness, "BREAKER_AFTER", 10**6)  # every queued message is tried
    config.reset()
    drips = [DripReceiver(interval=0.3).start() for _ in range(8)]
    slow = api.partner("Slow")["key"]
    hooks = [endpoint(api, slow, d.url, ["gift.issued"]) for d in drips]
    try:
        ok(api.issue(slow, api.campaign(slow)["id"]), 201)
        (event,) = wait_until(lambda: ok(api.call("GET", "/v1/events?type=gift.issued",
                                                  key=slow))["data"])
        answers = [api.call("POST", f"/v1/events/{event['id']}/redeliver", key=slow)
                   for _ in range(10)]
        assert [a.status_code for a in answers] == [202] * redelivery.EVENT_PER_HOUR + [429] * 5
        assert {a.json_body["deliveries_queued"] for a in answers[:5]} == {8}
        refused = assert_problem(answers[5], 429, "rate_limited")
        assert "5 times an hour" in refused["detail"]
        assert 1 <= int(header(answers[5], "Retry-After")) <= 3600
        queued = 8 * (1 + redelivery.EVENT_PER_HOUR)

        fast = api.partner("Fast")["key"]
        endpoint(api, fast, receiver.url, ["gift.issued"])
        ok(api.issue(fast, api.campaign(fast)["id"]), 201)
        receiver.wait_for(lambda: len(receiver.hits) == 1)
        attempted = sum(d.connections for d in drips)
        assert attempted < queued, "the other partner's webhook waited for every drip"

        # a drip is recorded as a timeout, with no response code
        def timed_out() -> list[dict]:
            return [d for h in hooks for d in deliveries(api, slow, h["id"])]

        recorded = wait_until(timed_out, message="no attempt recorded")
        assert {(d["status"], d["response_code"], d["error"]) for d in recorded} == {
            ("failed", None, "timeout")}
        assert sum(d.cut for d in drips) >= 1 and sum(d.finished for d in drips) == 0
    finally:
        for h in hooks:  # what is still queued for them ends as `gone`
            api.call("DELETE", f"/v1/webhook-endpoints/{h['id']}", key=slow)
        for d in drips:
            d.stop()


# ------------------------------------------------------------------ SSRF at delivery


def test_a_host_that_starts_resolving_to_metadata_is_not_called(
        api: Api, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.delivery import outbound

    key = api.partner()["key"]
    hook = endpoint(api, key, receiver.url, ["gift.issued"])  # checked: loopback, local
    real = outbound._resolve
    monkeypatch.setattr(outbound, "_resolve",
                        lambda host, port: ["169.254.169.254"] if host == "127.0.0.1"
                        else real(host, port))
    ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: bool(deliveries(api, key, hook["id"])))
    (first, *_) = reversed(deliveries(api, key, hook["id"]))
    assert first["status"] == "failed" and first["response_code"] is None
    assert "metadata" in first["error"]
    assert receiver.hits == []
    assert api.call("DELETE", f"/v1/webhook-endpoints/{hook['id']}", key=key).status_code == 204


# ------------------------------------------------------------------ the README's loop


def test_webhook_listen_receives_what_the_stack_sends(api: Api) -> None:
    import io

    out = io.StringIO()
    key = api.partner()["key"]
    server = webhook_verify.make_server(0, "placeholder", out=out)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hook = endpoint(api, key, f"http://127.0.0.1:{server.server_address[1]}/",
                        ["gift.issued"])
        # the CLI verifies with the endpoint's secret: restart it with that secret
        server.shutdown()
        server.server_close()
        server = webhook_verify.make_server(0, hook["secret"], out=out)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ok(api.call("PATCH", f"/v1/webhook-endpoints/{hook['id']}",
                    {"url": f"http://127.0.0.1:{server.server_address[1]}/"}, key=key))
        gift = ok(api.issue(key, api.campaign(key)["id"]), 201)
        wait_until(out.getvalue, message="the listener printed nothing")
        printed = json.loads(out.getvalue().splitlines()[0])
        assert printed["type"] == "gift.issued" and printed["data"]["id"] == gift["id"]
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ the deployed entry points


def test_the_lambda_handlers_make_and_deliver_events(api: Api, receiver: Receiver) -> None:
    """What AWS invokes: the stream function with a DynamoDB Streams event, the
    delivery function with an SQS message (here fed by hand, not by the local loop)."""
    from chalicelib.core import vault
    from chalicelib.delivery import events, queues
    from chalicelib.store.models import GiftModel
    from chalicelib.store.records import EventModel

    key = api.partner()["key"]
    endpoint(api, key, receiver.url, ["gift.issued"])
    gift = ok(api.issue(key, api.campaign(key)["id"]), 201)
    receiver.wait_for(lambda: len(receiver.hits) == 1)
    stored = GiftModel.get(vault.code_hash(gift["code"].replace("-", "")))
    record = {"eventID": "1", "eventName": "INSERT", "eventVersion": "1.1",
              "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
              "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/"
                                f"{GiftModel.Meta.table_name}/stream/2026",
              "dynamodb": {"ApproximateCreationDateTime": 1_700_000_000,
                           "Keys": {"code_hash": {"S": stored.code_hash}},
                           "NewImage": stored.serialize(), "SequenceNumber": "1",
                           "SizeBytes": 1, "StreamViewType": "NEW_AND_OLD_IMAGES"}}
    # a redelivered stream batch through the real handler: no second event, no delivery
    api.client.lambda_.invoke("events_from_streams", {"Records": [record]})
    (made,) = events.from_records([record])
    assert EventModel.get(made.pk, made.id).type == "gift.issued"
    time.sleep(QUIET)  # a second delivery would show up here
    assert len(receiver.hits) == 1
    # the SQS consumer delivers one message (a redelivery of the same event)
    message = queues.message(made, hook_id(api, key), time.time())
    body = json.dumps(message)
    api.client.lambda_.invoke("deliver_webhooks",
                              api.client.events.generate_sqs_event([body], "rewards-webhooks"))
    assert len(receiver.hits) == 2
    assert receiver.hits[1].headers["rewards-event-id"] == made.id


def hook_id(api: Api, key: str) -> str:
    return ok(api.call("GET", "/v1/webhook-endpoints", key=key))["data"][0]["id"]


# ------------------------------------------------------------------ make run


def test_make_run_delivers_signed_events(tmp_path: Path, receiver: Receiver) -> None:
    """The real `make run` process: its stream worker and delivery loop."""
    with running_stack(tmp_path / "state", prefix="rewards-hookstack") as stack:
        key = {"Authorization": f"Bearer {stack.demo()['key']}"}
        status, _, raw = call("POST", f"{stack.base}/webhook-endpoints",
                              {"url": receiver.url, "events": ["gift.issued"]}, headers=key)
        assert status == 201, raw
        secret = json.loads(raw)["secret"]
        status, _, raw = call("POST", f"{stack.base}/campaigns/{stack.demo()['campaign_id']}"
                                      "/gifts", {"amount": 10_000},
                              headers={**key, "Idempotency-Key": "hook-stack-1"})
        assert status == 201, raw
        receiver.wait_for(lambda: len(receiver.hits) == 1)
        hit = receiver.hits[0]
        assert webhook_verify.verify(hit.headers["rewards-signature"], hit.body, secret)
        assert standard_verifies(secret, hit)
        assert json.loads(hit.body)["data"]["id"] == json.loads(raw)["id"]
