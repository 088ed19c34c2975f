"""Fair senders: one partner's slow or failing endpoints cannot hold the senders that
every partner shares.

The senders are a fixed pool (deployed: the webhook Lambda's MaximumConcurrency, 20;
locally: devtools/local_queue.py's threads). Each attempt may hold a sender up to
the delivery deadline (10 s), so without limits a partner whose endpoints drip or
hang, or who queues many redeliveries, occupies the pool and every other partner's
webhooks wait behind it. Three rules, checked by the sender before it connects:

- **Healthy endpoints take no slot.** A receiver that answers promptly frees its
  sender within its answer's time, and a lease per attempt would cost every
  delivery two writes and cap a busy partner's throughput; deployed, the queue's
  messages carry the partner as their message group (SQS fair queues), so one
  partner's backlog does not delay another's messages; locally the queue serves
  partners in turn (devtools/local_queue.py).
- **Degraded endpoints share a partner's few slots.** An endpoint whose last
  attempt failed (timeout, refused, non-2xx) or answered slower than SLOW_SHARE of
  the deadline is degraded for DEGRADED_SECONDS: its attempts need one of its
  partner's DEGRADED_SLOTS instead, so all of a partner's troubled endpoints
  together hold at most that many senders.
- **A breaker for endpoints that keep failing.** After BREAKER_AFTER consecutive
  failures, attempts wait (no connection, no attempt recorded) until the breaker's
  cool-off ends (BREAKER_BASE, doubling per further failure, at most BREAKER_CAP);
  then degraded slots let a probe or two through, and a success closes it. A message
  past its retry window is attempted despite the breaker, so the rule that disables
  a dead endpoint still applies.

Cost: nothing for a healthy endpoint (its health is read with the endpoint, which
the sender reads anyway, and written only when an attempt fails or is slow, and
once when it recovers); a degraded endpoint's attempt adds a lease and its release
(two small writes on its partner's DEGRADED_SLOTS keys). A deferral costs the
failed lease tries and one queue send.

What this bounds: once an endpoint is degraded, a partner holds at most
DEGRADED_SLOTS senders with its troubled endpoints; before that, each endpoint's
first failing round holds the senders its messages reached for one deadline. Other
partners wait for a sender only when more partners are in trouble at once than the
pool has room for (infra/README.md gives the figures).
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta

from msgspec import Struct
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from chalicelib.core import errors
from chalicelib.delivery.outbound import Outcome
from chalicelib.store.keys import sender_slot_key
from chalicelib.store.models import RateModel
from chalicelib.store.records import WebhookEndpointModel
from chalicelib.store.retry import condition_failed

log = logging.getLogger("rewards.webhooks.fairness")

DEGRADED_SLOTS = 2
"""Attempts in flight to all of one partner's degraded endpoints together."""
DEGRADED_SECONDS = 60.0
SLOW_SHARE = 0.5
"""An answer slower than this share of the deadline degrades its endpoint."""
BREAKER_AFTER = 5
BREAKER_BASE = 30.0
BREAKER_CAP = 600.0
DEFER_BASE = 2.0
DEFER_CAP = 300.0
TRIES = 2
"""Slots one admission tries (each a conditional write) before it defers."""
LEASE_MARGIN = 5.0
"""A lease outlives the deadline by this much: the sender's own writes after it."""


class Limits(Struct, frozen=True):
    """The rules' timings for one delivery deadline. Tests shorten the backoff,
    and these follow it (never longer than deployed)."""

    deadline: float
    defer_base: float = DEFER_BASE
    breaker_base: float = BREAKER_BASE

    @classmethod
    def for_timing(cls, deadline: float, backoff_base: float) -> Limits:
        return cls(deadline, min(DEFER_BASE, backoff_base), min(BREAKER_BASE, backoff_base))


class Slot(Struct, frozen=True):
    key: str  # "" for a healthy endpoint's attempt: no lease
    until: int  # the lease's end in microseconds, with random low digits: its owner's mark


FREE = Slot("", 0)
"""What a healthy endpoint's attempt runs under: nothing leased, nothing to release."""


def state(ep: WebhookEndpointModel, now: float) -> str:
    """`open` (the breaker holds attempts back), `degraded` or `healthy`."""
    if ep.open_until is not None and now < float(ep.open_until):
        return "open"
    if ep.degraded_until is not None and now < float(ep.degraded_until):
        return "degraded"
    return "healthy"


