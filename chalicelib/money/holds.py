"""Till-grade redemption: holds, captures, releases, reversals, a gift's history.

Each money move is one TransactWriteItems with its idempotency record, computed
from a snapshot of the gift (the per-process cache in `gifts`, so the warm path
reads nothing) and conditioned on the gift's version (`gift_versions.unchanged`): the
active holds, `available` and the balance it computed are exactly the gift's at
the write. A cancelled write hands back the gift as it is (ALL_OLD) to decide
again; a refusal decided from a cached snapshot is decided again from a fresh read.

Writes per operation (hottest keys: one shard's hold-bucket row, one day row):
    hold      gift, hold item, event, hold-bucket row, idempotency
    capture   gift, hold item, event (the redemption itself), day row, hold-bucket
              row, idempotency
    release   gift, hold item, event, hold-bucket row, idempotency
    reversal  gift, the redemption's event (or an older redemption's ref), event,
              day row, idempotency
Holds and reversals never touch the budget: the money stays the campaign's spend.

Holds outstanding (the report) cannot be a counter that expiry decrements, since
nothing runs at expiry. They are counted per shard by the second they expire
(`HoldBucketModel`: one row per expiry minute, a count and an amount per second);
capture and release take their hold back out of its second. Outstanding at `now`
is the sum over the seconds after now, exact with no job, reading at most 61
rows per shard because a hold lasts at most an hour.

Most of the time no hold is outstanding and those Queries, one per shard, find
nothing. So a hold also marks its campaign's ten-minute window of expiry (a row
keyed by the campaign, in the hold's own transaction); this Lambda remembers the
windows it marked, so that costs one more small item in one hold per window per
campaign, and no call. The report looks for a mark from now to an hour on (one
Query) and reads the buckets only if there is one: a hold outstanding at now
expires in that span, and marked it in the write that made it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import msgspec
from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import errors, ids
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.ids import new_id
from chalicelib.money import budget_shards, gift_versions, gifts, optimistic, tallies
from chalicelib.money.gift_versions import Redeemed
from chalicelib.store import idempotency
from chalicelib.store.keys import shard_keys
from chalicelib.store.models import DayModel, GiftModel, HoldBucketModel, HoldModel
from chalicelib.store.paging import fan_out
from chalicelib.store.retry import OPTIMISTIC
from chalicelib.store.transactions import Txn

HOLD = "hold"
REF = "redemption_ref"
BUCKET = "hold_bucket"
MAX_TTL = schemas.MAX_HOLD_SECONDS

# ------------------------------------------------------------------ snapshots

_keep = gift_versions.remember


def _get_hold(partner_id: str, hold_id: str, cached: bool) -> HoldModel:
    """A hold of this partner: from this Lambda's snapshots when a stale one only
    costs a refused write (`cached`), else a consistent read. Another partner's is
    as missing as one that never existed."""
    hit = gift_versions.recall(hold_id) if cached else None
    if not isinstance(hit, HoldModel):
        try:
            hit = HoldModel.get(hold_id, consistent_read=True)
        except HoldModel.DoesNotExist:
            raise errors.NotFound("No such hold") from None
        _keep(hit)
    if hit.partner_id != partner_id:
        raise errors.NotFound("No such hold")
    return hit


def _get_redemption(partner_id: str, redemption_id: str, cached: bool
                    ) -> tuple[Redeemed, GiftModel]:
    """A redemption of this partner and its gift, as `_get_hold` reads a hold; a
    redemption is the partner's when its gift is (an older one's ref also says so)."""
    hit = gift_versions.recall(redemption_id) if cached else None
    if not isinstance(hit, Redeemed):
        hit = gift_versions.find_redemption(redemption_id)
        if hit is None:
            raise errors.NotFound("No such redemption")
        _keep(hit)
    gift = gifts.by_key(partner_id, hit.gift_key, cached) if hit.gift_key else None
    if gift is None or (hit.partner_id is not None and hit.partner_id != partner_id):
        raise errors.NotFound("No such redemption")
    return hit, gift


def _gift(partner_id: str, code_hash: str, cached: bool) -> GiftModel:
    g = gifts.by_key(partner_id, code_hash, cached)
    if g is None:
        raise errors.NotFound("No such gift")
    return g


# ------------------------------------------------------------------- shapes


def hold_status(h: HoldModel, now: datetime) -> schemas.HoldStatus:
    if h.status == "held" and h.expires_at <= iso(now):
        return "expired"
    return cast(schemas.HoldStatus, h.status)


def hold_out(h: HoldModel, now: datetime) -> schemas.Hold:
    return schemas.Hold(
        id=h.id, status=hold_status(h, now), amount=int(h.amount), expires_at=h.expires_at,
        created_at=h.created_at, gift_id=h.gift_id, location=h.location, reference=h.reference,
        captured_amount=None if h.captured_amount is None else int(h.captured_amount),
        redemption_id=h.redemption_id)


# ------------------------------------------------------------ hold buckets


def _bucket(txn: Txn, shard_key: str, expires_at: str, n: int, amount: int) -> None:
    """Count a hold in (or take it out of) the second it expires."""
    moment = parse_iso(expires_at)
    second = f"{moment.second:02d}"
    b = HoldBucketModel
    txn.update(BUCKET, HoldBucketModel(pk=shard_key, minute=moment.strftime("%Y-%m-%dT%H:%M")),
               [getattr(b, f"n{second}").add(n), getattr(b, f"a{second}").add(amount),
                b.expires_at.set(moment + timedelta(days=1))])


MARK = "hold_mark"
MARK_WINDOW = 600
"""Seconds of expiry one mark covers: a Lambda holding all the time adds a mark to
one hold in ten minutes (per campaign); the report reads the buckets for at most
that long after the last hold's expiry."""
MARK_ENTRIES = 5000
_marked: Cache[str, bool] = Cache("holds.marked", MARK_ENTRIES)


