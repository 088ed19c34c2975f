"""The budget's one home: where a charge lands, how a shard is refilled, what the
figures are.

Why shards: DynamoDB serves one item from one partition, at most 1,000 write
units a second, and concurrent transactions on one item cancel each other. A
campaign whose every money move wrote one item topped out near 250 moves a
second. Here a campaign is `shards` slices (`ShardModel`, default 32), each
holding part of the budget and stock (an allowance, as in escrow) plus the spin
counters, and gift figures live in per-shard rows by expiry day (`DayModel`).
Every spin, issue or void writes one shard, chosen at random; every redemption,
void or reversal writes one day row of one shard, and an issue's or a win's day-row
counts ride on the shard until a later expiry day rolls them into the row (about
once a local day per shard: `tallies.EXPIRY`). Write units per operation on its
hottest key (a transactional write of an item under 1 KB costs 2):

    spin (lose)   2 on a shard                  -> 16,000 spins/s per campaign
    spin (win)    2 on a shard                  -> 16,000 wins/s
    issue         2 on a shard                  -> 16,000 issues/s
    redeem        2 on a day row                -> 16,000 redemptions/s

`bench/partitions.py` measures these from the items actually written.

Promises kept: a charge is conditioned on its shard's slice (`rem >= amount`,
`stock[i] > 0`), so no slice and hence no campaign is overspent. A shard that
cannot pay is refilled in its own transaction from the campaign's unallocated
`pool` (a share of what is left, so refills grow rarer, not busier), or failing
that from the other shards; only when a consistent snapshot of the whole campaign
(one TransactGetItems) shows that all of it together cannot pay is the charge
refused, so a spin never falls back while money or stock is left anywhere.

The shards mirror the campaign's status and dates, written in the same
transaction as the campaign, so a pause stops the very next spin while no spin
reads or writes the campaign item.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any

from msgspec import Struct, field
from pynamodb.exceptions import TransactGetError
from pynamodb.transactions import TransactGet

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.core.clock import iso
from chalicelib.store.keys import shard_key, shard_keys
from chalicelib.store.models import CampaignModel, DayModel, ShardModel
from chalicelib.store.paging import ShardPage, fan_out
from chalicelib.store.retry import RETRY, transient
from chalicelib.store.tables import connection
from chalicelib.store.transactions import Cancelled, Txn

LABEL = "shard"
DAY = "day"
REFILL_SHARE = 2  # a refill takes at least 1/(REFILL_SHARE * shards) of the pool


def pick(campaign_id: str, shards: int) -> str:
    """Any shard will do: figures are sums, and money follows demand by refills."""
    return shard_key(campaign_id, random.randrange(shards))


def effective_status(status: str, starts_at: str, ends_at: str, now: datetime
                     ) -> schemas.CampaignStatus:
    at = iso(now)
    if status == "ended" or at >= ends_at:
        return "ended"
    if status == "paused":
        return "paused"
    return "scheduled" if at < starts_at else "active"


# ------------------------------------------------------------------- creating


def new_shards(c: CampaignModel) -> list[ShardModel]:
    """Empty slices: the whole budget starts in the pool, so a small budget is not
    cut into pieces too small for one prize; the first charges refill them."""
    return [ShardModel(pk=key, partner_id=c.partner_id, status=c.status,
                       starts_at=c.starts_at, ends_at=c.ends_at, rem=0, spent=0, stock={},
                       spins=0, wins=0, seg={})
            for key in shard_keys(c.id, int(c.shards))]


def mirror(txn: Txn, campaign_id: str, shards: int, actions: list) -> None:
    """Copy a status or end-date change onto every shard, in the campaign's own
    transaction (the callers' actions name ShardModel attributes)."""
    for key in shard_keys(campaign_id, shards):
        txn.update(f"{LABEL}:{key}", ShardModel(pk=key), actions,
                   condition=ShardModel.pk.exists())


# ------------------------------------------------------------------- charging


class Charge(Struct):
    """A shard's part of a transaction: debit `amount` (may be 0), take one unit of
    the stock of segment `stock` (an index) if set, and apply counter `actions` on
    condition `when` too (the report's hour counts: `tallies.fold`)."""

    amount: int = 0
    stock: int | None = None
    actions: list = field(default_factory=list)
    when: Any = None


def charge(txn: Txn, partner_id: str, key: str, what: Charge, now: datetime) -> None:
    """Only while the campaign is active and the shard's slice can pay."""
    s = ShardModel
    at = iso(now)
    condition = (s.partner_id == partner_id) & (s.status == "active") & (s.starts_at <= at) \
        & (s.ends_at > at)
    actions = list(what.actions)
    if what.when is not None:
        condition = condition & what.when
    if what.amount:
        condition = condition & (s.rem >= what.amount)
        actions += [s.rem.add(-what.amount), s.spent.add(what.amount)]
    if what.stock is not None:
        slot = s.stock[str(what.stock)]
        condition = condition & (slot > 0)
        actions.append(slot.set(slot - 1))
    txn.update(LABEL, ShardModel(pk=key), actions, condition=condition)


def refund(txn: Txn, key: str, amount: int) -> None:
    """A void gives its unredeemed balance back to a shard, in any campaign state."""
    s = ShardModel
    txn.update(LABEL, ShardModel(pk=key), [s.rem.add(amount), s.spent.add(-amount)],
               condition=s.pk.exists())


def count_day(txn: Txn, key: str, day: str, **deltas: int) -> None:
    """Move a day row's gift figures (created on first use; no condition)."""
    count_day_with(txn, key, day, [], None, **deltas)


def count_day_with(txn: Txn, key: str, day: str, extra: list, when: Any,
                   **deltas: int) -> None:
    """`count_day` with `extra` actions on condition `when` (the report's hour counts
    of a redemption or reversal: `tallies.fold`)."""
    d = DayModel
    actions = [getattr(d, name).add(value) for name, value in deltas.items() if value]
    txn.update(DAY, DayModel(pk=key, day=day), actions + extra, condition=when)


def issue_deltas(count: int, amount: int) -> dict[str, int]:
    return {"issued_n": count, "issued_amt": amount, "open_n": count, "open_amt": amount}


class Refused(Struct):
    """Why a shard refused a charge, read from the cancelled write (ALL_OLD)."""

    shard: ShardModel | None

    def raise_if_not_chargeable(self, partner_id: str, now: datetime) -> None:
        """404 for another partner's (or no) campaign, 409 when it is not active;
        returning means the shard only lacked budget or stock."""
        s = self.shard
        if s is None or s.partner_id != partner_id:
            raise errors.NotFound("No such campaign")
        state = effective_status(s.status, s.starts_at, s.ends_at, now)
        if state != "active":
            raise errors.CampaignNotActive(f"The campaign is {state}")


def refused(cancelled: Cancelled) -> Refused | None:
    if LABEL not in cancelled:
        return None
    return Refused(cancelled.old(LABEL, ShardModel))


# ------------------------------------------------------------------ refilling


class Shortfall(Exception):
    """The whole campaign, taken together at one instant, cannot pay."""

    def __init__(self, available: int, stock_out: bool) -> None:
        super().__init__(available)
        self.available = available
        self.stock_out = stock_out


class Snapshot(Struct):
    campaign: CampaignModel
    shards: dict[str, ShardModel]

    @property
    def pool(self) -> int:
        return int(self.campaign.pool or 0)

    def stock_pool(self, seg: int) -> int:
        return int((self.campaign.stock_pool.as_dict() if self.campaign.stock_pool
                    else {}).get(str(seg), 0))

    def available(self) -> int:
        return self.pool + sum(int(s.rem or 0) for s in self.shards.values())


def _stock(shard: ShardModel, seg: int) -> int:
    return int((shard.stock.as_dict() if shard.stock else {}).get(str(seg), 0))


def snapshot(campaign_id: str, shards: int) -> Snapshot:
    """The campaign item and all its shards as of one instant (TransactGetItems):
    money in flight between two of them is counted exactly once."""
    keys = shard_keys(campaign_id, shards)
    for pause in RETRY.pauses():
        try:
            with TransactGet(connection=connection()) as tx:
                c_future = tx.get(CampaignModel, campaign_id)
                futures = [tx.get(ShardModel, key) for key in keys]
            return Snapshot(c_future.get(), {key: f.get() for key, f in zip(keys, futures,
                                                                           strict=True)})
        except TransactGetError as exc:
            if pause is None or not transient(exc):
                raise errors.ServiceUnavailable(
                    "The campaign's budget is busy; retry with the same Idempotency-Key"
                ) from exc
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def refill(campaign_id: str, shards: int, key: str, amount: int, seg: int | None) -> None:
    """Give shard `key` enough to pay `amount` (and one unit of segment `seg`).

    Taken from the pool first, a generous share of it so the next refill comes
    later; what the pool lacks is taken from the other shards, richest first. One
    transaction, conditioned on every source still holding what the snapshot
    showed. Raises Shortfall when the campaign as a whole cannot pay; returns
    when the shard can pay now (the caller retries its charge, which may race
    again: the caller bounds its attempts)."""
    for pause in RETRY.pauses():
        plan = _plan_refill(snapshot(campaign_id, shards), shards, key, amount, seg)
        if plan is None:
            return
        txn = Txn()
        _add_refill(txn, campaign_id, key, seg, plan)
        try:
            txn.commit()
            return
        except Cancelled:
            if pause is None:
                break
            continue  # a source moved since the snapshot: look again
    raise errors.ServiceUnavailable("The campaign's budget is busy; retry with the same "
                                    "Idempotency-Key")


class _Refill(Struct, frozen=True):
    """What one refill moves, decided from one snapshot: money and units of stock
    from the pool, then (donor, money, units) from each other shard that gives,
    and in all what the refilled shard gains (`given`, `given_stock`)."""

    from_pool: int
    stock_from_pool: int
    donors: list[tuple[ShardModel, int, int]]
    given: int
    given_stock: int


def _plan_refill(snap: Snapshot, shards: int, key: str, amount: int,
                 seg: int | None) -> _Refill | None:
    """None when shard `key` can already pay; raises Shortfall when the pool and the
    other shards together cannot. Pure: the caller writes the plan."""
    me = snap.shards[key]
    need = max(0, amount - int(me.rem or 0))
    need_stock = 0 if seg is None else max(0, 1 - _stock(me, seg))
    if not need and not need_stock:
        return None
    others = [s for k, s in snap.shards.items() if k != key]
    stock_left = 0 if seg is None else snap.stock_pool(seg) + sum(_stock(s, seg)
                                                                  for s in others)
    if snap.pool + sum(int(s.rem or 0) for s in others) < need or stock_left < need_stock:
        raise Shortfall(snap.available(), stock_out=stock_left < need_stock)
    from_pool = min(snap.pool, max(need, snap.pool // (REFILL_SHARE * shards))) \
        if need else 0
    stock_from_pool = 0
    if need_stock and seg is not None:
        in_pool = snap.stock_pool(seg)
        stock_from_pool = min(in_pool, max(need_stock, in_pool // (REFILL_SHARE * shards)))
    given, given_stock = from_pool, stock_from_pool
    donors: list[tuple[ShardModel, int, int]] = []
    for donor in sorted(others, key=lambda d: int(d.rem or 0), reverse=True):
        take = min(max(0, need - given), int(donor.rem or 0))
        take_stock = 0 if seg is None else min(max(0, need_stock - given_stock),
                                               _stock(donor, seg))
        if not take and not take_stock:
            continue
        donors.append((donor, take, take_stock))
        given += take
        given_stock += take_stock
    return _Refill(from_pool, stock_from_pool, donors, given, given_stock)


def _add_refill(txn: Txn, campaign_id: str, key: str, seg: int | None, plan: _Refill) -> None:
    """The plan's writes: each source's debit is conditioned on its still holding
    what it gives, so a source that moved since the snapshot cancels the refill
    rather than going negative."""
    c = CampaignModel
    if plan.from_pool or plan.stock_from_pool:
        actions, condition = [], c.id.exists()
        if plan.from_pool:
            actions.append(c.pool.add(-plan.from_pool))
            condition = condition & (c.pool >= plan.from_pool)
        if plan.stock_from_pool:
            slot = c.stock_pool[str(seg)]
            actions.append(slot.set(slot - plan.stock_from_pool))
            condition = condition & (slot >= plan.stock_from_pool)
        txn.update("pool", CampaignModel(id=campaign_id), actions, condition=condition)
    s = ShardModel
    for donor, take, take_stock in plan.donors:
        actions, condition = [], s.pk.exists()
        if take:
            actions.append(s.rem.add(-take))
            condition = condition & (s.rem >= take)
        if take_stock:
            slot = s.stock[str(seg)]
            actions.append(slot.set(slot - take_stock))
            condition = condition & (slot >= take_stock)
        txn.update(f"donor:{donor.pk}", ShardModel(pk=donor.pk), actions,
                   condition=condition)
    gain = [s.rem.add(plan.given)] if plan.given else []
    if plan.given_stock:
        slot = s.stock[str(seg)]
        gain.append(slot.set((slot | 0) + plan.given_stock))
    txn.update(f"{LABEL}:{key}", ShardModel(pk=key), gain, condition=s.pk.exists())


# -------------------------------------------------------------------- figures


class Figures(Struct, frozen=True):
    """A campaign's figures summed over its shards and day rows."""

    total: int
    spent: int
    spins: int = 0
    wins: int = 0
    by_segment: dict[int, int] = field(default_factory=dict)
    days: dict[str, dict[str, int]] = field(default_factory=dict)
    # the items read, for the report's hour counts not rolled yet (tallies.pending_of)
    shard_items: list[ShardModel] = field(default_factory=list)
    day_items: list[DayModel] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.spent)


class Standing(Struct, frozen=True):
    """A campaign's status and end as its shards mirror them."""

    status: schemas.CampaignStatus
    ends_at: str


def standing(campaign_id: str, shards: int, now: datetime) -> Standing:
    """Read from one shard chosen at random (the shards mirror status and dates in
    the campaign's own transaction), so a crowd opening the wheel spreads its reads
    over the shards instead of all reading the one campaign item."""
    try:
        s = ShardModel.get(pick(campaign_id, shards), consistent_read=True)
    except ShardModel.DoesNotExist:
        raise errors.NotFound(f"No campaign {campaign_id}") from None
    return Standing(effective_status(s.status, s.starts_at, s.ends_at, now), s.ends_at)


def read_shards(campaign_id: str, shards: int, consistent: bool = True) -> list[ShardModel]:
    """One BatchGetItem: `shards` read units consistent, half that eventually
    consistent (a shard is under 1 KB, one 4 KB step)."""
    return list(ShardModel.batch_get(shard_keys(campaign_id, shards),
                                     consistent_read=consistent))


def budget_figures(c: CampaignModel, consistent: bool = True) -> Figures:
    """Total from the campaign, spent summed over the shards. Consistent reads count
    every write that returned before, which `budget.remaining` promises; eventually
    consistent ones (half the read units) may miss one that returned a moment ago.
    Refills move money between the pool and shards without touching `spent`, so
    they cannot make the sum drift."""
    spent = sum(int(s.spent or 0) for s in read_shards(c.id, int(c.shards), consistent))
    return Figures(total=int(c.budget_total), spent=min(spent, int(c.budget_total)))


def _days(key: str) -> ShardPage[DayModel]:
    rows = list(DayModel.query(key, consistent_read=True))
    return ShardPage(rows, None, True)


def holders(campaign_id: str, shards: int) -> tuple[list[ShardModel], list[DayModel]]:
    """The items that hold the report's hour counts not rolled yet (`tallies`): the
    shards (one BatchGetItem) and their day rows (one Query per shard)."""
    days = [row for page in fan_out(_days, shard_keys(campaign_id, shards))
            for row in page.items]
    return read_shards(campaign_id, shards), days


def all_figures(c: CampaignModel) -> Figures:
    """Everything the report needs: one BatchGetItem of the shards and one Query
    per shard for its day rows, however many gifts and spins there were. The day
    rows as stored: single issues' and wins' counts ride on the shards until a later
    expiry day rolls them into their row, and the report adds them
    (`insights.reports.figures`, `tallies.held_days`)."""
    shards = read_shards(c.id, int(c.shards))
    by_segment: dict[int, int] = {}
    for s in shards:
        for index, n in (s.seg.as_dict() if s.seg else {}).items():
            by_segment[int(index)] = by_segment.get(int(index), 0) + int(n)
    days: dict[str, dict[str, int]] = {}
    day_items: list[DayModel] = []
    for page in fan_out(_days, shard_keys(c.id, int(c.shards))):
        day_items += page.items
        for row in page.items:
            slot = days.setdefault(row.day, {})
            for name in ("issued_n", "issued_amt", "redeemed_n", "redeemed_amt", "voided_n",
                         "voided_amt", "open_n", "open_amt",
                         "reversed_n", "reversed_amt"):  # absent on rows older than reversals
                slot[name] = slot.get(name, 0) + int(getattr(row, name) or 0)
    spent = sum(int(s.spent or 0) for s in shards)
    return Figures(total=int(c.budget_total), spent=min(spent, int(c.budget_total)),
                   spins=sum(int(s.spins or 0) for s in shards),
                   wins=sum(int(s.wins or 0) for s in shards), by_segment=by_segment,
                   days=days, shard_items=shards, day_items=day_items)


def spin_actions(landed: int, win: bool) -> list[Any]:
    s = ShardModel
    slot = s.seg[str(landed)]
    actions = [s.spins.add(1), slot.set((slot | 0) + 1)]
    if win:
        actions.append(s.wins.add(1))
    return actions
