"""Every partition-key shape, in one place.

Which items share a partition key decides what is hot: DynamoDB serves one key
from one partition, at most 1,000 write units a second. So no key is shared by a
campaign's whole traffic: a campaign is `CAMPAIGN_SHARDS` shards (`<campaign>#NN`),
and every item the money path writes per move (the shard, its day row, its hour
row, the gifts' campaign index entry) hangs off one shard's key. A player's items
hang off `<campaign>#<player id>`.
"""

from __future__ import annotations

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


def player_key(campaign_id: str, player_id: str) -> str:
    """A player's counters and won gifts (the gifts' player index)."""
    return f"{campaign_id}#{player_id}"
