"""The report's hour counts, kept by the money path on items it writes anyway.

Why not an hour row per move: every spin, issue and redemption wrote its shard's
hour row in its own transaction, 2 write units on a third item. Now the counts of
the hour now running ride on an item the move already writes (a *holder*): a
spin's or an issue's shard (`<cmp>#NN` rows), a redemption's, capture's or
reversal's day row (`<cmp>#NN#r` rows). A holder carries `th` (the hour),
`t<name>` (the counts, by HourModel attribute name) and `tv` (how many writes
counted in them); a move adds to them on the condition `th == its hour` (or no
hour yet: a new item, or one written before).

The first move of a later hour finds that condition false: its cancelled write
hands the holder back (ALL_OLD), and the move tries again *rolling*: it adds the
old counts to the old hour's row and starts the holder on its own hour, on the
condition that the holder still holds exactly what it saw (`th` and `tv`), so
nothing is lost or counted twice. A move stamped in an hour the holder has left
already (clocks differ between Lambdas by a moment) writes its own hour row
directly, as every move did before. So a holder's hour row is written about once
an hour; the report sums the rows and the holders' counts not rolled yet
(`pending`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from msgspec import Struct

from chalicelib.core import periods
from chalicelib.money import campaigns
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


class Seen(Struct, frozen=True):
    """A holder as a refused write handed it back: its hour, its counts, its `tv`."""

    hour: str | None
    version: int = 0
    counts: dict[str, int] = {}


def seen_on(item: ShardModel | DayModel | None) -> Seen:
    if item is None or item.th is None:
        return Seen(None)
    counts = {name: int(n) for name in TALLY_NAMES
              if (n := getattr(item, f"t{name}", None)) is not None and int(n)}
    return Seen(item.th, int(item.tv or 0), counts)


class Fold(Struct, frozen=True):
    """A move's part on its holder: actions to add, and the condition they need
    (None: no condition; the move's counts went to an hour row instead)."""

    actions: list
    condition: Any


def _attr(name: str) -> Any:
    return getattr(HourModel, "in_" if name == "in" else name)


def _add_to_row(txn: Txn, pk: str, hour: str, counts: dict[str, int]) -> None:
    actions = [_attr(k).add(v) for k, v in counts.items() if v]
    if actions:
        txn.update(HOUR, HourModel(pk=pk, hour=hour), actions)


def _mode(hour: str, seen: Seen | None) -> str:
    if seen is None or seen.hour is None or seen.hour == hour:
        return "add"
    if seen.hour > hour:
        return "late"
    return "roll"


def fold(txn: Txn, model: Holder, row_key: str, hour: str, counts: dict[str, int],
         seen: Seen | None) -> Fold:
    """Count `counts` in `hour` on a holder of hour rows `row_key`, given what the
    last refused write showed of it (`seen`; None: assume it holds `hour`, or no hour
    yet, as a new item or one written before issue 26). A roll or a late move also
    writes an hour row into `txn` (label HOUR)."""
    counts = {k: v for k, v in counts.items() if v}
    mode = _mode(hour, seen)
    if mode == "add":
        actions = [getattr(model, f"t{k}").add(v) for k, v in counts.items()]
        return Fold(actions + [model.tv.add(1), model.th.set(hour)],
                    (model.th == hour) | model.th.does_not_exist())
    assert seen is not None and seen.hour is not None
    if mode == "late":
        _add_to_row(txn, row_key, hour, counts)
        return Fold([], None)
    # roll: the holder's hour into its row, then start ours on it
    _add_to_row(txn, row_key, seen.hour, seen.counts)
    actions = [model.th.set(hour), model.tv.set(1)]
    actions += [getattr(model, f"t{k}").set(v) for k, v in counts.items()]
    actions += [getattr(model, f"t{k}").remove() for k in seen.counts if k not in counts]
    return Fold(actions, (model.th == seen.hour) & (model.tv == seen.version))


def refused(cancelled: Cancelled, label: str, model: Holder, hour: str,
            seen: Seen | None) -> Seen | None:
    """What to try again with when the holder's refusal is the tally's (its hour or
    counts moved since `seen`); None when the tally's condition held, so the refusal
    was someone else's (the budget, the campaign's state)."""
    if label not in cancelled:
        return None
    return refused_item(cancelled.old(label, model), hour, seen)


def refused_item(old: ShardModel | DayModel | None, hour: str, seen: Seen | None
                 ) -> Seen | None:
    """`refused`, given the holder as the cancelled write handed it back."""
    now_seen = seen_on(old)
    mode = _mode(hour, seen)
    if mode == "late":
        return None
    if mode == "add":
        return now_seen if now_seen.hour not in (None, hour) else None
    assert seen is not None
    same = (now_seen.hour, now_seen.version) == (seen.hour, seen.version)
    return None if same else now_seen


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
        if seen.hour is not None:
            out[s.pk] = Pending(s.pk, seen.hour, seen.counts)
    for d in days:
        seen = seen_on(d)
        if seen.hour is not None:
            out[f"{d.pk}/{d.day}"] = Pending(redeemed_hour_key(d.pk), seen.hour, seen.counts)
    return out