def _window(second: int) -> str:
    """The sort key of the mark of the window holding epoch second `second`."""
    start = datetime.fromtimestamp(second - second % MARK_WINDOW, UTC)
    return "mark#" + start.strftime("%Y-%m-%dT%H:%M")


def _add_mark(txn: Txn, campaign_id: str, expires: int) -> str | None:
    """Mark the window a hold expiring at `expires` (an epoch second) falls in, in
    the hold's transaction, unless this Lambda already did; the key to remember
    once the transaction commits (None: nothing added). No condition: a mark only
    says the window has holds, so writing it twice changes nothing."""
    window = _window(expires)
    remembered = f"{campaign_id} {window}"
    if _marked.get(remembered):
        return None
    end = datetime.fromtimestamp(expires - expires % MARK_WINDOW + MARK_WINDOW, UTC)
    txn.update(MARK, HoldBucketModel(pk=campaign_id, minute=window),
               [HoldBucketModel.expires_at.set(end + timedelta(days=1))])
    return remembered


def _may_be_outstanding(campaign_id: str, after: int) -> bool:
    """Whether some hold expires after second `after`: a mark from its window to the
    latest a hold made by then can expire in (one consistent Query, limit 1)."""
    span = HoldBucketModel.minute.between(_window(after), _window(after + MAX_TTL + 60))
    return any(True for _ in HoldBucketModel.query(campaign_id, span, consistent_read=True,
                                                   limit=1))


def outstanding(campaign_id: str, shards: int, now: datetime) -> tuple[int, int]:
    """(count, amount) of holds neither captured, released nor expired at `now`:
    none, after one Query, when no mark says a hold may be; else one Query per
    shard over the minutes a live hold can still expire in."""
    first = now.strftime("%Y-%m-%dT%H:%M")
    last = (now + timedelta(seconds=MAX_TTL + 60)).strftime("%Y-%m-%dT%H:%M")
    after = gift_versions.epoch(now)
    if not _may_be_outstanding(campaign_id, after):
        return 0, 0

    def one(key: str) -> tuple[int, int]:
        n = amount = 0
        for row in HoldBucketModel.query(key, HoldBucketModel.minute.between(first, last),
                                         consistent_read=True):
            start = int(datetime.strptime(row.minute + "+0000", "%Y-%m-%dT%H:%M%z").timestamp())
            for s in range(60):
                if start + s > after:
                    n += int(getattr(row, f"n{s:02d}") or 0)
                    amount += int(getattr(row, f"a{s:02d}") or 0)
        return n, amount

    totals = fan_out(one, shard_keys(campaign_id, shards))
    return sum(t[0] for t in totals), sum(t[1] for t in totals)


