"""Fair senders and redelivery budgets, against moto's tables: a healthy endpoint
takes no slot, a partner's troubled endpoints share two, a breaker holds back an
endpoint that keeps failing, and `POST /v1/events/{id}/redeliver` stops at its caps
with 429 and Retry-After (chalicelib/delivery/fairness.py, redelivery.py)."""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.delivery import fairness, queues, redelivery, sending
from chalicelib.delivery.outbound import Outcome
from chalicelib.store.keys import EVENT_SLICES, attempt_key, redelivery_key
from chalicelib.store.models import RateModel
from chalicelib.store.records import WebhookDeliveryModel, WebhookEndpointModel
from chalicelib.store.sizes import KB, item_size
from devtools import local_queue
from tests.helpers import Api, StoppedClock, assert_problem, header, ok

LIMITS = fairness.Limits(deadline=10.0)
FAILED = Outcome(False, None, 10_000, "timeout")
QUICK = Outcome(True, 200, 40, None)
SLOW = Outcome(True, 200, 7_000, None)


def make_endpoint(api: Api, key: str) -> WebhookEndpointModel:
    r = api.call("POST", "/v1/webhook-endpoints",
                 {"url": "http://127.0.0.1:9/hooks", "events": ["*"]}, key=key)
    assert r.status_code == 201, r.body
    return WebhookEndpointModel.get(r.json_body["id"], consistent_read=True)


def fresh(ep: WebhookEndpointModel) -> WebhookEndpointModel:
    return WebhookEndpointModel.get(ep.id, consistent_read=True)


def admit_all(ep: WebhookEndpointModel, now: float, tries: int = 60) -> list[fairness.Slot]:
    got = [fairness.admit(ep, now, LIMITS) for _ in range(tries)]
    return [s for s in got if isinstance(s, fairness.Slot)]


# ------------------------------------------------------------------ pure timings


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=2**32))
def test_a_deferral_waits_longer_each_time_up_to_a_cap(deferrals: int, seed: int) -> None:
    delay = fairness.defer_delay(deferrals, 2.0, random.Random(seed))
    step = min(fairness.DEFER_CAP, 2.0 * 2 ** deferrals)
    assert step / 2 <= delay <= step


def test_the_breaker_cools_off_longer_for_each_further_failure_up_to_a_cap() -> None:
    waits = [fairness.breaker_delay(n, 30.0) for n in range(fairness.BREAKER_AFTER, 20)]
    assert waits[0] == 30.0 and waits == sorted(waits) and waits[-1] == fairness.BREAKER_CAP


# ------------------------------------------------------------------ slots


def test_a_healthy_endpoint_takes_no_slot_and_writes_nothing(
        api: Api, stopped_clock: StoppedClock, dynamodb_faults) -> None:
    """A prompt receiver frees its sender within its answer's time: a lease per
    attempt would cost every delivery two writes and cap a busy partner."""
    ep = make_endpoint(api, api.partner()["key"])
    now = stopped_clock().timestamp()
    before = len(dynamodb_faults.every_call)
    held = admit_all(ep, now)
    assert held == [fairness.FREE] * 60
    fairness.release(held[0])
    assert dynamodb_faults.every_call[before:] == []  # not even on the rate table


def test_a_degraded_slot_is_freed_by_its_release_or_when_its_sender_died(
        api: Api, stopped_clock: StoppedClock) -> None:
    ep = make_endpoint(api, api.partner()["key"])
    now = stopped_clock().timestamp()
    fairness.observe(ep, FAILED, now, LIMITS)
    ep = fresh(ep)
    held = admit_all(ep, now)
    assert len(held) == fairness.DEGRADED_SLOTS
    fairness.release(held[0])
    assert len(admit_all(ep, now)) == 1
    # a sender that died keeps its slot only until the lease lapses (the endpoint is
    # degraded for a minute, longer than a lease)
    later = now + LIMITS.deadline + fairness.LEASE_MARGIN + 1
    assert len(admit_all(ep, later)) == fairness.DEGRADED_SLOTS


