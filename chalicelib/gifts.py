"""Gift issuance, lookup, redemption and voids: the money path.

Each money-moving operation is one TransactWriteItems: the gift, the campaign
(budget and report counters) and the idempotency record move together or not
at all. Nothing is read to *guard* a write; reads only fetch data the write
needs (the campaign's currency and expiry rule, the gift's balance), and both
are cached because they either never change or are re-checked by the write's
condition, so the warm path is a single write call.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from . import campaigns, codes, errors, idempotency, schemas
from .common import iso, new_id
from .store import CampaignModel, Cancelled, GiftModel, PageKey, RedemptionModel, Txn

LABEL = "gift"
MAX_REDEMPTIONS_SHOWN = 100


# ------------------------------------------------------------------- building


def expiry(fixed: campaigns.Fixed, now: datetime) -> tuple[str, str]:
    """A gift is valid through the whole local day `gift_expiry_days` after issue
    and expires at the next local midnight. Whole days make the report's expired
    figure exact: outstanding gifts are counted per expiry day."""
    zone = ZoneInfo(fixed.timezone)
    local_day = now.astimezone(zone).date() + timedelta(days=fixed.gift_expiry_days + 1)
    midnight = datetime(local_day.year, local_day.month, local_day.day, tzinfo=zone)
    return iso(midnight), local_day.isoformat()


def new_gift(fixed: campaigns.Fixed, amount: int, now: datetime, *, code: str | None = None,
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
        status="active", issued_at=issued, issued_key=f"{issued}#{gid}", expires_at=expires_at,
        expiry_day=day, recipient=recipient or None, metadata=metadata or None,
        batch_id=batch_id, batch_index=batch_index,
        reference=(recipient or {}).get("reference"), player_key=player_key, spin_id=spin_id)


def issue_counters(gifts: list[GiftModel]) -> list:
    """Report counters for newly issued gifts (one action per attribute path)."""
    c = CampaignModel
    count = len(gifts)
    total = sum(int(g.amount) for g in gifts)
    per_day: dict[str, list[int]] = {}
    for g in gifts:
        slot = per_day.setdefault(g.expiry_day, [0, 0])
        slot[0] += 1
        slot[1] += int(g.amount)
    actions = [c.issued_count.add(count), c.issued_amount.add(total)]
    for day, (n, amount) in per_day.items():
        actions += [c.open_count[day].set((c.open_count[day] | 0) + n),
                    c.open_amount[day].set((c.open_amount[day] | 0) + amount)]
    return actions


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
    for _ in range(3):
        gift = new_gift(fixed, body.amount, now, recipient=recipient, metadata=body.metadata)
        out = to_out(gift, now)
        txn = Txn()
        campaigns.charge(txn, partner_id, campaign_id, body.amount, now, issue_counters([gift]))
        put_new(txn, gift)
        claim.add_to(txn, 201, schemas.encode(out).decode())
        try:
            idempotency.commit(txn, claim)
        except Cancelled as cancelled:
            campaigns.explain(cancelled, partner_id, body.amount, now)
            if LABEL in cancelled:
                continue  # a code collision (1 in 2^74): draw another code
            raise
        _remember(gift)
        return out
    raise errors.ServiceUnavailable("Could not allocate a unique code; retry")


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


FILTER_PAGE_SIZE = 100
FILTER_PAGES = 10  # gifts read per filtered list call: at most 1,000

# newest first, by issue time (campaign or player index)
ISSUED_ORDER = {"issued_key": ("issued_key", "S"), "code": ("code", "S")}
_PAGES = PageKey("campaign_id", ISSUED_ORDER)

_FILTERS = {
    "active": lambda at: (GiftModel.status == "active") & (GiftModel.expires_at > at),
    "expired": lambda at: (GiftModel.status == "active") & (GiftModel.expires_at <= at),
    "redeemed": lambda at: GiftModel.status == "redeemed",
    "voided": lambda at: GiftModel.status == "voided",
}


def list_page(partner_id: str, campaign_id: str, status: str | None, limit: int,
              cursor: dict[str, Any] | None, now: datetime
              ) -> tuple[list[GiftModel], dict[str, Any] | None]:
    campaigns.get(partner_id, campaign_id)
    if status is not None and status not in _FILTERS:
        raise errors.field_error("status", "must be one of active, redeemed, voided, expired")
    start = _PAGES.start(campaign_id, cursor)
    if status is None:
        result = GiftModel.by_campaign.query(campaign_id, scan_index_forward=False,
                                             limit=limit, last_evaluated_key=start)
        items = list(result)
        return items, _PAGES.next(result.last_evaluated_key)
    return _filtered_page(campaign_id, _FILTERS[status](iso(now)), limit, start)


def _filtered_page(campaign_id: str, condition: Any, limit: int, start: dict | None
                   ) -> tuple[list[GiftModel], dict[str, Any] | None]:
    """DynamoDB filters after reading, so a rare status in a large campaign would read
    the whole campaign in one request. At most FILTER_PAGES pages of FILTER_PAGE_SIZE
    gifts are read per call; the page then holds fewer than `limit` gifts (maybe none)
    and a next_cursor to go on from."""
    pages = GiftModel.by_campaign.query(
        campaign_id, scan_index_forward=False, page_size=FILTER_PAGE_SIZE,
        last_evaluated_key=start, filter_condition=condition).page_iter
    items: list[GiftModel] = []
    for _ in range(FILTER_PAGES):
        try:
            page = next(pages)
        except StopIteration:
            return items, None
        raw_items = page.get("Items") or []
        for n, raw in enumerate(raw_items):
            items.append(GiftModel.from_raw_data(raw))
            if len(items) == limit:
                if n == len(raw_items) - 1 and pages.last_evaluated_key is None:
                    return items, None
                return items, _PAGES.next({k: raw[k] for k in ("campaign_id", "issued_key",
                                                                "code")})
        if pages.last_evaluated_key is None:
            return items, None
    return items, _PAGES.next(pages.last_evaluated_key)


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
        c = CampaignModel
        day = gift.expiry_day
        counters = [c.redeemed_count.add(1), c.redeemed_amount.add(amount),
                    c.open_amount[day].set(c.open_amount[day] - amount)]
        if left == 0:
            counters.append(c.open_count[day].set(c.open_count[day] - 1))
        txn = Txn()
        txn.update(LABEL, GiftModel(code=code), [GiftModel.balance.set(left),
                                                 GiftModel.status.set(after.status)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance)
                   & (GiftModel.expires_at > at))
        txn.put("redemption", redemption, RedemptionModel.sort_key.does_not_exist())
        campaigns.counters_only(txn, gift.campaign_id, counters)
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
        c = CampaignModel
        day = gift.expiry_day
        txn = Txn()
        txn.update(LABEL, GiftModel(code=code), [GiftModel.status.set("voided"),
                                                 GiftModel.voided_at.set(at)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance))
        campaigns.refund(txn, gift.campaign_id, balance, [
            c.voided_count.add(1), c.voided_amount.add(balance),
            c.open_count[day].set(c.open_count[day] - 1),
            c.open_amount[day].set(c.open_amount[day] - balance)])
        claim.add_to(txn, 200, schemas.encode(out).decode())
        done, gift = _commit_change(txn, claim, after)
        if done:
            return out
    raise errors.ServiceUnavailable("The gift is changing too fast; retry with the same key")