# ------------------------------------------------------------------- holds


def create(partner_id: str, raw_code: str, body: schemas.HoldCreate,
           claim: idempotency.Claim, now: datetime) -> schemas.HoldCreated:
    code = gifts.canonical(raw_code)
    at = iso(now)

    def decide(g: GiftModel | None) -> tuple[GiftModel, int, dict]:
        g = gifts.usable(g, partner_id, now)
        live = gift_versions.live_holds(g, now)
        if len(live) >= gift_versions.MAX_HOLDS:
            raise errors.TooManyHolds(
                f"The gift has {len(live)} active holds, the most it may have; capture or "
                "release one first")
        free = gift_versions.available(g, now)
        want = body.amount if body.amount is not None else free
        if want > free or want == 0:
            raise errors.InsufficientBalance(
                f"The gift's available balance is {free}; cannot hold {want}",
                extra={"balance": int(g.balance), "available": free})
        return g, want, live

    gift = gifts.find(partner_id, code, cached=True)
    fresh = gift is None  # None never comes from the cache
    for _ in OPTIMISTIC:
        (gift, amount, live), _ = optimistic.decide(
            decide, gift, fresh, lambda: gifts.find(partner_id, code, cached=False))
        hid = new_id(ids.HOLD)
        until = min(now + timedelta(seconds=body.ttl_seconds), parse_iso(gift.expires_at))
        expires_at = iso(until)
        hold = HoldModel(id=hid, gift_key=gift.code_hash, gift_id=gift.id,
                         partner_id=partner_id, shard_key=gift.shard_key, amount=amount,
                         status="held", expires_at=expires_at, created_at=at,
                         location=body.location, reference=body.reference)
        now_live = {**live, hid: {"a": amount, "x": gift_versions.epoch(until)}}
        after = optimistic.copy(gift)
        gift_versions.apply(after, gift, now_live)
        out = schemas.HoldCreated(**{f: getattr(hold_out(hold, now), f)
                                     for f in schemas.Hold.__struct_fields__},
                                  gift=gifts.to_out(after, now, code=code))
        txn = Txn()
        txn.update(gifts.LABEL, GiftModel(code_hash=gift.code_hash),
                   gift_versions.change(gift, now_live),
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.expires_at > at)
                   & gift_versions.unchanged(gift))
        txn.put(HOLD, hold, HoldModel.id.does_not_exist())
        gift_versions.record(txn, gift, "held", amount, int(gift.balance), at,
                             location=body.location, ref=hid)
        _bucket(txn, gift.shard_key, expires_at, 1, amount)
        mark = _add_mark(txn, gift.campaign_id, gift_versions.epoch(until))
        claim.add_to(txn, 201, schemas.encode(out).decode(), again=gifts.rederive(after))
        failed = optimistic.commit(txn, claim, {gifts.LABEL: GiftModel})
        gift = gifts.committed(failed, after)
        if failed is None:
            _keep(hold)
            if mark is not None:
                _marked.put(mark, True)
            return out
        fresh = True
    raise OPTIMISTIC.exhausted("The gift")


def _active_entry(partner_id: str, hold: HoldModel, g: GiftModel | None,
                  now: datetime) -> dict[str, int]:
    """The hold's entry on the gift if it holds now; else why not (409)."""
    if g is None:
        raise errors.NotFound("No such hold")
    entry = gift_versions.all_holds(g).get(hold.id)
    if entry is not None and entry["x"] > gift_versions.epoch(now):
        return entry
    if entry is not None:
        raise errors.HoldExpired(f"The hold expired at {hold.expires_at} and holds nothing")
    current = _get_hold(partner_id, hold.id, cached=False)
    if current.status != "held":
        raise errors.HoldNotActive(f"The hold was already {current.status}",
                                   extra={"hold_status": current.status})
    if current.expires_at <= iso(now):
        raise errors.HoldExpired(f"The hold expired at {current.expires_at} and holds nothing")
    # a hold made a moment ago elsewhere, on a snapshot that predates it
    raise errors.Conflict("The hold is not on the gift yet; retry")