def test_a_partners_degraded_endpoints_share_two_slots_and_another_partner_is_untouched(
        api: Api, stopped_clock: StoppedClock) -> None:
    now = stopped_clock().timestamp()
    key = api.partner("Slow")["key"]
    troubled = [make_endpoint(api, key) for _ in range(3)]
    for ep in troubled:
        assert fairness.observe(ep, FAILED, now, LIMITS) == "degraded"
    troubled = [fresh(ep) for ep in troubled]
    assert {fairness.state(ep, now) for ep in troubled} == {"degraded"}
    held = [s for ep in troubled for s in admit_all(ep, now, 20)]
    assert len(held) == fairness.DEGRADED_SLOTS
    # another partner's endpoints, healthy or troubled, have slots of their own
    other = make_endpoint(api, api.partner("Fast")["key"])
    assert admit_all(other, now) == [fairness.FREE] * 60
    fairness.observe(other, FAILED, now, LIMITS)
    assert isinstance(fairness.admit(fresh(other), now, LIMITS), fairness.Slot)


def test_health_follows_the_attempts_and_costs_no_write_while_healthy(
        api: Api, stopped_clock: StoppedClock, dynamodb_faults) -> None:
    now = stopped_clock().timestamp()
    ep = make_endpoint(api, api.partner()["key"])
    before = len(dynamodb_faults.calls)
    assert fairness.observe(ep, QUICK, now, LIMITS) == "healthy"
    assert len(dynamodb_faults.calls) == before  # nothing written for a healthy answer
    assert fairness.observe(ep, SLOW, now, LIMITS) == "degraded"
    assert fairness.state(fresh(ep), now) == "degraded"
    assert fairness.observe(fresh(ep), QUICK, now, LIMITS) == "healthy"
    ep = fresh(ep)
    assert (ep.failures, ep.degraded_until, ep.open_until) == (0, None, None)
    assert fairness.state(ep, now) == "healthy"


def test_the_breaker_opens_after_consecutive_failures_and_a_success_closes_it(
        api: Api, stopped_clock: StoppedClock) -> None:
    now = stopped_clock().timestamp()
    ep = make_endpoint(api, api.partner()["key"])
    for n in range(1, fairness.BREAKER_AFTER + 1):
        kind = fairness.observe(fresh(ep), FAILED, now, LIMITS)
        assert kind == ("open" if n == fairness.BREAKER_AFTER else "degraded")
    ep = fresh(ep)
    assert fairness.state(ep, now) == "open"
    wait = fairness.admit(ep, now, LIMITS)
    assert isinstance(wait, float) and wait >= fairness.BREAKER_BASE
    # a message past its retry window still gets its attempt (the endpoint is then
    # disabled by the rule that disables dead endpoints)
    assert isinstance(fairness.admit(ep, now, LIMITS, exhausted=True), fairness.Slot)
    # after the cool-off, a probe goes through a degraded slot, and its success closes
    after = now + fairness.BREAKER_BASE + 1
    assert fairness.state(ep, after) == "degraded"
    assert fairness.observe(ep, QUICK, after, LIMITS) == "healthy"
    assert fairness.state(fresh(ep), after) == "healthy"


@pytest.mark.slow
def test_a_message_without_a_slot_goes_back_on_the_queue_later_unattempted(
        api: Api, stopped_clock: StoppedClock) -> None:
    key = api.partner()["key"]
    ep = make_endpoint(api, key)
    now = stopped_clock().timestamp()
    fairness.observe(ep, FAILED, now, LIMITS)  # degraded: its partner's 2 slots
    ep = fresh(ep)
    held = admit_all(ep, now)
    assert len(held) == fairness.DEGRADED_SLOTS
    event = {"id": "evt_0000000000000000000000000", "type": "gift.issued",
             "created_at": "2026-01-01T00:00:00Z", "campaign_id": None, "data": {}}
    m = {"event_id": event["id"], "partner_id": ep.partner_id, "event": event,
         "endpoint_id": ep.id, "attempt": 0, "first_at": now, "due": now, "deferred": 3}
    local_queue.LOCAL_QUEUE.clear()
    try:
        assert sending.process(m, sending.Tuning(timeout=10.0)) == "deferred"
        assert len(local_queue.LOCAL_QUEUE) == 1
        stopped_clock.at += timedelta(hours=1)
        (again,) = [local_queue.LOCAL_QUEUE.take(1.0)]
        assert again is not None and again["attempt"] == 0 and again["deferred"] == 4
        assert again["due"] - now >= 8.0 / 2  # defer_delay(3): 16 s with equal jitter
        assert ok(api.call("GET", f"/v1/webhook-endpoints/{ep.id}/deliveries",
                           key=key))["data"] == []
        local_queue.LOCAL_QUEUE.done(again)
    finally:
        local_queue.LOCAL_QUEUE.clear()


