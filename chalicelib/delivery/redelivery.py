"""Budgets for `POST /v1/events/{id}/redeliver`: each call queues one delivery per
subscribed endpoint, so without a cap a partner could fill the senders' queue (and
its own endpoints) at the API's rate.

Two budgets, counted together in one transaction (all or nothing):
- per event: at most EVENT_PER_HOUR redeliveries of one event in a clock hour;
- per endpoint: at most ENDPOINT_PER_MINUTE redelivered deliveries queued for one
  endpoint in a clock minute, whatever the events.
Beyond either, 429 `rate_limited` with `Retry-After` (seconds to the window's end).

No hot key: each count is an item of `rate-limits` keyed by the event and its hour,
or by the endpoint and its minute, and it is written only while the budget has
room (a conditional UpdateItem); a process that saw a count full refuses without
writing until its window ends.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from chalicelib.core import errors
from chalicelib.core.cache import Cache
from chalicelib.store.keys import redelivery_key
from chalicelib.store.models import RateModel
from chalicelib.store.transactions import Cancelled, Txn

EVENT_PER_HOUR = 5
ENDPOINT_PER_MINUTE = 30
HOUR, MINUTE = 3600, 60

_full: Cache[str, float] = Cache("redelivery.full", 10_000)
"""Counts this process saw full -> when their window ends."""


def _window(now: float, size: int) -> int:
    return int(now // size) * size


def charge(event_id: str, endpoint_ids: list[str], now: float) -> None:
    """Count one redelivery of `event_id` to `endpoint_ids`, or raise 429."""
    hour, minute = _window(now, HOUR), _window(now, MINUTE)
    event_key = redelivery_key(event_id, hour)
    endpoint_keys = {redelivery_key(e, minute): e for e in endpoint_ids}
    for key in (event_key, *endpoint_keys):
        until = _full.get(key)
        if until is not None and now < until:
            raise _budget_spent(key == event_key, until, now)
    txn = Txn()
    for label, key, cap, ends in (
            ("event", event_key, EVENT_PER_HOUR, hour + HOUR),
            *((key, key, ENDPOINT_PER_MINUTE, minute + MINUTE) for key in endpoint_keys)):
        txn.update(label, RateModel(pk=key),
                   [RateModel.n.add(1), RateModel.expires_at.set(
                       datetime.fromtimestamp(ends, UTC) + timedelta(hours=1))],
                   condition=RateModel.n.does_not_exist() | (RateModel.n < cap))
    try:
        txn.commit()
    except Cancelled as cancelled:
        if "event" in cancelled:
            _full.put(event_key, hour + HOUR)
            raise _budget_spent(True, hour + HOUR, now) from None
        for key in endpoint_keys:
            if key in cancelled:
                _full.put(key, minute + MINUTE)
        raise _budget_spent(False, minute + MINUTE, now) from None


def _budget_spent(event: bool, until: float, now: float) -> errors.RateLimited:
    wait = max(1, math.ceil(until - now))
    what = f"An event may be redelivered {EVENT_PER_HOUR} times an hour" if event else \
        f"An endpoint may have {ENDPOINT_PER_MINUTE} redelivered deliveries queued a minute"
    return errors.RateLimited(f"{what}; retry after {wait} s",
                              headers={"Retry-After": str(wait)})
