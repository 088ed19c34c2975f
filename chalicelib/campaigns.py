"""Campaigns, their budgets and top-ups; the one place that knows where a budget lives.

Budget rule: `remaining` is kept beside `total` and `spent` so that "enough
budget" is a plain condition (`budget_remaining >= :amount`) on the same write
that debits it. Every writer (gifts, spins, batches) goes through `charge`, so the
budget can later be sharded without touching them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
from pynamodb.exceptions import UpdateError

from . import errors, idempotency, schemas, wheel
from .common import iso, new_id
from .store import CampaignModel, Cancelled, PageKey, Txn

LABEL = "campaign"


# ------------------------------------------------------------------ reading


def effective_status(c: CampaignModel, now: datetime) -> str:
    if c.status == "ended" or iso(now) >= c.ends_at:
        return "ended"
    if c.status == "paused":
        return "paused"
    return "scheduled" if iso(now) < c.starts_at else "active"


def to_out(c: CampaignModel, now: datetime) -> schemas.Campaign:
    return schemas.Campaign(
        id=c.id, name=c.name, status=effective_status(c, now), currency=c.currency,
        budget=schemas.Budget(total=int(c.budget_total), spent=int(c.budget_spent),
                              remaining=int(c.budget_remaining)),
        starts_at=c.starts_at, ends_at=c.ends_at, gift_expiry_days=int(c.gift_expiry_days),
        timezone=c.timezone,
        wheel=msgspec.convert(c.wheel, schemas.WheelConfig) if c.wheel else None,
        fairness=schemas.Fairness(seed_commitment=c.seed_commitment),
        created_at=c.created_at)


def get(partner_id: str, campaign_id: str) -> CampaignModel:
    """Another partner's campaign is indistinguishable from a missing one."""
    if not campaign_id.startswith("cmp_") or len(campaign_id) > 64:
        raise errors.NotFound(f"No campaign {campaign_id[:64]}")
    try:
        c = CampaignModel.get(campaign_id, consistent_read=True)
    except CampaignModel.DoesNotExist:
        c = None
    if c is None or c.partner_id != partner_id:
        raise errors.NotFound(f"No campaign {campaign_id}")
    return c


_PAGES = PageKey("partner_id", {"created_key": ("created_key", "S"), "id": ("id", "S")})


def list_page(partner_id: str, limit: int, cursor: dict[str, Any] | None
              ) -> tuple[list[CampaignModel], dict[str, Any] | None]:
    result = CampaignModel.by_partner.query(partner_id, scan_index_forward=False, limit=limit,
                                            last_evaluated_key=_PAGES.start(partner_id, cursor))
    items = list(result)
    return items, _PAGES.next(result.last_evaluated_key)


@dataclass(frozen=True)
class Fixed:
    """What never changes after creation; safe to cache for the Lambda's lifetime."""

    id: str
    partner_id: str
    currency: str
    gift_expiry_days: int
    timezone: str
    wheel: dict | None
    server_seed: str


_fixed: dict[str, Fixed] = {}
_fixed_lock = threading.Lock()


def fixed(partner_id: str, campaign_id: str) -> Fixed:
    """Issuance needs currency and expiry before its write; cache them so the warm
    path is a single write. The write's condition re-checks the partner."""
    hit = _fixed.get(campaign_id)
    if hit is None:
        c = get(partner_id, campaign_id)
        hit = Fixed(c.id, c.partner_id, c.currency, int(c.gift_expiry_days), c.timezone,
                    c.wheel, c.server_seed)
        with _fixed_lock:
            if len(_fixed) > 5000:
                _fixed.clear()
            _fixed[campaign_id] = hit
    if hit.partner_id != partner_id:
        raise errors.NotFound(f"No campaign {campaign_id}")
    return hit


def clear_cache() -> None:
    with _fixed_lock:
        _fixed.clear()


# ------------------------------------------------------------------ writing


_FIRST_YEAR, _LAST_YEAR = 2000, 2999


