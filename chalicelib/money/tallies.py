"""The report's counts, kept by the money path on items it writes anyway.

Why not a row per move: every spin, issue and redemption wrote its shard's hour
row in its own transaction, and every issue and win its gift's day row, 2 write
units each on a third or fourth item. Now the counts ride on an item the move
already writes (a *holder*) until they are *rolled* into their row. Two kinds of
count are carried (`Slot`), the same way:

- `HOURS`, the hour now running: a spin's or an issue's shard (`<cmp>#NN` rows),
  a redemption's, capture's or reversal's day row (`<cmp>#NN#r` rows) carries
  `th` (the hour), `t<name>` (the counts, by HourModel attribute name) and `tv`;
- `EXPIRY`, the issue counts of one local expiry day: a single issue's or a win's
  shard carries `xd` (the day), `xn`/`xa` (gifts and amount: issued and open
  alike) and `xv`, rolled into the shard's day row of `xd` (DayModel). A batch's
  reservation writes its day row itself (one row for thousands of gifts).

A holder holds the counts of ONE row at a time; a move adds to them on the
condition that the holder holds its row (or none yet: a new item, or one written
before). `*v` counts the writes that counted in them.

The first move of a later row (an hour, an expiry day) finds that condition
false: its cancelled write hands the holder back (ALL_OLD), and the move tries
again *rolling*: it adds the old counts to the old row and starts the holder on
its own, on the condition that the holder still holds exactly what it saw (the
row and `*v`), so nothing is lost or counted twice. A move of a row the holder
has left already (clocks differ between Lambdas by a moment) writes its own row
directly, as every move did before, so a holder only ever moves forward, which is
what lets a reader tell a roll from an add: the report sums the rows and the
holders' counts not rolled yet (`pending_of`, `held_days`), reading the holders
before and after the rows. An hour row is written about once an hour per holder;
a day row of issue counts about once a local day per shard ("valid N days after
issue": each day's gifts expire on the next expiry day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from msgspec import Struct

from chalicelib.core import periods
from chalicelib.money import budget_shards, campaigns
from chalicelib.store.keys import redeemed_hour_key
from chalicelib.store.models import TALLY_NAMES, DayModel, GiftModel, HourModel, ShardModel
from chalicelib.store.transactions import Cancelled, Txn

HOUR = "hour"  # the transaction label of an hour row
Holder = type[ShardModel] | type[DayModel]


# ------------------------------------------------------------------ counts


def spin_tally(now: datetime, tz: str, last_hour: str | None) -> periods.Tally:
    """Where a spin counts; its `at` is the spin's stamp (see periods.tally)."""
    return periods.tally(now, tz, last_hour)


def spin_counts(tally: periods.Tally, win: bool, amount: int) -> dict[str, int]:
    """A spin (and, on a win, the gift it issues); a distinct player counts once per
    hour and once per day, as the player item's hour told."""
    counts = {"sp": 1, "ph": int(tally.first_hour), "pd": int(tally.first_day)}
    if win:
        counts |= {"wn": 1, "in": 1, "ia": amount}
    return counts


def issue_counts(count: int, amount: int) -> dict[str, int]:
    """Gifts issued by the API (singly or a batch's reservation)."""
    return {"in": count, "ia": amount}


def hour_of(now: datetime, tz: str) -> str:
    return periods.hour_key(now, tz)


def redeem_hour(gift: GiftModel, now: datetime) -> str:
    """The hour a redemption or reversal of `gift` counts in (its campaign's zone)."""
    return periods.hour_key(now, campaigns.terms(gift.partner_id, gift.campaign_id).timezone)


def redeem_counts(gift: GiftModel, amount: int) -> dict[str, int]:
    """A redemption; a won gift also counts for its prize."""
    counts = {"rn": 1, "ra": amount}
    if gift.prize_seg is not None:
        counts |= {f"c{int(gift.prize_seg)}": 1, f"a{int(gift.prize_seg)}": amount}
    return counts


def reversal_counts(gift: GiftModel, amount: int) -> dict[str, int]:
    """A reversal nets out of the amount redeemed, as the report's totals do; a won
    gift's prize counts that much less claimed (the money is back on the gift)."""
    counts = {"vn": 1, "va": amount}
    if gift.prize_seg is not None:
        counts[f"a{int(gift.prize_seg)}"] = -amount
    return counts


# ------------------------------------------------------------------ holders


