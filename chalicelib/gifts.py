"""Gift issuance, lookup, redemption and voids: the money path.

Each money-moving operation is one TransactWriteItems: the gift, one shard of
its campaign (budget slice, see `budget`), one day row of gift figures and the
idempotency record move together or not at all. Nothing is read to *guard* a
write; reads only fetch data the write needs (the campaign's currency and expiry
rule, the gift's balance), and both are cached because they either never change
or are re-checked by the write's condition, so the warm path is a single write
call.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from . import budget, campaigns, codes, errors, idempotency, reports, schemas
from .common import iso, new_id
from .store import (
    Cancelled,
    GiftModel,
    RedemptionModel,
    ShardPage,
    Txn,
    cursor_value,
    merged_page,
    next_cursor,
)

LABEL = "gift"
MAX_REDEMPTIONS_SHOWN = 100
MAX_ATTEMPTS = 8


# ------------------------------------------------------------------- building


def expiry(fixed: campaigns.Fixed, now: datetime) -> tuple[str, str]:
    """A gift is valid through the whole local day `gift_expiry_days` after issue
    and expires at the next local midnight. Whole days make the report's expired
    figure exact: outstanding gifts are counted per expiry day."""
    zone = ZoneInfo(fixed.timezone)
    local_day = now.astimezone(zone).date() + timedelta(days=fixed.gift_expiry_days + 1)
    midnight = datetime(local_day.year, local_day.month, local_day.day, tzinfo=zone)
    return iso(midnight), local_day.isoformat()


def new_gift(fixed: campaigns.Fixed, amount: int, now: datetime, *, shard_key: str,
             code: str | None = None,
             gift_id: str | None = None, recipient: dict | None = None,
             metadata: dict | None = None, batch_id: str | None = None,
             batch_index: int | None = None, player_key: str | None = None,
             spin_id: str | None = None) -> GiftModel:
    expires_at, day = expiry(fixed, now)
    gid = gift_id or new_id("gft")
    issued = iso(now)
    return GiftModel(
        code=codes.normalize(code or codes.generate()), id=gid, partner_id=fixed.partner_id,
        campaign_id=fixed.id, amount=amount, balance=amount, currency=fixed.currency,
        status="active", issued_at=issued, issued_key=f"{issued}#{gid}", shard_key=shard_key,
        expires_at=expires_at,
        expiry_day=day, recipient=recipient or None, metadata=metadata or None,
        batch_id=batch_id, batch_index=batch_index,
        reference=(recipient or {}).get("reference"), player_key=player_key, spin_id=spin_id)


def count_issued(txn: Txn, key: str, gifts: list[GiftModel]) -> None:
    """The day rows of newly issued gifts (one per expiry day; a batch has one)."""
    per_day: dict[str, list[int]] = {}
    for g in gifts:
        slot = per_day.setdefault(g.expiry_day, [0, 0])
        slot[0] += 1
        slot[1] += int(g.amount)
    for day, (n, amount) in per_day.items():
        budget.count_day(txn, key, day, **budget.issue_deltas(n, amount))


def charge_or_refill(cancelled: Cancelled, fixed: campaigns.Fixed, partner_id: str,
                     key: str, amount: int, now: datetime, seg: int | None = None) -> None:
    """After a charge was refused: the right 404/409 if the campaign cannot take it,
    else move budget to the shard (the caller then retries). Raises
    `budget.Shortfall` when the whole campaign cannot pay."""
    refused = budget.refused(cancelled)
    if refused is None:
        raise cancelled
    refused.raise_if_not_chargeable(partner_id, now)
    budget.refill(fixed.id, fixed.shards, key, amount, seg)


def exhausted(shortfall: budget.Shortfall, amount: int) -> errors.BudgetExhausted:
    return errors.BudgetExhausted(
        f"The campaign has {shortfall.available} left; this needs {amount}",
        extra={"budget_remaining": shortfall.available})


def put_new(txn: Txn, gift: GiftModel, label: str = LABEL) -> None:
    txn.put(label, gift, GiftModel.code.does_not_exist())


def status_of(g: GiftModel, now: datetime) -> str:
    if g.status == "active" and g.expires_at <= iso(now):
        return "expired"
    return g.status


def to_out(g: GiftModel, now: datetime, detail: bool = False,
           redemptions: list[RedemptionModel] | None = None) -> schemas.Gift:
    fields: dict[str, Any] = dict(
        id=g.id, code=codes.format_code(g.code), campaign_id=g.campaign_id,
        amount=int(g.amount), balance=int(g.balance), currency=g.currency,
        status=status_of(g, now), issued_at=g.issued_at, expires_at=g.expires_at,
        recipient=schemas.Recipient(**g.recipient) if g.recipient else None,
        metadata=g.metadata or None, voided_at=g.voided_at)
    if detail:
        return schemas.GiftDetail(**fields, redemptions=[redemption_out(r)
                                                         for r in redemptions or []])
    return schemas.Gift(**fields)


def redemption_out(r: RedemptionModel) -> schemas.Redemption:
    return schemas.Redemption(id=r.id, amount=int(r.amount), redeemed_at=r.redeemed_at,
                              location=r.location)


# --------------------------------------------------------------- snapshot cache

_snapshots: dict[str, GiftModel] = {}
_snap_lock = threading.Lock()


def _remember(gift: GiftModel) -> None:
    with _snap_lock:
        if len(_snapshots) > 20_000:
            _snapshots.clear()
        _snapshots[gift.code] = gift


def clear_cache() -> None:
    with _snap_lock:
        _snapshots.clear()


def _snapshot(code: str) -> GiftModel | None:
    hit = _snapshots.get(code)
    if hit is not None:
        return hit
    try:
        gift = GiftModel.get(code, consistent_read=True)
    except GiftModel.DoesNotExist:
        return None
    _remember(gift)
    return gift


def canonical(raw_code: str) -> str:
    """Typos are caught by the check character, before any database read."""
    try:
        return codes.normalize(raw_code)
    except codes.InvalidCode as exc:
        raise errors.InvalidCodeError(str(exc)) from None


# -------------------------------------------------------------------- issuing


def issue(partner_id: str, campaign_id: str, body: schemas.GiftCreate,
          claim: idempotency.Claim, now: datetime) -> schemas.Gift:
    fixed = campaigns.fixed(partner_id, campaign_id)
    recipient = {k: v for k, v in msgspec.structs.asdict(body.recipient).items()
                 if v is not None} if body.recipient else None
    key = budget.pick(fixed.id, fixed.shards)
    for _ in range(MAX_ATTEMPTS):
        gift = new_gift(fixed, body.amount, now, shard_key=key, recipient=recipient,
                        metadata=body.metadata)
        out = to_out(gift, now)
        txn = Txn()
        budget.charge(txn, partner_id, key, budget.Charge(body.amount), now)
        count_issued(txn, key, [gift])
        reports.count_issue(txn, key, now, fixed.timezone, 1, body.amount)  # insights
        put_new(txn, gift)
        claim.add_to(txn, 201, schemas.encode(out).decode())
        try:
            idempotency.commit(txn, claim)
        except Cancelled as cancelled:
            if LABEL in cancelled and budget.LABEL not in cancelled:
                continue  # a code collision (1 in 2^74): draw another code
            try:
                charge_or_refill(cancelled, fixed, partner_id, key, body.amount, now)
            except budget.Shortfall as shortfall:
                raise exhausted(shortfall, body.amount) from None
            continue
        _remember(gift)
        return out
    raise errors.ServiceUnavailable("The campaign's budget is busy; retry with the same key")


# ------------------------------------------------------------------ reading


def lookup(partner_id: str, raw_code: str, now: datetime) -> schemas.GiftDetail:
    code = canonical(raw_code)
    try:
        gift = GiftModel.get(code, consistent_read=True)
    except GiftModel.DoesNotExist:
        gift = None
    if gift is None or gift.partner_id != partner_id:
        raise errors.NotFound("No gift with this code")
    _remember(gift)
    redemptions = list(RedemptionModel.query(code, limit=MAX_REDEMPTIONS_SHOWN))
    return to_out(gift, now, detail=True, redemptions=redemptions)


FILTER_READ = 1000  # gifts read per filtered list call, over all shards
# a player's gifts, newest first (by_player index)
ISSUED_ORDER = {"issued_key": ("issued_key", "S"), "code": ("code", "S")}

_FILTERS = {
    "active": lambda at: (GiftModel.status == "active") & (GiftModel.expires_at > at),
    "expired": lambda at: (GiftModel.status == "active") & (GiftModel.expires_at <= at),
    "redeemed": lambda at: GiftModel.status == "redeemed",
    "voided": lambda at: GiftModel.status == "voided",
}


def list_page(partner_id: str, campaign_id: str, status: str | None, limit: int,
              cursor: dict[str, Any] | None, now: datetime
              ) -> tuple[list[GiftModel], dict[str, Any] | None]:
    """Newest first, merged over the campaign's shards (one Query each).

    DynamoDB filters after reading, so with a status each shard reads a bounded
    share of FILTER_READ gifts per call: the page may then hold fewer than `limit`
    gifts (maybe none) and a next_cursor to go on from."""
    c = campaigns.get(partner_id, campaign_id)
    if status is not None and status not in _FILTERS:
        raise errors.field_error("status", "must be one of active, redeemed, voided, expired")
    before = cursor_value(cursor)
    shards = int(c.shards)
    condition = _FILTERS[status](iso(now)) if status else None
    per_shard = limit if condition is None else max(limit, FILTER_READ // shards)

    def fetch(key: str) -> ShardPage[GiftModel]:
        result = GiftModel.by_campaign.query(
            key, GiftModel.issued_key < before if before else None,
            scan_index_forward=False, filter_condition=condition, page_size=per_shard)
        pages = result.page_iter
        try:
            page = next(pages)
        except StopIteration:
            return ShardPage([], None, True)
        items = [GiftModel.from_raw_data(raw) for raw in page.get("Items") or []]
        last = pages.last_evaluated_key
        return ShardPage(items, last["issued_key"]["S"] if last else None, last is None)

    items, after = merged_page(fetch, budget.shard_keys(c.id, shards),
                               lambda g: g.issued_key, limit, descending=True)
    return items, next_cursor(after)


# ------------------------------------------------------------ redeem and void


def _check_usable(gift: GiftModel | None, partner_id: str, now: datetime) -> GiftModel:
    if gift is None or gift.partner_id != partner_id:
        raise errors.NotFound("No gift with this code")
    if gift.status == "voided":
        raise errors.GiftVoided("This gift has been voided")
    if int(gift.balance) == 0 or gift.status == "redeemed":
        raise errors.GiftAlreadyRedeemed("This gift has already been fully redeemed")
    return gift


def _commit_change(txn: Txn, claim: idempotency.Claim, after: GiftModel
                   ) -> tuple[bool, GiftModel | None]:
    """Commit a change computed from a snapshot of the gift. If the gift moved
    meanwhile, the cancelled write hands back its current state (ALL_OLD, no extra
    read) for the caller to decide again: (False, current or None if gone)."""
    try:
        idempotency.commit(txn, claim)
    except Cancelled as cancelled:
        if LABEL not in cancelled:
            raise
        current = cancelled.old(LABEL, GiftModel)
        if current is not None:
            _remember(current)
        return False, current
    _remember(after)
    return True, after


def redeem(partner_id: str, raw_code: str, body: schemas.RedeemRequest,
           claim: idempotency.Claim, now: datetime) -> schemas.RedeemResult:
    code = canonical(raw_code)
    at = iso(now)
    gift = _snapshot(code)
    for _ in range(8):
        gift = _check_usable(gift, partner_id, now)
        if gift.expires_at <= at:
            raise errors.GiftExpired(f"This gift expired at {gift.expires_at}")
        balance = int(gift.balance)
        amount = body.amount if body.amount is not None else balance
        if amount > balance:
            raise errors.InsufficientBalance(
                f"The gift's balance is {balance}; cannot redeem {amount}",
                extra={"balance": balance})
        left = balance - amount
        rid = new_id("red")
        # ordered by how much had been redeemed before: strictly increasing per gift
        already = int(gift.amount) - balance
        redemption = RedemptionModel(gift_code=code, sort_key=f"{already:013d}#{rid}", id=rid,
                                     amount=amount, location=body.location, redeemed_at=at)
        after = GiftModel.from_raw_data(gift.serialize())
        after.balance = left
        after.status = "redeemed" if left == 0 else "active"
        result = schemas.RedeemResult(gift=to_out(after, now),
                                      redemption=redemption_out(redemption))
        txn = Txn()
        txn.update(LABEL, GiftModel(code=code), [GiftModel.balance.set(left),
                                                 GiftModel.status.set(after.status)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance)
                   & (GiftModel.expires_at > at))
        txn.put("redemption", redemption, RedemptionModel.sort_key.does_not_exist())
        budget.count_day(txn, gift.shard_key, gift.expiry_day,
                         redeemed_n=1, redeemed_amt=amount, open_amt=-amount,
                         open_n=-1 if left == 0 else 0)
        reports.count_redeem(txn, gift, amount, now)  # insights: the hour row
        claim.add_to(txn, 200, schemas.encode(result).decode())
        done, gift = _commit_change(txn, claim, after)
        if done:
            return result
    raise errors.ServiceUnavailable("The gift is changing too fast; retry with the same key")


def void(partner_id: str, raw_code: str, claim: idempotency.Claim,
         now: datetime) -> schemas.Gift:
    code = canonical(raw_code)
    at = iso(now)
    gift = _snapshot(code)
    for _ in range(8):
        gift = _check_usable(gift, partner_id, now)
        balance = int(gift.balance)
        after = GiftModel.from_raw_data(gift.serialize())
        after.status, after.voided_at = "voided", at
        out = to_out(after, now)
        key = gift.shard_key  # issues spread gifts over the shards, so voids follow
        txn = Txn()
        txn.update(LABEL, GiftModel(code=code), [GiftModel.status.set("voided"),
                                                 GiftModel.voided_at.set(at)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance))
        budget.refund(txn, key, balance)
        budget.count_day(txn, key, gift.expiry_day, voided_n=1, voided_amt=balance,
                         open_n=-1, open_amt=-balance)
        claim.add_to(txn, 200, schemas.encode(out).decode())
        done, gift = _commit_change(txn, claim, after)
        if done:
            return out
    raise errors.ServiceUnavailable("The gift is changing too fast; retry with the same key")