# ------------------------------------------------------------------ redelivery budgets


@pytest.fixture
def events_of(api: Api) -> Iterator[tuple[str, list[str], list[WebhookEndpointModel]]]:
    """A partner with two endpoints and three stored events: (key, event ids, endpoints)."""
    from chalicelib.core.clock import now
    from chalicelib.delivery import events

    partner = api.partner()
    eps = [make_endpoint(api, partner["key"]) for _ in range(2)]
    made = [events.new_event(f"test:{uuid.uuid4()}", "gift.issued", partner["id"], None, {},
                             now()) for _ in range(3)]
    for ev in made:
        assert events.store(ev)
    local_queue.LOCAL_QUEUE.clear()
    yield partner["key"], [ev.id for ev in made], eps
    local_queue.LOCAL_QUEUE.clear()


def redeliver(api: Api, key: str, event_id: str):  # noqa: ANN201 - the test client's answer
    return api.call("POST", f"/v1/events/{event_id}/redeliver", key=key)


def test_an_event_is_redelivered_at_most_five_times_an_hour(
        api: Api, events_of, stopped_clock: StoppedClock) -> None:
    key, (eid, *_), _ = events_of
    stopped_clock.at = stopped_clock.at.replace(minute=0, second=10)
    for _ in range(redelivery.EVENT_PER_HOUR):
        assert ok(redeliver(api, key, eid), 202)["deliveries_queued"] == 2
    refused = redeliver(api, key, eid)
    assert_problem(refused, 429, "rate_limited")
    assert int(header(refused, "Retry-After")) == 3600 - 10
    assert len(local_queue.LOCAL_QUEUE) == 2 * redelivery.EVENT_PER_HOUR  # none for the 429
    stopped_clock.at += timedelta(hours=1)
    assert ok(redeliver(api, key, eid), 202)["deliveries_queued"] == 2


def test_an_endpoint_takes_a_budget_of_redeliveries_a_minute_all_or_nothing(
        api: Api, events_of, stopped_clock: StoppedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redelivery, "ENDPOINT_PER_MINUTE", 2)
    key, (a, b, c), _ = events_of
    stopped_clock.at = stopped_clock.at.replace(second=15)
    ok(redeliver(api, key, a), 202)
    ok(redeliver(api, key, b), 202)
    refused = redeliver(api, key, c)
    assert_problem(refused, 429, "rate_limited")
    assert "redelivered deliveries queued a minute" in refused.json_body["detail"]
    assert int(header(refused, "Retry-After")) == 60 - 15
    # one transaction: the refused call counted nothing for event c either
    hour = int(stopped_clock().timestamp()) // 3600 * 3600
    with pytest.raises(RateModel.DoesNotExist):
        RateModel.get(redelivery_key(c, hour), consistent_read=True)
    assert RateModel.get(redelivery_key(a, hour), consistent_read=True).n == 1
    stopped_clock.at += timedelta(minutes=1)
    ok(redeliver(api, key, c), 202)