def _add_to_hour(txn: Txn, pk: str, hour: str, counts: dict[str, int]) -> None:
    actions = [_attr(k).add(v) for k, v in counts.items() if v]
    if actions:
        txn.update(HOUR, HourModel(pk=pk, hour=hour), actions)


def _add_to_day(txn: Txn, pk: str, day: str, counts: dict[str, int]) -> None:
    """Issue counts into the shard's day row of their expiry day (label
    budget_shards.DAY: the move writes no other day row)."""
    if counts.get("n") or counts.get("a"):
        budget_shards.count_day(txn, pk, day, **budget_shards.issue_deltas(
            counts.get("n", 0), counts.get("a", 0)))


class Slot(Struct, frozen=True):
    """One kind of count a holder carries: the attribute naming the row they belong
    to (`at`: an hour, an expiry day), the one counting the writes in them
    (`version`), the counts' attribute prefix and names, and how they go to their
    row (`add(txn, row key, row, counts)`)."""

    at: str
    version: str
    prefix: str
    names: tuple[str, ...]
    add: Callable[[Txn, str, str, dict[str, int]], None]


HOURS = Slot("th", "tv", "t", TALLY_NAMES, _add_to_hour)
"""The hour now running, for the hour rows (shards and day rows hold it)."""
EXPIRY = Slot("xd", "xv", "x", ("n", "a"), _add_to_day)
"""Issue counts of one expiry day, for the day rows (shards hold them)."""


class Seen(Struct, frozen=True):
    """A holder as a refused write handed it back: the row it holds (`at`), its
    counts, its version."""

    at: str | None
    version: int = 0
    counts: dict[str, int] = {}


def seen_on(item: ShardModel | DayModel | None, slot: Slot = HOURS) -> Seen:
    at = None if item is None else getattr(item, slot.at, None)
    if item is None or at is None:
        return Seen(None)
    counts = {name: int(n) for name in slot.names
              if (n := getattr(item, slot.prefix + name, None)) is not None and int(n)}
    return Seen(at, int(getattr(item, slot.version) or 0), counts)


class Fold(Struct, frozen=True):
    """A move's part on its holder: actions to add, and the condition they need
    (None: no condition; the move's counts went to their row instead)."""

    actions: list
    condition: Any

    def __and__(self, other: Fold) -> Fold:
        """Two parts on one holder (a win's hour and expiry-day counts)."""
        if self.condition is None or other.condition is None:
            condition = other.condition if self.condition is None else self.condition
        else:
            condition = self.condition & other.condition
        return Fold(self.actions + other.actions, condition)


def _attr(name: str) -> Any:
    return getattr(HourModel, "in_" if name == "in" else name)


def _mode(at: str, seen: Seen | None) -> str:
    if seen is None or seen.at is None or seen.at == at:
        return "add"
    if seen.at > at:
        return "late"
    return "roll"


def fold(txn: Txn, model: Holder, row_key: str, at: str, counts: dict[str, int],
         seen: Seen | None, slot: Slot = HOURS) -> Fold:
    """Count `counts` in row `at` (an hour; with EXPIRY an expiry day) on a holder of
    rows `row_key`, given what the last refused write showed of it (`seen`; None:
    assume it holds `at`, or nothing yet, as a new item or one written before issue
    26). A roll or a late move also writes a row into `txn` (label HOUR, or
    budget_shards.DAY)."""
    counts = {k: v for k, v in counts.items() if v}
    mode = _mode(at, seen)
    held, version = getattr(model, slot.at), getattr(model, slot.version)

    def count(name: str) -> Any:
        return getattr(model, slot.prefix + name)

    if mode == "add":
        actions = [count(k).add(v) for k, v in counts.items()]
        return Fold(actions + [version.add(1), held.set(at)],
                    (held == at) | held.does_not_exist())
    assert seen is not None and seen.at is not None
    if mode == "late":
        slot.add(txn, row_key, at, counts)
        return Fold([], None)
    # roll: the holder's row gets its counts, then it starts on ours
    slot.add(txn, row_key, seen.at, seen.counts)
    actions = [held.set(at), version.set(1)]
    actions += [count(k).set(v) for k, v in counts.items()]
    actions += [count(k).remove() for k in seen.counts if k not in counts]
    return Fold(actions, (held == seen.at) & (version == seen.version))


def refused(cancelled: Cancelled, label: str, model: Holder, at: str,
            seen: Seen | None, slot: Slot = HOURS) -> Seen | None:
    """What to try again with when the holder's refusal is the tally's (its row or
    counts moved since `seen`); None when the tally's condition held, so the refusal
    was someone else's (the budget, the campaign's state)."""
    if label not in cancelled:
        return None
    return refused_item(cancelled.old(label, model), at, seen, slot)