class _Closing(Struct, frozen=True):
    """A capture or release, decided from one snapshot of the hold's gift. The write
    is conditioned on `balance` (and the gift's version), so a gift that moved since
    cancels it and the close is decided again."""

    capture: bool
    held: int  # what the hold holds
    amount: int  # what a capture takes; a release: the held amount
    balance: int  # the gift's balance in the snapshot
    left: int  # the gift's balance after the close
    live: dict[str, dict[str, int]]  # the gift's live holds, this one gone


def _decide_close(hold: HoldModel, gift: GiftModel, held: int, capture_amount: int | None,
                  capture: bool, now: datetime) -> _Closing:
    amount = held if capture_amount is None else capture_amount
    if capture and amount > held:
        raise errors.field_error("amount", f"must be at most the held amount {held}")
    balance = int(gift.balance)
    left = balance - amount if capture else balance
    live = {k: v for k, v in gift_versions.live_holds(gift, now).items() if k != hold.id}
    return _Closing(capture=capture, held=held, amount=amount, balance=balance, left=left,
                    live=live)


class _Closed(Struct, frozen=True):
    """The gift and the hold as the close writes them (the answer and this Lambda's
    snapshots are made from these), and a capture's redemption."""

    gift: GiftModel
    hold: HoldModel
    redemption: schemas.Redemption | None
    ref: Redeemed | None


def _add_close(txn: Txn, partner_id: str, hold: HoldModel, gift: GiftModel, d: _Closing,
               now: datetime, seen: tallies.Seen | None) -> _Closed:
    """Every write of the close but the idempotency record, which goes in with the
    answer. A capture is a redemption too: its day figures and the hour's counts
    (on the day row, `seen` as a refusal showed it) go in the same transaction."""
    at = iso(now)
    after = optimistic.copy(gift)
    gift_versions.apply(after, gift, d.live)
    closed = optimistic.copy(hold)
    closed.status, closed.closed_at = ("captured" if d.capture else "released"), at
    actions = gift_versions.change(gift, d.live)
    redemption = None
    if d.capture:  # the capture's history row is the redemption (gift_versions.record)
        redemption = schemas.Redemption(id=gift_versions.next_redemption_id(gift),
                                        amount=d.amount, redeemed_at=at, location=hold.location)
        counted = tallies.fold(txn, DayModel, tallies.redeemed_row_key(gift),
                               tallies.redeem_hour(gift, now),  # a capture is a redemption
                               tallies.redeem_counts(gift, d.amount), seen)
        after.balance, after.status = d.left, ("redeemed" if d.left == 0 else "active")
        actions += [GiftModel.balance.set(d.left), GiftModel.status.set(after.status)]
        closed.captured_amount, closed.redemption_id = d.amount, redemption.id
        budget_shards.count_day_with(txn, gift.shard_key, gift.expiry_day, counted.actions,
                                     counted.condition, redeemed_n=1, redeemed_amt=d.amount,
                                     open_amt=-d.amount, open_n=-1 if d.left == 0 else 0)
    txn.update(gifts.LABEL, GiftModel(code_hash=gift.code_hash), actions,
               condition=(GiftModel.partner_id == partner_id)
               & (GiftModel.status == "active") & (GiftModel.balance == d.balance)
               & gift_versions.unchanged(gift))
    h = HoldModel
    hold_actions = [h.status.set(closed.status), h.closed_at.set(at)]
    if d.capture:
        hold_actions += [h.captured_amount.set(d.amount),
                         h.redemption_id.set(closed.redemption_id)]
    txn.update(HOLD, HoldModel(id=hold.id), hold_actions, condition=h.status == "held")
    row = gift_versions.record(txn, gift, "captured" if d.capture else "released",
                               d.amount if d.capture else d.held, d.left, at,
                               location=hold.location, ref=hold.id)
    _bucket(txn, hold.shard_key, hold.expires_at, -1, -int(hold.amount))
    return _Closed(gift=after, hold=closed, redemption=redemption,
                   ref=gift_versions.redeemed_from_event(row) if d.capture else None)