def test_an_endpoints_answer_shows_its_health_degraded_open_and_recovered(api: Api) -> None:
    key = api.partner()["key"]
    ep = make_endpoint(api, key)

    def shown() -> dict:
        return ok(api.call("GET", f"/v1/webhook-endpoints/{ep.id}", key=key))["health"]

    assert shown() == {"state": "healthy", "consecutive_failures": 0,
                       "degraded_until": None, "breaker_open_until": None}
    # one failure: degraded for a while
    fairness.observe(fresh(ep), FAILED, time.time(), LIMITS)
    after_one = shown()
    assert after_one["state"] == "degraded" and after_one["consecutive_failures"] == 1
    assert after_one["degraded_until"] and after_one["breaker_open_until"] is None
    # five in a row: the breaker is open
    for _ in range(fairness.BREAKER_AFTER - 1):
        fairness.observe(fresh(ep), FAILED, time.time(), LIMITS)
    opened = shown()
    assert opened["state"] == "open" and opened["consecutive_failures"] == 5
    assert opened["breaker_open_until"]
    listed = ok(api.call("GET", "/v1/webhook-endpoints", key=key))["data"]
    assert [e["health"]["state"] for e in listed] == ["open"]
    # a prompt success: healthy again
    fairness.observe(fresh(ep), QUICK, time.time(), LIMITS)
    assert shown() == {"state": "healthy", "consecutive_failures": 0,
                       "degraded_until": None, "breaker_open_until": None}


# ------------------------------------------------------------------ attempts recorded


class Receivers:
    """The receivers' answers, at `sending.post`: per event id, the outcomes planned
    for its attempts in turn (then a prompt 200), and what was posted."""

    def __init__(self) -> None:
        self.plan: dict[str, list[Outcome]] = {}
        self.posted: list[str] = []
        self.lock = threading.Lock()

    def post(self, target: Any, headers: dict[str, str], body: bytes, timeout: float
             ) -> Outcome:
        event_id = headers["Rewards-Event-Id"]
        with self.lock:
            self.posted.append(event_id)
            planned = self.plan.get(event_id) or []
            return planned.pop(0) if planned else Outcome(True, 200, 40, None)


@pytest.fixture
def receivers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receivers]:
    """Stubbed receivers, and a sender clock that moves a second each time it is read
    (every attempt has an instant of its own, whatever thread makes it)."""
    got = Receivers()
    monkeypatch.setattr(sending, "post", got.post)
    ticks = itertools.count()
    start = time.time() + 60  # the messages made after this are due at once
    monkeypatch.setattr(sending, "timestamp", lambda: start + next(ticks))
    local_queue.LOCAL_QUEUE.clear()
    yield got
    local_queue.LOCAL_QUEUE.clear()


def stored_events(partner_id: str, n: int) -> list[Any]:
    from chalicelib.core.clock import now
    from chalicelib.delivery import events

    made = [events.new_event(f"test:{uuid.uuid4()}", "gift.issued", partner_id, None, {},
                             now()) for _ in range(n)]
    for ev in made:
        assert events.store(ev)
    return made


def deliver(api: Api, messages: list[dict]) -> dict:
    """The deployed entry point: one SQS batch to the webhook function (each record
    with its own message id)."""
    event = api.client.events.generate_sqs_event([json.dumps(m) for m in messages])
    for n, record in enumerate(event["Records"]):
        record["messageId"] = f"m{n}"
    return api.client.lambda_.invoke("deliver_webhooks", event).payload


def listed(api: Api, key: str, endpoint_id: str, limit: int = 100) -> list[dict]:
    return list(api.pages(f"/v1/webhook-endpoints/{endpoint_id}/deliveries?limit={limit}",
                          key=key))


def items_of(endpoint_id: str) -> list[WebhookDeliveryModel]:
    return [i for n in range(EVENT_SLICES)
            for i in WebhookDeliveryModel.query(f"{endpoint_id}#{n:02d}")]


@pytest.fixture
def hooked(api: Api, receivers: Receivers) -> tuple[str, WebhookEndpointModel]:
    partner = api.partner()
    return partner["key"], make_endpoint(api, partner["key"])