def refused_item(old: ShardModel | DayModel | None, at: str, seen: Seen | None,
                 slot: Slot = HOURS) -> Seen | None:
    """`refused`, given the holder as the cancelled write handed it back."""
    now_seen = seen_on(old, slot)
    mode = _mode(at, seen)
    if mode == "late":
        return None
    if mode == "add":
        return now_seen if now_seen.at not in (None, at) else None
    assert seen is not None
    same = (now_seen.at, now_seen.version) == (seen.at, seen.version)
    return None if same else now_seen


# ------------------------------------------------------- a shard's two slots


class OnShard(Struct, frozen=True):
    """What refusals showed of a spin's or an issue's shard: its hour (`HOURS`) and
    its expiry day (`EXPIRY`); None: nothing seen yet."""

    hour: Seen | None = None
    day: Seen | None = None


def issued_counts(issued: list[GiftModel]) -> dict[str, int]:
    return {"n": len(issued), "a": sum(int(g.amount) for g in issued)}


def fold_shard(txn: Txn, key: str, hour: str, counts: dict[str, int],
               issued: list[GiftModel], seen: OnShard) -> Fold:
    """A spin's or an issue's part on shard `key`: the hour's `counts` and, for the
    gifts it issues (all of one expiry day), their day row's issue counts."""
    counted = fold(txn, ShardModel, key, hour, counts, seen.hour)
    if not issued:
        return counted
    day = issued[0].expiry_day
    assert all(g.expiry_day == day for g in issued)
    return counted & fold(txn, ShardModel, key, day, issued_counts(issued), seen.day, EXPIRY)


def refused_shard(cancelled: Cancelled, label: str, hour: str, issued: list[GiftModel],
                  seen: OnShard) -> OnShard | None:
    """`refused` for `fold_shard`'s two slots: what to try again with when either
    refused the write, else None (the refusal was the budget's, the campaign's)."""
    if label not in cancelled:
        return None
    old = cancelled.old(label, ShardModel)
    hour_again = refused_item(old, hour, seen.hour)
    day_again = refused_item(old, issued[0].expiry_day, seen.day, EXPIRY) if issued else None
    if hour_again is None and day_again is None:
        return None
    return OnShard(hour_again or seen.hour, day_again or seen.day)


def redeemed_row_key(gift: GiftModel) -> str:
    """The hour rows a gift's redemptions and reversals count in."""
    return redeemed_hour_key(gift.shard_key)


# ------------------------------------------------------------------ reading


class Pending(Struct, frozen=True):
    """Counts a holder has not rolled into hour row (`row_key`, `hour`) yet."""

    row_key: str
    hour: str
    counts: dict[str, int]


def pending_of(shards: list[ShardModel], days: list[DayModel]) -> dict[str, Pending]:
    """Holder id -> what it holds (shards count in their own rows, day rows in their
    shard's redemption rows). Pure: the caller reads the items."""
    out: dict[str, Pending] = {}
    for s in shards:
        seen = seen_on(s)
        if seen.at is not None:
            out[s.pk] = Pending(s.pk, seen.at, seen.counts)
    for d in days:
        seen = seen_on(d)
        if seen.at is not None:
            out[f"{d.pk}/{d.day}"] = Pending(redeemed_hour_key(d.pk), seen.at, seen.counts)
    return out


def held_days(shards: list[ShardModel]) -> dict[str, dict[str, int]]:
    """Expiry day -> the day-row figures the shards hold for it and have not rolled
    into their day rows yet (issued and open alike). Pure."""
    out: dict[str, dict[str, int]] = {}
    for s in shards:
        seen = seen_on(s, EXPIRY)
        if seen.at is None or not seen.counts:
            continue
        slot = out.setdefault(seen.at, {})
        for name, n in budget_shards.issue_deltas(seen.counts.get("n", 0),
                                                  seen.counts.get("a", 0)).items():
            slot[name] = slot.get(name, 0) + n
    return out


def same_days(before: list[ShardModel], after: list[ShardModel]) -> bool:
    """Whether no shard rolled its expiry day between two reads (days only move
    forward, so the same day means no roll: what it holds is in no row read between)."""
    was = {s.pk: s.xd for s in before}
    return all(was.get(s.pk) in (None, s.xd) for s in after)
