"""Webhook delivery: one attempt per queue message, recorded, retried with backoff.

Delivery is at least once: every (event, endpoint) pair is a queue message
(`queues`); a worker POSTs the event, records the attempt, and on anything but a
2xx within `timeout` re-enqueues the message with exponential backoff and jitter
until the first attempt is `retry_window` old (3 days), then disables the
endpoint. The receiver's answer is honoured as the Standard Webhooks spec asks:
410 Gone disables the endpoint at once (the partner turned it off), and a 429 or
5xx with `Retry-After` is not retried sooner than that (at most RETRY_AFTER_CAP
later, so a wrong header cannot park a delivery for days). Every attempt has one
deadline (`outbound.post`), and holds a sender only under `fairness`'s slots, so
one partner's slow or failing endpoints cannot hold the senders every partner
shares. Deployed, the worker is the webhook queue's Lambda; under `make run` and in
tests it is a thread of devtools/local_queue.py.

SSRF: every URL is checked when it is set and again before every delivery, and
called only through `outbound`, the one module that opens connections to
addresses a partner chose."""

from __future__ import annotations

import json
import logging
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.core import errors, ids
from chalicelib.core.clock import iso, timestamp
from chalicelib.core.config import settings
from chalicelib.core.ids import new_id
from chalicelib.delivery import fairness, queues
from chalicelib.delivery.outbound import Outcome, check_url, post
from chalicelib.delivery.signing import active_secrets, signature, standard_headers
from chalicelib.store.keys import attempt_key, event_key
from chalicelib.store.records import EventModel, WebhookDeliveryModel, WebhookEndpointModel
from chalicelib.store.retry import condition_failed

if TYPE_CHECKING:  # boto3's types: a development dependency (requirements-dev.txt)
    pass

log = logging.getLogger("rewards.webhooks")
DELIVERY_TTL = timedelta(days=30)
RETRY_AFTER_CAP = 6 * 3600.0
"""The longest a receiver's `Retry-After` may delay a retry (the backoff's own cap)."""


class Tuning(Struct, frozen=True):
    """Delivery timing, from the settings (tests shorten it)."""

    timeout: float = 10.0
    backoff_base: float = 30.0
    backoff_cap: float = 6 * 3600.0
    retry_window: float = 3 * 24 * 3600.0

    @classmethod
    def from_settings(cls) -> Tuning:
        s = settings()
        return cls(timeout=s.webhook_timeout_seconds,
                   backoff_base=s.webhook_backoff_base_seconds,
                   backoff_cap=s.webhook_backoff_cap_seconds,
                   retry_window=s.webhook_retry_window_seconds)


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None
                  ) -> float:
    """Seconds before retry `attempt` (1 = the first retry): exponential, capped, with
    "equal jitter" (half fixed, half random) so a receiver that comes back is not
    hit by every retry at once, and no retry comes sooner than half the step."""
    step = min(cap, base * 2 ** min(max(attempt - 1, 0), 40))
    return step / 2 + (rng or random).uniform(0, step / 2)


def retry_delay(attempt: int, outcome: Outcome, tuning: Tuning) -> float:
    """The backoff, or longer when a 429 or 5xx came with `Retry-After` (never more
    than RETRY_AFTER_CAP for the header's sake)."""
    delay = backoff_delay(attempt, tuning.backoff_base, tuning.backoff_cap)
    asked = outcome.retry_after
    if asked is not None and outcome.code is not None and (
            outcome.code == 429 or outcome.code >= 500):
        delay = max(delay, min(asked, RETRY_AFTER_CAP))
    return delay


# ------------------------------------------------------------------ delivery


