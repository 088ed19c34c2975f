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

Balance rule of the history: `issued` and `reversed` add their amount,
`redeemed` and `captured` take it away, `held`, `released` and `voided` leave the
balance as it is (a void returns the balance to the budget, not to the gift, and
a voided gift keeps showing the balance it had).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from chalicelib import schemas
from chalicelib.core import errors, ids
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.ids import new_id
from chalicelib.store.models import GiftEventModel, GiftModel
from chalicelib.store.transactions import Txn

MAX_HOLDS = 10  # active holds per gift: keeps the gift item small (about 60 bytes each)
EVENT = "event"
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
    event = GiftEventModel(gift_id=g.id, seq=version(g) + 1, id=new_id(ids.GIFT_EVENT), type=kind,
                           amount=amount, balance_after=balance_after, at=at,
                           location=location, ref=ref, reason=reason)
    txn.put(EVENT, event, GiftEventModel.seq.does_not_exist())
    return event


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