def _instant(value: Any) -> datetime | None:
    """An aware timestamp from a typed body or plain JSON, else None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) and value.tzinfo else None


def _in_range(moment: datetime) -> bool:
    """Stored timestamps are UTC text that sorts, so conditions can compare them; an
    instant outside these years (or one UTC cannot hold) has no such form."""
    try:
        return _FIRST_YEAR <= moment.astimezone(UTC).year <= _LAST_YEAR
    except OverflowError:
        return False


def _time_errors(data: dict[str, Any], names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"field": name, "message": f"must be between the years {_FIRST_YEAR} and "
                                       f"{_LAST_YEAR} (UTC)"}
            for name in names
            if (moment := _instant(data.get(name))) is not None and not _in_range(moment)]


def rule_errors(data: dict[str, Any], now: datetime | None = None) -> list[dict[str, str]]:
    """The rules a well-typed campaign body must also meet. Works on the plain
    JSON values too, so a body with type errors still hears about these."""
    now = now or datetime.now(UTC)
    problems: list[dict[str, str]] = []
    zone = data.get("timezone", wheel.DEFAULT_TIMEZONE)
    if isinstance(zone, str) and not wheel.is_known_timezone(zone):
        problems.append({"field": "timezone", "message": "is not an IANA time zone name, "
                                                         "such as Asia/Ho_Chi_Minh"})
    times = _time_errors(data, ("starts_at", "ends_at"))
    problems += times
    starts = _instant(data.get("starts_at")) if data.get("starts_at") is not None else now
    ends = _instant(data.get("ends_at"))
    if starts is not None and ends is not None and not times:
        if ends <= starts:
            problems.append({"field": "ends_at", "message": "must be after starts_at"})
        elif ends <= now:
            problems.append({"field": "ends_at", "message": "must be in the future"})
    if isinstance(data.get("wheel"), dict):
        problems += [{"field": f"wheel.{f}" if f else "wheel", "message": m}
                     for f, m in wheel.validate_wheel(data["wheel"])]
    return problems


def patch_rule_errors(data: dict[str, Any]) -> list[dict[str, str]]:
    return _time_errors(data, ("ends_at",))


def create(partner_id: str, body: schemas.CampaignCreate, now: datetime,
           claim: idempotency.Claim | None = None) -> schemas.Campaign:
    """With an Idempotency-Key, its record is written in the campaign's own
    transaction, so a retry after a timeout never makes a second campaign."""
    problems = rule_errors(msgspec.to_builtins(body), now)
    if problems:
        raise errors.ValidationError(problems)
    starts = body.starts_at or now
    wheel_dict = msgspec.to_builtins(body.wheel) if body.wheel else None
    seed = wheel.new_server_seed()
    cid = new_id("cmp")
    created = iso(now)
    segments = wheel_dict["segments"] if wheel_dict else []
    c = CampaignModel(
        id=cid, partner_id=partner_id, created_key=f"{created}#{cid}", name=body.name,
        status="active", currency=body.currency, timezone=body.timezone,
        budget_total=body.budget, budget_spent=0, budget_remaining=body.budget,
        starts_at=iso(starts), ends_at=iso(body.ends_at),
        gift_expiry_days=body.gift_expiry_days, wheel=wheel_dict,
        inventory={s["id"]: s["inventory"] for s in segments if s.get("inventory") is not None},
        seed_commitment=wheel.commitment(seed), server_seed=seed, created_at=created,
        spins_by_segment={s["id"]: 0 for s in segments}, open_count={}, open_amount={})
    out = to_out(c, now)
    if claim is None:
        c.save(condition=CampaignModel.id.does_not_exist())
        return out
    txn = Txn().put(LABEL, c, CampaignModel.id.does_not_exist())
    claim.add_to(txn, 201, schemas.encode(out).decode())
    idempotency.commit(txn, claim)
    return out


def patch(partner_id: str, campaign_id: str, body: schemas.CampaignPatch,
          now: datetime) -> CampaignModel:
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    if not changes:
        raise errors.field_error("", "send at least one of status, name, ends_at")
    problems = patch_rule_errors(changes)
    if problems:
        raise errors.ValidationError(problems)
    current = get(partner_id, campaign_id)
    state = effective_status(current, now)
    if state == "ended" and ("status" in changes or "ends_at" in changes):
        raise errors.CampaignEnded("An ended campaign cannot change status or end date; its "
                                   "fairness seed is public")
    actions = []
    condition = (CampaignModel.partner_id == partner_id) & (CampaignModel.status != "ended") \
        & (CampaignModel.ends_at > iso(now))
    if "name" in changes:
        actions.append(CampaignModel.name.set(changes["name"]))
        if len(changes) == 1:
            condition = CampaignModel.partner_id == partner_id
    if "ends_at" in changes:
        ends = iso(changes["ends_at"])
        if ends <= iso(now) or ends <= current.starts_at:
            raise errors.field_error("ends_at", "must be in the future and after starts_at")
        actions.append(CampaignModel.ends_at.set(ends))
    if "status" in changes:
        actions.append(CampaignModel.status.set(changes["status"]))
    try:
        current.update(actions=actions, condition=condition)
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise errors.CampaignEnded("The campaign has ended") from None
        raise
    return current


def top_up(partner_id: str, campaign_id: str, amount: int, claim: idempotency.Claim,
           now: datetime) -> schemas.Campaign:
    """Raise the budget. The write is conditioned on the total it read (only top-ups
    change it) and on the cap, never on `spent`, which every gift moves: a busy
    campaign must still take a top-up. The answer shows the budget as read, raised;
    the idempotency record is checked in the same transaction, so a retry replays
    even once the cap or the campaign's end would refuse a new top-up."""
    for _ in range(8):
        c = get(partner_id, campaign_id)
        snapshot = to_out(c, now)
        snapshot.budget = schemas.Budget(total=int(c.budget_total) + amount,
                                         spent=int(c.budget_spent),
                                         remaining=int(c.budget_remaining) + amount)
        txn = Txn()
        txn.update(LABEL, CampaignModel(id=campaign_id), [
            CampaignModel.budget_total.add(amount), CampaignModel.budget_remaining.add(amount)],
            condition=(CampaignModel.partner_id == partner_id)
            & (CampaignModel.budget_total == c.budget_total)
            & (CampaignModel.budget_total <= schemas.MAX_BUDGET - amount)
            & (CampaignModel.status != "ended") & (CampaignModel.ends_at > iso(now)))
        claim.add_to(txn, 201, schemas.encode(snapshot).decode())
        try:
            idempotency.commit(txn, claim)
            return snapshot
        except Cancelled as cancelled:
            old = cancelled.old(LABEL, CampaignModel)
            if old is None or old.partner_id != partner_id:
                raise errors.NotFound(f"No campaign {campaign_id}") from None
            if effective_status(old, now) == "ended":
                raise errors.CampaignEnded("An ended campaign cannot be topped up") from None
            if int(old.budget_total) + amount > schemas.MAX_BUDGET:
                raise errors.field_error(
                    "amount", f"the budget cannot exceed {schemas.MAX_BUDGET}") from None
            # another top-up moved the total meanwhile: read it again
    raise errors.ServiceUnavailable("The budget is changing too fast; retry with the same key")