def body_of(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def _event_of(m: dict[str, Any], ep: WebhookEndpointModel) -> dict[str, Any] | None:
    """The message's event (opened: `queues.opened_event`); a message queued before
    messages carried it is read from the store (the endpoint's partner names the
    event's key)."""
    if queues.SEALED_EVENT in m or "event" in m:
        return queues.opened_event(m, ep.partner_id)
    try:
        ev = EventModel.get(event_key(ep.partner_id, m["event_id"]), m["event_id"])
    except DoesNotExist:
        return None
    return queues.event_body(ev) if ev.partner_id == ep.partner_id else None


def process(m: dict[str, Any], tuning: Tuning | None = None) -> str:
    """Handle one queue message; returns what happened (for logs and tests)."""
    tuning = tuning or Tuning.from_settings()
    now = timestamp()
    if float(m["due"]) > now + 1:  # an SQS hop shorter than the wait: go round again
        queues.queue().send([m])
        return "waiting"
    try:
        ep = WebhookEndpointModel.get(m["endpoint_id"], consistent_read=True)
    except DoesNotExist:
        return "gone"
    ev = _event_of(m, ep)
    if ev is None:
        return "gone"
    if ep.status != "enabled":
        return "endpoint disabled"
    # fairness: hold a sender only with a slot of this endpoint (or, when it is in
    # trouble, of its partner's few); else back on the queue, a little later
    limits = fairness.Limits.for_timing(tuning.timeout, tuning.backoff_base)
    deferrals = int(m.get("deferred", 0))
    slot = fairness.admit(ep, now, limits, deferrals,
                          exhausted=now - float(m["first_at"]) >= tuning.retry_window)
    if not isinstance(slot, fairness.Slot):
        queues.queue().send([dict(m, due=now + slot, deferred=deferrals + 1)])
        return "deferred"
    body = body_of(ev)
    moment = datetime.fromtimestamp(now, UTC)
    keys = active_secrets(ep, moment)
    headers = {"Content-Type": "application/json", "User-Agent": "Rewards-Webhooks/1",
               "Rewards-Event-Id": ev["id"], "Rewards-Event-Type": ev["type"],
               "Rewards-Signature": signature(keys, int(now), body),
               **standard_headers(keys, ev["id"], int(now), body)}
    try:
        target = check_url(ep.url)
        outcome = post(target, headers, body, tuning.timeout)
    except errors.WebhookUrlNotAllowed as exc:
        outcome = Outcome(False, None, 0, exc.detail[:200])
    finally:
        fairness.release(slot)
    fairness.observe(ep, outcome, now, limits)
    attempt = int(m["attempt"]) + 1
    next_at = None
    exhausted = False
    gone = outcome.code == 410
    if not outcome.ok and not gone:
        exhausted = now - float(m["first_at"]) >= tuning.retry_window
        if not exhausted:
            next_at = now + retry_delay(attempt, outcome, tuning)
    _record(ep, ev, attempt, outcome, moment, next_at)
    if outcome.ok:
        return "delivered"
    if gone:
        _disable(ep.id, f"the receiver answered 410 Gone to event {ev['id']} "
                        f"(attempt {attempt})", moment)
        return "disabled"
    if exhausted:
        _disable(ep.id, f"deliveries failed for {tuning.retry_window / 3600:g} hours "
                        f"({attempt} attempts of event {ev['id']}; last: "
                        f"{outcome.code or outcome.error})", moment)
        return "disabled"
    queues.queue().send([dict(m, attempt=attempt, due=next_at, deferred=0)])
    return "retrying"


def _record(ep: WebhookEndpointModel, ev: dict[str, Any], attempt: int, outcome: Outcome,
            moment: datetime, next_at: float | None) -> None:
    """One put (an item under 1 KB) on the endpoint's key for the event's slice."""
    did = new_id(ids.DELIVERY)
    at = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    WebhookDeliveryModel(
        pk=attempt_key(ep.id, ev["id"]), endpoint_id=ep.id, sort_key=f"{at}#{did}", id=did,
        event_id=ev["id"], event_type=ev["type"], attempt=attempt,
        status="succeeded" if outcome.ok else "failed",
        response_code=outcome.code, duration_ms=outcome.duration_ms, error=outcome.error,
        next_attempt_at=iso(datetime.fromtimestamp(next_at, UTC)) if next_at else None,
        attempted_at=iso(moment), expires_at=moment + DELIVERY_TTL).save()


def _disable(endpoint_id: str, reason: str, moment: datetime) -> None:
    m = WebhookEndpointModel
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=[m.status.set("disabled"), m.disabled_reason.set(reason),
                     m.updated_at.set(iso(moment))], condition=m.status == "enabled")
    except (UpdateError, PutError) as exc:
        if not condition_failed(exc):
            raise
    log.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)


def process_message(body: str) -> str:
    """The SQS consumer's entry point."""
    return process(json.loads(body))
