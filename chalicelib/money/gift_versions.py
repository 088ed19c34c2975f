"""What every change of a gift shares: its version, its active holds, its history.

Why the holds live on the gift item: whether an amount is available depends on
the holds that are active *at the moment of the write*, and a hold stops holding
the moment it expires, with no job to run. So the gift carries a small bounded
map of its active holds (hold id -> amount and expiry), and every change of the
gift is computed from a snapshot of it at `now`, conditioned on the gift's
version (`seq`) being the one read: the change then holds exactly as computed,
and it writes back the live set, so expired entries are dropped by the next
write. `available` = balance minus the holds whose expiry is after now.

Why a sequence: every change writes one history item keyed by (gift id, seq) in
its own transaction; the version condition makes the history one Query. One change
takes a version without a history item: replacing the gift's page link
(`gifts.rotate_link`), which moves no money; the history then skips that number.
The issue itself is not a separate item: the gift is its own record of being
issued (event 0), so issuing, batches and spins are unchanged.

Why a redemption is its history row: a redemption (or a capture) already writes
the gift and its history row in one transaction; the row carries what a
reversal needs (the gift's key, the amount reversed so far), so the redemption
costs no item of its own. Its id names the gift and the row's number
(`red_<gift>_<seq>`), so a reversal finds it with one GetItem and no reference
item. Redemptions made before (id `red_<22 characters>`) live in the
`redemptions` and `redemption-refs` tables, which are read, never written.

Balance rule of the history: `issued` and `reversed` add their amount,
`redeemed` and `captured` take it away, `held`, `released` and `voided` leave the
balance as it is (a void returns the balance to the budget, not to the gift, and
a voided gift keeps showing the balance it had).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import errors, ids
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.ids import new_id
from chalicelib.store.models import (
    GiftEventModel,
    GiftModel,
    RedemptionModel,
    RedemptionRefModel,
)
from chalicelib.store.transactions import Txn

MAX_HOLDS = 10  # active holds per gift: keeps the gift item small (about 60 bytes each)
EVENT = "event"
REDEEMING = ("redeemed", "captured")  # the history rows that are redemptions
DELTA = {"issued": 1, "reversed": 1, "redeemed": -1, "captured": -1,
         "held": 0, "released": 0, "voided": 0}


SNAPSHOT_ENTRIES = 20_000
"""Holds and redemption refs one Lambda remembers; one it forgot costs a GetItem."""
# Snapshots of holds and redemption refs by id, this process's own: their fields
# never change but their status and `reversed`, which writes re-check by condition.
_items: Cache[str, Any] = Cache("ledger.snapshots", SNAPSHOT_ENTRIES)


def remember(item: Any) -> None:
    _items.put(item.id, item)


def recall(item_id: str) -> Any:
    return _items.get(item_id)


def version(g: GiftModel) -> int:
    return int(g.seq or 0)


def unchanged(g: GiftModel) -> Any:
    """The write's condition: the gift is exactly the version that was read."""
    v = version(g)
    return (GiftModel.seq == v) if v else GiftModel.seq.does_not_exist()


def epoch(moment: datetime) -> int:
    """Whole seconds, as `iso` writes them: a hold expiring at second S holds
    nothing from S on."""
    return int(parse_iso(iso(moment)).timestamp())


def all_holds(g: GiftModel) -> dict[str, dict[str, int]]:
    raw = g.holds.as_dict() if g.holds is not None else {}
    return {k: {"a": int(v["a"]), "x": int(v["x"])} for k, v in raw.items()}


def live_holds(g: GiftModel, now: datetime) -> dict[str, dict[str, int]]:
    at = epoch(now)
    return {k: v for k, v in all_holds(g).items() if v["x"] > at}


def held(g: GiftModel, now: datetime) -> int:
    return sum(v["a"] for v in live_holds(g, now).values())


def available(g: GiftModel, now: datetime) -> int:
    """What a redemption or a new hold may take now: 0 unless the gift is usable."""
    if g.status != "active" or g.expires_at <= iso(now):
        return 0
    return max(0, int(g.balance) - held(g, now))


def change(g: GiftModel, live: dict[str, dict[str, int]]) -> list[Any]:
    """The actions every change adds: the next version, and the live holds (only
    written when the gift has or had holds, so older gifts keep their shape)."""
    actions = [GiftModel.seq.set(version(g) + 1)]
    if live or g.holds is not None:
        actions.append(GiftModel.holds.set(live))
    return actions


def apply(after: GiftModel, g: GiftModel, live: dict[str, dict[str, int]]) -> None:
    """The same change on the in-memory copy the answer and the cache are made from."""
    after.seq = version(g) + 1
    if live or g.holds is not None:
        after.holds = live


def record(txn: Txn, g: GiftModel, kind: str, amount: int, balance_after: int, at: str,
           *, location: str | None = None, ref: str | None = None,
           reason: str | None = None) -> GiftEventModel:
    """The change's history row; a redemption's or a capture's is the redemption
    itself (it carries the gift's key, for reversals: `next_redemption_id`)."""
    event = GiftEventModel(gift_id=g.id, seq=version(g) + 1, id=new_id(ids.GIFT_EVENT), type=kind,
                           amount=amount, balance_after=balance_after, at=at,
                           location=location, ref=ref, reason=reason)
    if kind in REDEEMING:
        event.gift_key = g.code_hash
    txn.put(EVENT, event, GiftEventModel.seq.does_not_exist())
    return event


# --------------------------------------------------------------- redemptions

_RED = ids.REDEMPTION + "_"
_GIFT = ids.GIFT + "_"
_BODY = frozenset(ids.ID_ALPHABET)
MAX_SEQ = 10**12


