"""Webhook delivery: one attempt per queue message, recorded, retried with backoff.

Delivery is at least once: every (event, endpoint) pair is a queue message
(`queues`); a worker takes a batch of them, POSTs each event (all at once), records
the batch's attempts together (`attempts`: one record per endpoint, a fraction of a
write unit per attempt), and on anything but a 2xx within `timeout` re-enqueues
the message with exponential backoff and jitter until the first attempt is
`retry_window` old (3 days), then disables the endpoint. The receiver's answer is
honoured as the Standard Webhooks spec asks:
410 Gone disables the endpoint at once (the partner turned it off), and a 429 or
5xx with `Retry-After` is not retried sooner than that (at most RETRY_AFTER_CAP
later, so a wrong header cannot park a delivery for days). Every attempt has one
deadline (`outbound.post`), and holds a sender only under `fairness`'s slots, so
one partner's slow or failing endpoints cannot hold the senders every partner
shares. Deployed, the worker is the webhook queue's Lambda (batches of up to 10
messages); under `make run` and in tests it is a thread of devtools/local_queue.py.

SSRF: every URL is checked when it is set and again before every delivery, and
called only through `outbound`, the one module that opens connections to
addresses a partner chose."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from msgspec import Struct
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.core import errors
from chalicelib.core.clock import iso, timestamp
from chalicelib.core.config import settings
from chalicelib.delivery import attempts, fairness, queues
from chalicelib.delivery.outbound import Outcome, check_url, post
from chalicelib.delivery.signing import active_secrets, signature, standard_headers
from chalicelib.store.keys import event_key
from chalicelib.store.records import EventModel, WebhookEndpointModel
from chalicelib.store.retry import condition_failed

if TYPE_CHECKING:  # boto3's types: a development dependency (requirements-dev.txt)
    pass

log = logging.getLogger("rewards.webhooks")
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


ERROR = "error"
"""A message whose handling raised (logged): deployed it is reported back to SQS as
failed, so only it is received again (and dead-lettered after 5 receives)."""


class _Tried(Struct):
    """What one message of a batch came to, before the batch's writes."""

    outcome: str
    attempt: attempts.Attempt | None = None
    again: dict[str, Any] | None = None  # the message to queue again (due later)
    disable: str | None = None  # why its endpoint is disabled


def process(m: dict[str, Any], tuning: Tuning | None = None) -> str:
    """Handle one queue message (a batch of one); returns what happened (for logs
    and tests). An error is raised, not reported."""
    (done,) = _handle([m], tuning, raise_errors=True)
    return done


def process_batch(messages: list[dict[str, Any]], tuning: Tuning | None = None) -> list[str]:
    """Handle a batch of queue messages; returns what happened to each, ERROR for a
    message whose handling raised (the others are done). The attempts are made at
    once (each under its own deadline and fairness slot: a slow receiver holds
    none of the others), then recorded together (`attempts.write`: one record per
    endpoint, about a tenth of a write unit per attempt), then the retries are
    queued and the endpoints that must be disabled are. If the record cannot be
    written the batch raises: every message of it is received again (at least once)."""
    return _handle(messages, tuning, raise_errors=False)


def process_messages(bodies: list[str]) -> list[str]:
    """The SQS consumer's entry point: a batch of message bodies."""
    parsed: list[dict[str, Any] | None] = []
    for body in bodies:
        try:
            parsed.append(json.loads(body))
        except ValueError:
            log.exception("a webhook message is not JSON")
            parsed.append(None)
    done = iter(process_batch([m for m in parsed if m is not None]))
    return [ERROR if m is None else next(done) for m in parsed]


def _handle(messages: list[dict[str, Any]], tuning: Tuning | None, raise_errors: bool
            ) -> list[str]:
    tuning = tuning or Tuning.from_settings()
    tried: list[_Tried] = []
    for m, result in zip(messages, _each(lambda m: _try(m, tuning), messages), strict=True):
        if isinstance(result, BaseException):
            if raise_errors:
                raise result
            log.error("webhook message %s/%s failed", m.get("event_id"), m.get("endpoint_id"),
                      exc_info=result)
            result = _Tried(ERROR)
        tried.append(result)
    attempts.write([t.attempt for t in tried if t.attempt is not None])
    again = [t for t in tried if t.again is not None]
    if again:
        try:
            queues.queue().send([cast(dict[str, Any], t.again) for t in again])
        except Exception:
            if raise_errors:
                raise
            log.exception("%d webhook messages not queued again", len(again))
            for t in again:
                t.outcome = ERROR
    for t in tried:
        if t.disable is not None and t.attempt is not None:
            try:
                _disable(t.attempt.endpoint_id, t.disable, t.attempt.at)
            except Exception:
                if raise_errors:
                    raise
                log.exception("endpoint %s not disabled", t.attempt.endpoint_id)
                t.outcome = ERROR
    return [t.outcome for t in tried]


T = TypeVar("T")


def _each(fn: Callable[[dict[str, Any]], T], messages: list[dict[str, Any]]
          ) -> list[T | BaseException]:
    """`fn` of every message, all at once (a thread each: they wait on receivers),
    each one's exception caught as its result."""

    def safe(m: dict[str, Any]) -> T | BaseException:
        try:
            return fn(m)
        except Exception as exc:  # noqa: BLE001 - reported per message by the caller
            return exc

    if len(messages) <= 1:
        return [safe(m) for m in messages]
    with ThreadPoolExecutor(max_workers=len(messages), thread_name_prefix="attempt") as pool:
        return list(pool.map(safe, messages))


def _try(m: dict[str, Any], tuning: Tuning) -> _Tried:
    now = timestamp()
    if float(m["due"]) > now + 1:  # an SQS hop shorter than the wait: go round again
        return _Tried("waiting", again=m)
    try:
        ep = WebhookEndpointModel.get(m["endpoint_id"], consistent_read=True)
    except DoesNotExist:
        return _Tried("gone")
    ev = _event_of(m, ep)
    if ev is None:
        return _Tried("gone")
    if ep.status != "enabled":
        return _Tried("endpoint disabled")
    # fairness: hold a sender only with a slot of this endpoint (or, when it is in
    # trouble, of its partner's few); else back on the queue, a little later
    limits = fairness.Limits.for_timing(tuning.timeout, tuning.backoff_base)
    deferrals = int(m.get("deferred", 0))
    slot = fairness.admit(ep, now, limits, deferrals,
                          exhausted=now - float(m["first_at"]) >= tuning.retry_window)
    if not isinstance(slot, fairness.Slot):
        return _Tried("deferred", again=dict(m, due=now + slot, deferred=deferrals + 1))
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
    made = attempts.Attempt(
        endpoint_id=ep.id, event_id=ev["id"], event_type=ev["type"], attempt=attempt,
        ok=outcome.ok, code=outcome.code, duration_ms=outcome.duration_ms,
        error=outcome.error, at=moment, next_at=next_at)
    if outcome.ok:
        return _Tried("delivered", made)
    if gone:
        return _Tried("disabled", made, disable=f"the receiver answered 410 Gone to event "
                                                f"{ev['id']} (attempt {attempt})")
    if exhausted:
        return _Tried("disabled", made, disable=(
            f"deliveries failed for {tuning.retry_window / 3600:g} hours ({attempt} attempts "
            f"of event {ev['id']}; last: {outcome.code or outcome.error})"))
    return _Tried("retrying", made, again=dict(m, attempt=attempt, due=next_at, deferred=0))


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
    """One message alone (a batch of one)."""
    return process(json.loads(body))