def defer_delay(deferrals: int, base: float, rng: random.Random | None = None) -> float:
    """Seconds before a deferred message is tried again: doubling with each deferral
    of the same message, up to DEFER_CAP, with equal jitter (a crowd of deferred
    messages does not come back at once)."""
    step = min(DEFER_CAP, base * 2 ** min(max(deferrals, 0), 30))
    return step / 2 + (rng or random).uniform(0, step / 2)


def breaker_delay(failures: int, base: float) -> float:
    """The breaker's cool-off after `failures` consecutive failures (from
    BREAKER_AFTER on): BREAKER_BASE, doubling, at most BREAKER_CAP."""
    return min(BREAKER_CAP, base * 2 ** min(max(failures - BREAKER_AFTER, 0), 30))


def admit(ep: WebhookEndpointModel, now: float, limits: Limits, deferrals: int = 0,
          exhausted: bool = False) -> Slot | float:
    """A slot to make the attempt under, or the seconds to wait before trying again
    (the caller puts the message back on the queue)."""
    kind = state(ep, now)
    if kind == "open" and not exhausted:
        cool = float(ep.open_until) - now
        return cool + random.uniform(0, max(cool, limits.breaker_base) / 4)
    if kind == "healthy":
        return FREE
    # degraded, or open for a message past its window
    keys = [sender_slot_key(f"{ep.partner_id}#degraded", n) for n in range(DEGRADED_SLOTS)]
    slot = lease(random.sample(keys, min(TRIES, len(keys))), now,
                 limits.deadline + LEASE_MARGIN)
    return slot if slot is not None else defer_delay(deferrals, limits.defer_base)


def lease(keys: list[str], now: float, seconds: float) -> Slot | None:
    """The first of `keys` whose lease has lapsed, taken for `seconds`."""
    now_us = int(now * 1_000_000)
    for key in keys:
        until = (now_us + int(seconds * 1_000_000)) // 1000 * 1000 + random.randrange(1000)
        try:
            RateModel(pk=key).update(
                actions=[RateModel.n.set(until),
                         RateModel.expires_at.set(_expiry(now + seconds))],
                condition=RateModel.n.does_not_exist() | (RateModel.n < now_us))
        except UpdateError as exc:
            if condition_failed(exc):
                continue
            raise
        return Slot(key, until)
    return None


def release(slot: Slot) -> None:
    """Give the slot back (if the lease is still ours: it may have lapsed and been
    taken); a failure leaves it to lapse."""
    if not slot.key:
        return
    try:
        RateModel(pk=slot.key).update(actions=[RateModel.n.set(0)],
                                      condition=RateModel.n == slot.until)
    except UpdateError as exc:
        if not condition_failed(exc):
            log.warning("sender slot %s not released: %s", slot.key, errors.aws_code(exc))


def observe(ep: WebhookEndpointModel, outcome: Outcome, now: float, limits: Limits) -> str:
    """Record what the attempt says about the endpoint's health; returns its state
    after. Writes only on a failure, a slow answer, or a recovery."""
    m = WebhookEndpointModel
    took = outcome.duration_ms / 1000
    if not outcome.ok:
        failures = int(ep.failures or 0) + 1
        actions: list[Action] = [m.failures.add(1),
                                 m.degraded_until.set(now + DEGRADED_SECONDS)]
        kind = "degraded"
        if failures >= BREAKER_AFTER:
            actions.append(m.open_until.set(now + breaker_delay(failures, limits.breaker_base)))
            kind = "open"
    elif took > limits.deadline * SLOW_SHARE:
        actions = [m.failures.set(0), m.degraded_until.set(now + DEGRADED_SECONDS),
                   m.open_until.remove()]
        kind = "degraded"
    elif ep.failures or ep.degraded_until is not None or ep.open_until is not None:
        actions = [m.failures.set(0), m.degraded_until.remove(), m.open_until.remove()]
        kind = "healthy"
    else:
        return "healthy"
    try:  # on condition the endpoint still exists: an update would create a stub
        WebhookEndpointModel(id=ep.id).update(actions=actions, condition=m.id.exists())
    except UpdateError as exc:
        if not condition_failed(exc):
            log.warning("endpoint %s health not recorded: %s", ep.id, errors.aws_code(exc))
    return kind


def _expiry(at: float) -> datetime:
    """When the slot's item may go (TTL): long after any lease on it has lapsed."""
    return datetime.fromtimestamp(at, UTC) + timedelta(hours=1)