def redemption_id(gift_id: str, seq: int) -> str:
    """`red_<the gift id's body>_<seq>`: the redemption that is history row `seq`."""
    return f"{_RED}{gift_id.removeprefix(_GIFT)}_{seq}"


def next_redemption_id(g: GiftModel) -> str:
    """The id of the redemption the gift's next change records (`record`)."""
    return redemption_id(g.id, version(g) + 1)


def redemption_place(redemption_id: str) -> tuple[str, int] | None:
    """(gift id, seq) of a redemption id of the history's shape; None for an older
    id (`red_` and 22 characters: its ref item) or one of no shape at all."""
    body, sep, seq = redemption_id.removeprefix(_RED).rpartition("_")
    if not (redemption_id.startswith(_RED) and sep and body and seq.isdigit()
            and set(body) <= _BODY and 0 < int(seq) < MAX_SEQ and len(seq) < 13):
        return None
    return _GIFT + body, int(seq)


class Redeemed(Struct, frozen=True):
    """A redemption as reversals see it, whichever shape stores it: a history row
    (`seq`), or before, a ref item (`seq` None; `partner_id` is then the ref's)."""

    id: str
    gift_key: str
    gift_id: str
    amount: int
    reversed: int
    seq: int | None = None
    partner_id: str | None = None


def redeemed_from_event(e: GiftEventModel) -> Redeemed:
    return Redeemed(id=redemption_id(e.gift_id, int(e.seq)), gift_key=e.gift_key or "",
                    gift_id=e.gift_id, amount=int(e.amount), reversed=int(e.reversed or 0),
                    seq=int(e.seq))


def find_redemption(redemption_id: str) -> Redeemed | None:
    """One consistent GetItem: the history row a new id names, or an older id's ref."""
    place = redemption_place(redemption_id)
    if place is None:
        try:
            r = RedemptionRefModel.get(redemption_id, consistent_read=True)
        except RedemptionRefModel.DoesNotExist:
            return None
        return Redeemed(id=r.id, gift_key=r.gift_key, gift_id=r.gift_id, amount=int(r.amount),
                        reversed=int(r.reversed or 0), partner_id=r.partner_id)
    try:
        e = GiftEventModel.get(*place, consistent_read=True)
    except GiftEventModel.DoesNotExist:
        return None
    if e.type not in REDEEMING or not e.gift_key:  # a row of a redemption made before
        return None
    return redeemed_from_event(e)


def mark_reversed(txn: Txn, label: str, r: Redeemed, amount: int) -> type:
    """Add `amount` to what has been reversed of `r`, on the condition that it is still
    what was read (two reversals cannot give back the same money). Returns the model
    the write's cancellation reads back."""
    done = r.reversed
    if r.seq is None:
        ref = RedemptionRefModel
        txn.update(label, RedemptionRefModel(id=r.id), [ref.reversed.set(done + amount)],
                   condition=ref.reversed == done)
        return RedemptionRefModel
    e = GiftEventModel
    unchanged = (e.reversed == done) if done else e.reversed.does_not_exist()
    txn.update(label, GiftEventModel(gift_id=r.gift_id, seq=r.seq),
               [e.reversed.set(done + amount)], condition=unchanged & e.gift_key.exists())
    return GiftEventModel


def _old_redemption_out(r: RedemptionModel) -> schemas.Redemption:
    return schemas.Redemption(id=r.id, amount=int(r.amount), redeemed_at=r.redeemed_at,
                              location=r.location)


def redemption_out(e: GiftEventModel) -> schemas.Redemption:
    return schemas.Redemption(id=redemption_id(e.gift_id, int(e.seq)), amount=int(e.amount),
                              redeemed_at=e.at, location=e.location)


def redemptions(g: GiftModel, limit: int) -> list[schemas.Redemption]:
    """The gift's redemptions, oldest first: its history rows that are redemptions,
    after those made before them (the `redemptions` table), which are read only when
    the rows do not add up to all the gift ever gave (amount - balance + reversed)."""
    rows = GiftEventModel.query(g.id, filter_condition=GiftEventModel.gift_key.exists())
    new = [e for e in rows if e.type in REDEEMING]
    ever = int(g.amount) - int(g.balance) + int(g.reversed or 0)
    old: list[schemas.Redemption] = []
    if sum(int(e.amount) for e in new) < ever:
        old = [_old_redemption_out(r) for r in RedemptionModel.query(g.id, limit=limit)]
    return (old + [redemption_out(e) for e in new])[:limit]


# ------------------------------------------------------------------- history


def issued_event(g: GiftModel) -> schemas.GiftEvent:
    return schemas.GiftEvent(id=g.id, type="issued", amount=int(g.amount),
                             balance_after=int(g.amount), at=g.issued_at)


def event_out(e: GiftEventModel) -> schemas.GiftEvent:
    return schemas.GiftEvent(id=e.id, type=cast(schemas.GiftEventType, e.type),
                             amount=int(e.amount), balance_after=int(e.balance_after), at=e.at,
                             location=e.location, ref=e.ref, reason=e.reason)


def history(g: GiftModel, limit: int, cursor: dict[str, Any] | None
            ) -> tuple[list[schemas.GiftEvent], dict[str, Any] | None]:
    """Oldest first, one Query (strongly consistent: a change that returned is in it)."""
    after = 0
    if cursor is not None:
        value = cursor.get("after_seq") if len(cursor) == 1 else None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**12:
            raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned")
        after = value
    out = [issued_event(g)] if cursor is None else []
    want = limit - len(out)
    items = list(GiftEventModel.query(g.id, GiftEventModel.seq > after, consistent_read=True,
                                      limit=want + 1)) if want >= 0 else []
    more = len(items) > want
    items = items[:want]
    out += [event_out(e) for e in items]
    last = int(items[-1].seq) if items else after
    return out, ({"after_seq": last} if more else None)
