"""Each API key's own rate limit, so one partner cannot use a whole stage's quota;
and each player's and each campaign's, for player tokens (issue 21: a token in a
loop was never refused).

Three policies, each a one-second window counted the same way (below):

    API key      `default`   the key's own limit, else API_KEY_RATE_LIMIT (1,000/s)
    player token `player`    per player of a campaign, PLAYER_RATE_LIMIT (10/s),
                             counted per instance (`admit_player` says why)
                 `campaign`  per campaign, all its players, CAMPAIGN_PLAY_RATE_LIMIT
                             (20,000/s: above the 10,000 spins/s a campaign sustains)

Every answer says where the caller stands (`Decision`, the RateLimit and
RateLimit-Policy fields of draft-ietf-httpapi-ratelimit-headers-10), and a refusal
is 429 `rate_limited` with `Retry-After` and the same fields.

Why in the application: API Gateway's usage plans want a second key in
`x-api-key` (or the partner's secret copied into API Gateway) and are best
effort by AWS's own word (infra/README.md weighs them); the stage's throttling
stays as the outer guard.

Why leases: counting each request in DynamoDB cost one write (and a round trip)
per request, doubling a warm money move's calls. Instead each Lambda instance
leases a block of the key's current one-second window from the shared count
(item `key_id#second#slot` in `rate-limits`): one conditional UpdateItem adds the
lease on condition that the window stays within the limit, and the instance then
admits that many requests from memory. The lease follows the instance's own pace:
its use in the previous second times MARGIN, scaled to the part of the second
still ahead, and within a second at least what it has used so far (a burst
doubles it), never less than `min_lease` nor more than the slot holds. When the
condition fails, a lease of 1 tells what is left (ALL_NEW returns the count);
only when the slots it tries are full is the request refused with 429
`rate_limited`.

Cost: about one write a second per busy instance per key (a burst from idle adds
log2 of its size; an instance making under one request a second still writes once
per request), instead of one per request; a refusal costs no write once the
instance has seen the window full.

Exactness: never more than the limit in a window, across every instance: each
slot's count only takes a lease that fits, the slots' capacities add up to the
limit, and an instance admits only what it leased, in the second it leased for
(its own clock's). It may refuse early: by what other instances leased for that
second and have not used (each at most its last lease: about a quarter of its
own previous second's use, the margin, or up to what it used so far after a
burst), and, for limits above SLOT_RATE, by room left in slots this instance has
not reached (it tries up to SLOTS_PER_REQUEST a request). Leases left at the end
of a second lapse with it. A busy key's window is spread over slots of at most
SLOT_RATE requests, so no item takes more than half a partition's write units
even if every lease were of one request.
"""

from __future__ import annotations

import logging
import math
import random
import threading
from datetime import UTC, datetime
from urllib.parse import quote

from msgspec import Struct, field
from pynamodb.exceptions import UpdateError

from chalicelib.core import errors
from chalicelib.core.cache import Cache
from chalicelib.core.clock import timestamp
from chalicelib.core.config import settings
from chalicelib.store.models import RateModel
from chalicelib.store.retry import condition_failed

log = logging.getLogger("rewards.ratelimit")
SLOT_RATE = 500
KEEP_SECONDS = 120  # windows are read only in their second; TTL tidies them up
MARGIN = 1.25  # a lease covers the previous second's pace plus a quarter
MIN_LEASE = 10  # the most a quiet instance strands (less for small limits)
SLOTS_PER_REQUEST = 2  # slots one request may try before it is refused
KEYS_PER_INSTANCE = 10_000  # windows kept in memory; the least recent go first


class Decision(Struct, frozen=True):
    """What admitting a request left, for the RateLimit headers (issue 22).

    `remaining`: what this instance holds for the key in this window, plus what the
    key's slots could still hold when it last leased (a slot it has not tried
    counts whole). Exact while one instance serves the key; with several, others
    may have taken some since, so a request may still be refused before it reaches
    0 (the draft allows this: `r` is a hint, the 429 is the rule)."""

    limit: int
    remaining: int
    reset_seconds: int
    policy: str = "default"
    """The policy's name in RateLimit-Policy and RateLimit."""


def limit_for(key_limit: int | None) -> int:
    return key_limit or settings().api_key_rate_limit


WINDOW_SECONDS = 1


def headers(decisions: list[Decision]) -> dict[str, str]:
    """`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-10,
    structured-field lists): `"<policy>";q=<quota>;w=<window s>` and
    `"<policy>";r=<remaining>;t=<seconds to reset>`, one item per policy."""
    if not decisions:
        return {}
    return {"RateLimit-Policy": ", ".join(f'"{d.policy}";q={d.limit};w={WINDOW_SECONDS}'
                                          for d in decisions),
            "RateLimit": ", ".join(f'"{d.policy}";r={max(0, d.remaining)};t={d.reset_seconds}'
                                   for d in decisions)}