# ------------------------------------------------------------- budget charges


def charge(txn: Txn, partner_id: str, campaign_id: str, amount: int, now: datetime,
           counters: list, extra: Any = None) -> None:
    """Add the campaign's part of an issuing transaction: debit `amount` (may be 0)
    and bump report counters, only while the campaign is active and can pay.
    `extra` is one more condition on the campaign item (a spin's `inventory > 0`)."""
    c = CampaignModel
    at = iso(now)
    condition = (c.partner_id == partner_id) & (c.status == "active") & (c.starts_at <= at) \
        & (c.ends_at > at)
    actions = list(counters)
    if amount:
        condition = condition & (c.budget_remaining >= amount)
        actions += [c.budget_remaining.add(-amount), c.budget_spent.add(amount)]
    if extra is not None:
        condition = condition & extra
    txn.update(LABEL, CampaignModel(id=campaign_id), actions, condition=condition)


def explain(cancelled: Cancelled, partner_id: str, amount: int, now: datetime) -> None:
    """Turn a cancelled campaign condition into the error the partner must see."""
    if LABEL not in cancelled:
        return
    old = cancelled.old(LABEL, CampaignModel)
    if old is None or old.partner_id != partner_id:
        raise errors.NotFound("No such campaign")
    state = effective_status(old, now)
    if state != "active":
        raise errors.CampaignNotActive(f"The campaign is {state}")
    raise errors.BudgetExhausted(
        f"The campaign has {int(old.budget_remaining)} left; this needs {amount}",
        extra={"budget_remaining": int(old.budget_remaining)})


def refund(txn: Txn, campaign_id: str, amount: int, counters: list) -> None:
    """A void's part: give the unredeemed balance back; allowed in any state."""
    c = CampaignModel
    actions = list(counters)
    if amount:
        actions += [c.budget_remaining.add(amount), c.budget_spent.add(-amount)]
    txn.update(LABEL, CampaignModel(id=campaign_id), actions, condition=c.id.exists())


def counters_only(txn: Txn, campaign_id: str, counters: list) -> None:
    txn.update(LABEL, CampaignModel(id=campaign_id), counters,
               condition=CampaignModel.id.exists())