def test_a_batch_of_events_to_one_endpoint_is_one_record_listed_newest_first(
        api: Api, hooked: tuple[str, WebhookEndpointModel], receivers: Receivers) -> None:
    key, ep = hooked
    made = stored_events(ep.partner_id, 10)
    for n, ev in enumerate(made):
        receivers.plan[ev.id] = [Outcome(True, 200 + n % 3, 10 + n, None)]
    assert deliver(api, [queues.message(ev, ep.id, time.time()) for ev in made]) == {
        "batchItemFailures": []}
    assert sorted(receivers.posted) == sorted(ev.id for ev in made)
    # ten attempts, one item under 1 KB: one write unit where there were ten
    (item,) = items_of(ep.id)
    assert item_size(item.serialize()) <= KB
    got = listed(api, key, ep.id)
    assert len(got) == 10 and len({d["id"] for d in got}) == 10
    times = [d["attempted_at"] for d in got]
    assert times == sorted(times, reverse=True) and len(set(times)) == 10  # newest first
    planned = {ev.id: (200 + n % 3, 10 + n) for n, ev in enumerate(made)}
    for d in got:
        assert (d["response_code"], d["duration_ms"]) == planned[d["event_id"]]
        assert (d["status"], d["event_type"], d["attempt"], d["error"],
                d["next_attempt_at"]) == ("succeeded", "gift.issued", 1, None, None)


def test_a_cursor_inside_a_record_pages_through_every_attempt_once(
        api: Api, hooked: tuple[str, WebhookEndpointModel]) -> None:
    key, ep = hooked
    made = stored_events(ep.partner_id, 23)
    for batch in (made[:10], made[10:20], made[20:]):  # three records: 10, 10 and 3
        sending.process_batch([queues.message(ev, ep.id, time.time()) for ev in batch])
    assert len(items_of(ep.id)) == 3
    whole = listed(api, key, ep.id)
    assert len(whole) == 23
    for limit in (1, 3, 7):  # pages end inside records, at their edges, anywhere
        assert listed(api, key, ep.id, limit) == whole
    # a cursor inside a record, then another page size: nothing skipped or repeated
    first = ok(api.call("GET", f"/v1/webhook-endpoints/{ep.id}/deliveries?limit=4", key=key))
    rest = list(api.pages(
        f"/v1/webhook-endpoints/{ep.id}/deliveries?limit=5&cursor={first['next_cursor']}",
        key=key))
    assert first["data"] + rest == whole


def test_failures_and_retries_are_listed_with_their_codes_and_next_attempts(
        api: Api, hooked: tuple[str, WebhookEndpointModel], receivers: Receivers,
        stopped_clock: StoppedClock) -> None:
    key, ep = hooked
    flaky, dead, fine = stored_events(ep.partner_id, 3)
    receivers.plan[flaky.id] = [Outcome(False, 503, 25, None)]
    receivers.plan[dead.id] = [Outcome(False, None, 10_000, "timeout")]
    outcomes = sending.process_batch([queues.message(ev, ep.id, time.time())
                                      for ev in (flaky, dead, fine)])
    assert sorted(outcomes) == ["delivered", "retrying", "retrying"]
    # the retries are queued again (due in the sender's future); their next round is
    # a batch of its own
    stopped_clock.at += timedelta(hours=1)
    retries = local_queue.LOCAL_QUEUE.take_batch(10, 0)
    assert sorted(m["event_id"] for m in retries) == sorted([flaky.id, dead.id])
    local_queue.LOCAL_QUEUE.done_batch(retries)
    assert sending.process_batch([dict(m, due=0) for m in retries]) == ["delivered"] * 2
    got = listed(api, key, ep.id)
    by_event = {(d["event_id"], d["attempt"]): d for d in got}
    assert len(got) == 5 and len(items_of(ep.id)) == 2
    first = by_event[(flaky.id, 1)]
    assert (first["status"], first["response_code"], first["duration_ms"]) == (
        "failed", 503, 25)
    assert first["next_attempt_at"] is not None
    assert first["next_attempt_at"] >= first["attempted_at"]
    timed_out = by_event[(dead.id, 1)]
    assert (timed_out["status"], timed_out["response_code"], timed_out["error"]) == (
        "failed", None, "timeout")
    for eid in (flaky.id, dead.id):
        second = by_event[(eid, 2)]
        assert (second["status"], second["response_code"], second["next_attempt_at"]) == (
            "succeeded", 200, None)
    # the second round's attempts are newer, and listed first
    assert {(d["event_id"], d["attempt"]) for d in got[:2]} == {(flaky.id, 2), (dead.id, 2)}
    assert fresh(ep).status == "enabled"