def refusal(decisions: list[Decision], message: str) -> errors.RateLimited:
    """429 `rate_limited` for the last of `decisions` (the one that refused): the
    Retry-After and the RateLimit fields of every policy checked so far."""
    refused = decisions[-1]
    return errors.RateLimited(message, headers={"Retry-After": str(refused.reset_seconds),
                                                **headers(decisions)},
                              extra={"limit": refused.limit, "policy": refused.policy})


def slot_caps(limit: int) -> list[int]:
    """How many requests each slot of a window may count: at most SLOT_RATE each,
    adding up to exactly `limit`, so the slots never admit more than the key's
    limit between them."""
    slots = max(1, math.ceil(limit / SLOT_RATE))
    base, extra = divmod(limit, slots)
    return [base + (1 if i < extra else 0) for i in range(slots)]


def min_lease(limit: int) -> int:
    """1% of the limit, between 1 and MIN_LEASE: a quiet instance holds little."""
    return max(1, min(MIN_LEASE, limit // 100))


def lease_size(*, previous: int, used: int, fraction_left: float, smallest: int,
               room: int) -> int:
    """How many requests to lease: the previous second's pace with a margin, for
    the part of the second still ahead; at least what this second has used so far
    (a burst doubles its lease, so it needs log2 of its size in writes); at least
    `smallest`; never more than `room` (what the slot may still hold)."""
    expected = math.ceil(previous * MARGIN * max(0.0, min(1.0, fraction_left)))
    return max(1, min(room, max(smallest, used, expected)))


class _Window(Struct):
    """One key's state in this instance: its allowance in the current second."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    limit: int = 0
    second: int = -1
    allowance: int = 0  # leased and not yet admitted
    used: int = 0  # admitted in `second`
    previous: int = 0  # admitted in the second before
    slot: int | None = None  # where this instance leases from in `second`
    room: dict[int, int] = field(default_factory=dict)  # most a slot can still hold

    def roll(self, second: int, limit: int) -> None:
        """A new second (or a new limit) starts a new window; leases lapse."""
        if second == self.second and limit == self.limit:
            return
        self.previous = self.used if second == self.second + 1 else 0
        self.limit, self.second = limit, second
        self.allowance = self.used = 0
        self.slot = None
        self.room = {}


class Limiter:
    """The leases of one process (one Lambda instance). Tests make several to play
    instances sharing the table; the service uses the module's one (`admit`)."""

    def __init__(self) -> None:
        self._windows: Cache[str, _Window] = Cache("rate-leases", KEYS_PER_INSTANCE)

    def admit(self, key_id: str, key_limit: int | None,
              now: float | None = None) -> Decision | None:
        """Admit this request against the API key's limit, or raise 429
        `rate_limited`. None when the key has no limit."""
        limit = limit_for(key_limit)
        if not limit:
            return None
        decision = self.take(key_id, limit, now)
        if decision.remaining < 0:
            raise refusal([decision], f"This API key may make {limit} requests a second; "
                                      f"retry after {_seconds(decision.reset_seconds)}")
        return decision

    def take(self, key: str, limit: int, now: float | None = None, policy: str = "default",
             shared: bool = True) -> Decision:
        """Count one request against `key`'s `limit` a second: its Decision, with
        `remaining` -1 when refused (nothing is counted then). A DynamoDB fault
        admits it (fail open). Not `shared`: counted in this instance only, with no
        DynamoDB call at all."""
        now = timestamp() if now is None else now
        second = math.floor(now)
        reset = max(1, math.ceil(second + 1 - now))
        window = self._windows.update(key, lambda w: w or _Window())
        with window.lock:  # Lambda serves one request at a time; `chalice local` does not
            window.roll(second, limit)
            if not shared:
                if window.used >= limit:
                    return Decision(limit, -1, reset, policy)
                window.used += 1
                return Decision(limit, limit - window.used, reset, policy)
            if window.allowance == 0 and not self._lease(window, key, now):
                window.used += 1  # admitted, fail open: keeps the pace estimate honest
                return Decision(limit, 0, reset, policy)
            if window.allowance == 0:
                return Decision(limit, -1, reset, policy)
            window.allowance -= 1
            window.used += 1
            return Decision(limit, window.allowance + _room(window), reset, policy)

    def _lease(self, window: _Window, key_id: str, now: float) -> bool:
        """Add to `window.allowance` from the shared count, trying up to
        SLOTS_PER_REQUEST slots that are not known to be full. False: DynamoDB
        failed, and the caller admits the request anyway."""
        caps = slot_caps(window.limit)
        for _ in range(SLOTS_PER_REQUEST):
            if window.slot is None or window.room.get(window.slot, caps[window.slot]) <= 0:
                open_slots = [s for s in range(len(caps)) if window.room.get(s, caps[s]) > 0]
                if not open_slots:
                    return True
                window.slot = random.choice(open_slots)
            slot = window.slot
            want = lease_size(previous=window.previous, used=window.used,
                              fraction_left=window.second + 1 - now,
                              smallest=min_lease(window.limit),
                              room=window.room.get(slot, caps[slot]))
            try:
                got = _take(key_id, window.second, slot, caps[slot], want)
                if got is None and want > 1:  # less than `want` is left: how much?
                    got = _take(key_id, window.second, slot, caps[slot], 1)
            except UpdateError as exc:  # not a refusal: _take answers those with None
                # fail open: a limiter that cannot count must not refuse what the
                # request's own storage call will answer anyway (503 if DynamoDB is down)
                log.warning("rate limit not counted for %s: %s", key_id, errors.aws_code(exc))
                return False
            if got is None:
                window.room[slot] = 0
                continue
            leased, room = got
            window.allowance += leased
            window.room[slot] = room
            return True
        return True


def _seconds(n: int) -> str:
    return f"{n} second{'s' if n != 1 else ''}"


def _room(window: _Window) -> int:
    """What the window's slots could still lease, as this instance last saw them (a
    slot it has not tried counts whole)."""
    return sum(window.room.get(i, cap) for i, cap in enumerate(slot_caps(window.limit)))


def _take(key_id: str, second: int, slot: int, cap: int, n: int) -> tuple[int, int] | None:
    """Lease `n` requests from one slot of the window, if they fit: (n, what the
    slot could still hold just after), or None when they do not fit."""
    item = RateModel(pk=f"{key_id}#{second}#{slot}")
    try:
        item.update(actions=[RateModel.n.add(n), RateModel.expires_at.set(
                        datetime.fromtimestamp(second + KEEP_SECONDS, UTC))],
                    condition=RateModel.n.does_not_exist() | (RateModel.n <= cap - n))
    except UpdateError as exc:
        if condition_failed(exc):
            return None
        raise
    return n, max(0, cap - int(item.n))


_LIMITER = Limiter()


def admit(key_id: str, key_limit: int | None, now: float | None = None) -> Decision | None:
    """Admit this request against the key's limit in this process's leases, or raise
    429 `rate_limited` with Retry-After (seconds to the next window)."""
    return _LIMITER.admit(key_id, key_limit, now)


def player_key(campaign_id: str, player_id: str) -> str:
    """The limiter's key of one player of one campaign. Player ids are the partner's
    and may hold any character (`#` too, the rate table's separator), so the id is
    percent-encoded: `#` and `%` never appear raw, and no two players share a key."""
    return f"player:{campaign_id}#{quote(player_id, safe='')}"


def campaign_key(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


def admit_player(campaign_id: str, player_id: str, now: float | None = None,
                 limiter: Limiter | None = None) -> list[Decision]:
    """Admit a player token's request against its player's and its campaign's
    limits (a limit of 0 is none), or raise 429 `rate_limited` with Retry-After.

    A player's limit is counted in this instance only: a player is rarely warm (a
    spin every few seconds), so a shared count would cost each spin a lease write
    and a second DynamoDB call. What it guards against, one token in a loop, is
    refused by every instance the loop reaches; a player spread over n instances
    may make n times the limit, and their spins stay bounded by the campaign's
    spin limits, enforced in each spin's own transaction. The campaign's limit is
    shared (its leases are warm at any rate that matters)."""
    cfg = settings()
    limiter = limiter or _LIMITER
    now = timestamp() if now is None else now
    decisions: list[Decision] = []
    for key, limit, policy, who, shared in (
            (player_key(campaign_id, player_id), cfg.player_rate_limit, "player",
             "A player", False),
            (campaign_key(campaign_id), cfg.campaign_play_rate_limit, "campaign",
             "The players of a campaign", True)):
        if not limit:
            continue
        decision = limiter.take(key, limit, now, policy, shared)
        decisions.append(decision)
        if decision.remaining < 0:
            raise refusal(decisions, f"{who} may make {limit} requests a second; retry "
                                     f"after {_seconds(decision.reset_seconds)}")
    return decisions
