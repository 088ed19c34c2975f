"""Every partition-key shape, in one place.

Which items share a partition key decides what is hot: DynamoDB serves one key
from one partition, at most 1,000 write units a second. So no key is shared by a
campaign's whole traffic: a campaign is `CAMPAIGN_SHARDS` shards (`<campaign>#NN`),
and every item the money path writes per move (the shard, its day row, its hour
row, the gifts' campaign index entry) hangs off one shard's key. A player's items
hang off `<campaign>#<player id>`.
"""

from __future__ import annotations

import hashlib

REDEEMED = "#r"
"""The suffix of a shard's hour rows that redemptions count in: spins, issues and
redemptions at the contract's rates together would take one hour-row key past
1,000 write units a second."""


def shard_key(campaign_id: str, n: int) -> str:
    return f"{campaign_id}#{n:02d}"


def shard_keys(campaign_id: str, shards: int) -> list[str]:
    return [shard_key(campaign_id, n) for n in range(shards)]


def redeemed_hour_key(shard: str) -> str:
    """The hour-row key a redemption on `shard` counts in."""
    return shard + REDEEMED


def hour_keys(campaign_id: str, shards: int) -> list[str]:
    """Every hour-row key of a campaign: per shard, its own and its redemptions'."""
    own = shard_keys(campaign_id, shards)
    return own + [redeemed_hour_key(key) for key in own]


def player_key(campaign_id: str, player: str) -> str:
    """A player's counters and won gifts (the gifts' player index). `player` is a keyed
    hash of the player id (`money.campaigns.player_key_of`), or on a campaign made
    before issue 21 the id itself."""
    return f"{campaign_id}#{player}"


EVENT_SLICES = 64
"""Keys a partner's events (and an endpoint's delivery attempts) spread over. At the
contract's rates one partner makes about 20,000 events a second (spins that win make
two), 30,000 once every issued gift is also delivered: about 470 write units a
second on each of 64 keys, under half of what a partition serves."""


def event_slice(event_id: str) -> int:
    """The slice of an event: from the hash part of its id (its last 15 hex digits);
    an id of any other shape (a caller's typo) lands on slice 0 and is not found."""
    try:
        return int(event_id[-15:], 16) % EVENT_SLICES
    except ValueError:
        return 0


def event_key(partner_id: str, event_id: str) -> str:
    return f"{partner_id}#{event_slice(event_id):02d}"


def event_keys(partner_id: str) -> list[str]:
    return [f"{partner_id}#{n:02d}" for n in range(EVENT_SLICES)]


def attempt_key(endpoint_id: str, event_id: str) -> str:
    """Where an endpoint's attempt at an event was recorded, one item per attempt,
    until attempts were packed (`attempts_key`): the event's slice. Items of that
    shape stay listed until their TTL removes them."""
    return f"{endpoint_id}#{event_slice(event_id):02d}"


def attempts_key(endpoint_id: str, record_id: str) -> str:
    """Where one record of a sender batch's attempts to an endpoint goes
    (`delivery.attempts`): a slice chosen by the record's id, so an endpoint's records
    spread over its EVENT_SLICES keys like its attempts did (fewer items, each ~10
    attempts: a tenth of the units on each key)."""
    n = int.from_bytes(hashlib.blake2b(record_id.encode(), digest_size=4).digest(), "big")
    return f"{endpoint_id}#{n % EVENT_SLICES:02d}"


def attempt_keys(endpoint_id: str) -> list[str]:
    return [f"{endpoint_id}#{n:02d}" for n in range(EVENT_SLICES)]


def sender_slot_key(owner: str, n: int) -> str:
    """One of the few sender slots of an endpoint (or of a partner's degraded
    endpoints) in the `rate-limits` table (delivery.fairness). A handful per owner,
    each written twice per attempt at most: no key takes a sender pool's rate."""
    return f"sender#{owner}#{n}"


def redelivery_key(owner: str, window: int) -> str:
    """A redelivery budget's count in `rate-limits`: of one event for an hour, or of
    one endpoint for a minute (`window` is the window's start, POSIX seconds)."""
    return f"redeliver#{owner}#{window}"


ONE = "-"
"""The sort key of an item that is alone under its partition key."""


def template_key(partner_id: str) -> str:
    """A partner's message templates (sort key `<channel>#<locale>#<kind>`): read
    rarely and cached, written by hand."""
    return f"tpl#{partner_id}"


def zalo_key(partner_id: str) -> str:
    return f"zalo#{partner_id}"


def suppression_key(partner_id: str, contact_hash: str) -> str:
    """One contact the partner may not write to, by a keyed hash of it."""
    return f"sup#{partner_id}#{contact_hash}"


OUTBOX = "outbox"
"""The local outbox's one key: only a local stack writes it."""


DUE_SLICES = 64
"""Keys the deliveries' due index spreads over. At 5,000 issues a second, each with a
delivery (and a reminder), the index takes about 4 writes per gift (put and delete
of the delivery's entry, the same for its reminder): 20,000 a second over 64 keys,
about 310 write units a second each."""


def due_key(delivery_id: str) -> str:
    """The due-index slice of a delivery: from a hash of its id."""
    digest = hashlib.sha256(delivery_id.encode()).digest()
    return f"due#{int.from_bytes(digest[:4], 'big') % DUE_SLICES:02d}"


def due_keys() -> list[str]:
    return [f"due#{n:02d}" for n in range(DUE_SLICES)]


COUNTER_SLICES = 16
"""Keys a batch's delivery counters spread over (by the gift's index in the batch):
the counters move with every send of the batch, at up to the channel's rate."""


def counter_key(batch_id: str, index: int) -> str:
    return f"bat#{batch_id}#{index % COUNTER_SLICES:02d}"


def counter_keys(batch_id: str) -> list[str]:
    return [f"bat#{batch_id}#{n:02d}" for n in range(COUNTER_SLICES)]