def _close_answer(d: _Closing, done: _Closed, now: datetime) -> Any:
    gift_out = gifts.to_out(done.gift, now)
    if d.capture:
        assert done.redemption is not None
        return schemas.CaptureResult(hold=hold_out(done.hold, now), gift=gift_out,
                                     redemption=done.redemption)
    return schemas.ReleaseResult(hold=hold_out(done.hold, now), gift=gift_out)


def _close(partner_id: str, hold_id: str, claim: idempotency.Claim, now: datetime,
           capture_amount: int | None, capture: bool) -> Any:
    """Capture and release share one path: both take the hold off its gift and out
    of its expiry second, under the same conditions; a capture also redeems."""
    hold = _get_hold(partner_id, hold_id, cached=True)

    def reread() -> GiftModel:
        return _gift(partner_id, hold.gift_key, cached=False)

    gift = _gift(partner_id, hold.gift_key, cached=True)
    fresh = False
    seen: tallies.Seen | None = None
    for _ in OPTIMISTIC:
        entry, gift = optimistic.decide(lambda g: _active_entry(partner_id, hold, g, now), gift,
                                        fresh, reread)
        closing = _decide_close(hold, gift, entry["a"], capture_amount, capture, now)
        txn = Txn()
        done = _add_close(txn, partner_id, hold, gift, closing, now, seen)
        out = _close_answer(closing, done, now)
        claim.add_to(txn, 200, schemas.encode(out).decode(),
                     again=gifts.rederive(done.gift))
        failed = optimistic.commit(txn, claim, {gifts.LABEL: GiftModel, HOLD: HoldModel,
                                                budget_shards.DAY: DayModel})
        seen, retally = gifts.retallied(failed, tallies.redeem_hour(gift, now), seen)
        if retally:  # only the day row's hour moved: the gift and the hold are as read
            continue
        current = gifts.committed(failed, done.gift)
        if failed is None:
            _keep(done.hold)
            if done.ref is not None:
                _keep(done.ref)
            return out
        fresh = True
        if current is not None:
            gift = current
        elif HOLD in failed:  # the gift was as read but the hold item was closed meanwhile
            gift = reread()
    raise OPTIMISTIC.exhausted("The gift")


def capture(partner_id: str, hold_id: str, body: schemas.CaptureRequest,
            claim: idempotency.Claim, now: datetime) -> schemas.CaptureResult:
    return _close(partner_id, hold_id, claim, now, body.amount, capture=True)


def release(partner_id: str, hold_id: str, claim: idempotency.Claim,
            now: datetime) -> schemas.ReleaseResult:
    return _close(partner_id, hold_id, claim, now, None, capture=False)


def get(partner_id: str, hold_id: str, now: datetime) -> schemas.Hold:
    return hold_out(_get_hold(partner_id, hold_id, cached=False), now)


# ---------------------------------------------------------------- reversals


def _reversible(state: tuple[Redeemed, GiftModel], asked: int | None,
                at: str) -> int:
    """How much this reversal gives back, or why it cannot (the gift must still be
    usable for money to go back to it)."""
    ref, g = state
    if g.status == "voided":
        raise errors.GiftVoided("The gift has been voided; nothing can go back to it")
    if g.expires_at <= at:
        raise errors.GiftExpired(f"The gift expired at {g.expires_at}")
    left = ref.amount - ref.reversed
    if left == 0:
        raise errors.RedemptionFullyReversed("This redemption has been reversed in full")
    want = asked if asked is not None else left
    if want > left:
        raise errors.ReversalTooLarge(
            f"{left} is left to reverse of this redemption; cannot reverse {want}",
            extra={"reversible": left})
    return want


class _Reversing(Struct, frozen=True):
    """A reversal decided from one snapshot of the redemption and its gift. The
    write is conditioned on both: the gift's `balance` (and version) and the
    redemption's `done_before`, so two reversals cannot give back the same money."""

    id: str
    amount: int
    balance: int  # the gift's balance in the snapshot
    done_before: int  # what had been reversed of the redemption
    live: dict[str, dict[str, int]]  # the gift's holds still live (expired ones drop off)
    after: GiftModel  # the gift as the reversal writes it