def test_a_410_in_a_batch_disables_the_endpoint_and_its_attempt_is_listed(
        api: Api, hooked: tuple[str, WebhookEndpointModel], receivers: Receivers) -> None:
    key, ep = hooked
    gone, other = stored_events(ep.partner_id, 2)
    receivers.plan[gone.id] = [Outcome(False, 410, 5, None)]
    outcomes = sending.process_batch([queues.message(ev, ep.id, time.time())
                                      for ev in (gone, other)])
    assert sorted(outcomes) == ["delivered", "disabled"]
    assert "410" in (fresh(ep).disabled_reason or "") and fresh(ep).status == "disabled"
    assert {(d["event_id"], d["response_code"], d["next_attempt_at"])
            for d in listed(api, key, ep.id)} == {(gone.id, 410, None), (other.id, 200, None)}
    assert len(local_queue.LOCAL_QUEUE) == 0  # no retry of a 410


def test_a_message_that_fails_is_reported_alone_and_the_rest_are_recorded(
        api: Api, hooked: tuple[str, WebhookEndpointModel], receivers: Receivers) -> None:
    key, ep = hooked
    made = stored_events(ep.partner_id, 3)
    messages = [queues.message(ev, ep.id, time.time()) for ev in made]
    del messages[1]["first_at"]  # a message the sender cannot handle
    event = api.client.events.generate_sqs_event([json.dumps(m) for m in messages] + ["{"])
    for n, record in enumerate(event["Records"]):
        record["messageId"] = f"m{n}"
    answer = api.client.lambda_.invoke("deliver_webhooks", event).payload
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]}
    assert {d["event_id"] for d in listed(api, key, ep.id)} == {made[0].id, made[2].id}


def test_attempts_recorded_one_per_item_before_records_are_still_listed(
        api: Api, hooked: tuple[str, WebhookEndpointModel], receivers: Receivers) -> None:
    """Items of the earlier shape stay in a deployed table until their TTL removes
    them: they are listed among the records, by their instant, and paged through."""
    from chalicelib.core.clock import iso

    key, ep = hooked
    made = stored_events(ep.partner_id, 8)
    base = datetime.now(UTC) - timedelta(minutes=10)
    for n, ev in enumerate(made[:4]):  # what the sender wrote before records
        at = base + timedelta(seconds=n)
        did = f"whd_old{n:019d}"
        WebhookDeliveryModel(
            pk=attempt_key(ep.id, ev.id), endpoint_id=ep.id,
            sort_key=f"{at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{did}", id=did,
            event_id=ev.id, event_type=ev.type, attempt=1, status="failed",
            response_code=500, duration_ms=30 + n, error=None,
            next_attempt_at=iso(at + timedelta(seconds=30)), attempted_at=iso(at),
            expires_at=at + timedelta(days=30)).save()
    sending.process_batch([queues.message(ev, ep.id, time.time()) for ev in made[4:]])
    got = listed(api, key, ep.id)
    assert len(got) == 8
    assert [d["event_id"] for d in got[4:]] == [ev.id for ev in reversed(made[:4])]
    assert {d["event_id"] for d in got[:4]} == {ev.id for ev in made[4:]}
    old = got[-1]
    assert old == {"id": "whd_old" + "0" * 19, "event_id": made[0].id,
                   "event_type": "gift.issued", "attempt": 1, "status": "failed",
                   "response_code": 500, "duration_ms": 30, "error": None,
                   "attempted_at": iso(base),
                   "next_attempt_at": iso(base + timedelta(seconds=30))}
    for limit in (1, 3, 5):
        assert listed(api, key, ep.id, limit) == got