def _decide_reversal(ref: Redeemed, gift: GiftModel, amount: int,
                     now: datetime) -> _Reversing:
    balance = int(gift.balance)
    done_before = ref.reversed
    live = gift_versions.live_holds(gift, now)
    rev_id = new_id(ids.REVERSAL)
    after = optimistic.copy(gift)
    gift_versions.apply(after, gift, live)
    after.balance, after.status = balance + amount, "active"
    after.reversed = int(gift.reversed or 0) + amount
    return _Reversing(id=rev_id, amount=amount, balance=balance, done_before=done_before,
                      live=live, after=after)


def _add_reversal(txn: Txn, partner_id: str, ref: Redeemed, gift: GiftModel,
                  d: _Reversing, reason: str | None, at: str, seen: tallies.Seen | None
                  ) -> type:
    """Every write of the reversal but the idempotency record, which goes in with
    the answer. Returns the model of the redemption's item (`REF`)."""
    txn.update(gifts.LABEL, GiftModel(code_hash=gift.code_hash), [
        GiftModel.balance.set(d.balance + d.amount), GiftModel.status.set("active"),
        GiftModel.reversed.set(int(d.after.reversed)), *gift_versions.change(gift, d.live)],
               condition=(GiftModel.partner_id == partner_id)
               & GiftModel.status.is_in("active", "redeemed")
               & (GiftModel.balance == d.balance) & (GiftModel.expires_at > at)
               & gift_versions.unchanged(gift))
    ref_model = gift_versions.mark_reversed(txn, REF, ref, d.amount)
    gift_versions.record(txn, gift, "reversed", d.amount, d.balance + d.amount, at, ref=d.id,
                         reason=reason)
    counted = tallies.fold(txn, DayModel, tallies.redeemed_row_key(gift),  # the series'
                           tallies.redeem_hour(gift, parse_iso(at)),  # hour counts
                           tallies.reversal_counts(gift, d.amount), seen)
    budget_shards.count_day_with(txn, gift.shard_key, gift.expiry_day, counted.actions,
                                 counted.condition, reversed_n=1, reversed_amt=d.amount,
                                 open_amt=d.amount, open_n=1 if d.balance == 0 else 0)
    return ref_model


def reverse(partner_id: str, redemption_id: str, body: schemas.ReversalCreate,
            claim: idempotency.Claim, now: datetime) -> schemas.Reversal:
    at = iso(now)

    def reread() -> tuple[Redeemed, GiftModel]:
        return _get_redemption(partner_id, redemption_id, cached=False)

    state = _get_redemption(partner_id, redemption_id, cached=True)
    fresh = False
    seen: tallies.Seen | None = None
    for _ in OPTIMISTIC:
        amount, state = optimistic.decide(lambda s: _reversible(s, body.amount, at), state,
                                          fresh, reread)
        ref, gift = state
        d = _decide_reversal(ref, gift, amount, now)
        out = schemas.Reversal(id=d.id, redemption_id=ref.id, amount=amount,
                               reason=body.reason, reversed_at=at,
                               gift=gifts.to_out(d.after, now))
        txn = Txn()
        ref_model = _add_reversal(txn, partner_id, ref, gift, d, body.reason, at, seen)
        claim.add_to(txn, 201, schemas.encode(out).decode(), again=gifts.rederive(d.after))
        failed = optimistic.commit(txn, claim, {gifts.LABEL: GiftModel, REF: ref_model,
                                                budget_shards.DAY: DayModel})
        seen, retally = gifts.retallied(failed, tallies.redeem_hour(gift, now), seen)
        if retally:  # only the day row's hour moved: the redemption and gift are as read
            continue
        gifts.committed(failed, d.after)
        if failed is None:
            _keep(msgspec.structs.replace(ref, reversed=d.done_before + amount))
            return out
        fresh = True
        state = reread()
    raise OPTIMISTIC.exhausted("The gift")


# ------------------------------------------------------------------ history


def events(partner_id: str, raw_code: str, limit: int, cursor: dict[str, Any] | None
           ) -> tuple[list[schemas.GiftEvent], dict[str, Any] | None]:
    code = gifts.canonical(raw_code)
    gift = gifts.find(partner_id, code, cached=False)
    if gift is None:
        raise errors.NotFound("No gift with this code")
    return gift_versions.history(gift, limit, cursor)
