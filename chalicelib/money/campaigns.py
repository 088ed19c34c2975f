"""Campaigns: creation, reading, status changes and top-ups.

What a campaign is (wheel, seeds, dates, currency) is written once and cached
per process (`terms`); where its budget is spent lives in `budget_shards`, which every
writer (gifts, spins, batches) goes through. Status and end date are mirrored
onto the shards in the campaign's own transaction, so the hot path never reads
or writes the campaign item.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import errors, fair_draw, ids, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.core.ids import new_id
from chalicelib.money import budget_shards
from chalicelib.store import idempotency, keys
from chalicelib.store.models import CampaignModel, ShardModel
from chalicelib.store.paging import PageKey, fan_out
from chalicelib.store.retry import OPTIMISTIC
from chalicelib.store.transactions import Cancelled, Txn

LABEL = "campaign"


# ------------------------------------------------------------------ reading


def effective_status(c: CampaignModel, now: datetime) -> schemas.CampaignStatus:
    return budget_shards.effective_status(c.status, c.starts_at, c.ends_at, now)


def ended_at(c: CampaignModel, now: datetime) -> str | None:
    """When the campaign actually ended, which the papers count from (the results
    report's period and 45-day deadline, the fairness reveal): the PATCH that ended
    it early, else its planned end once passed; None while it has not ended. A
    campaign ended before `ended_at` was recorded falls back to `ends_at`."""
    if c.ended_at:
        return str(c.ended_at)
    if effective_status(c, now) == "ended":
        return str(c.ends_at)
    return None


def budget_out(figures: budget_shards.Figures) -> schemas.Budget:
    return schemas.Budget(total=figures.total, spent=figures.spent,
                          remaining=figures.remaining)


def to_out(c: CampaignModel, now: datetime,
           figures: budget_shards.Figures | None = None) -> schemas.Campaign:
    """`figures` when the caller has them; else the shards are read for them."""
    figures = figures or budget_shards.budget_figures(c)
    return schemas.Campaign(
        id=c.id, name=c.name, status=effective_status(c, now), currency=c.currency,
        budget=budget_out(figures),
        starts_at=c.starts_at, ends_at=c.ends_at, ended_at=ended_at(c, now),
        gift_expiry_days=int(c.gift_expiry_days),
        timezone=c.timezone,
        wheel=msgspec.convert(c.wheel, schemas.WheelConfig) if c.wheel else None,
        fairness=schemas.Fairness(seed_commitment=c.seed_commitment),
        created_at=c.created_at, game=game_of(c.game),
        play_limits=msgspec.convert(c.play_limits, schemas.PlayLimits)
        if c.play_limits else None,
        delivery=delivery_of(c))


def delivery_of(c: CampaignModel) -> schemas.DeliverySettings:
    """A campaign made before delivery existed sends nothing."""
    return (msgspec.convert(c.delivery, schemas.DeliverySettings) if c.delivery
            else schemas.DeliverySettings())


def game_of(stored: dict[str, Any] | None) -> schemas.GameConfig:
    """A campaign stored before games were kinds is a wheel."""
    return msgspec.convert(stored, schemas.GameConfig) if stored else schemas.GameConfig()


REDERIVE = "campaign"  # the source name of `rederive` in idempotency records: never change it


def _fixed_parts(c: CampaignModel) -> dict[str, str]:
    """The wheel, as `to_out` shows it: up to 24 segments of 100-character labels,
    fixed once the campaign is made."""
    if not c.wheel:
        return {}
    return {"wheel": schemas.encode(msgspec.convert(c.wheel, schemas.WheelConfig)).decode()}


def rederive(c: CampaignModel) -> idempotency.Rederive:
    """What an idempotency record may leave out of an answer showing campaign `c`, for
    a replay to read again from the campaign."""
    return idempotency.Rederive(REDERIVE, c.id, _fixed_parts(c))


@idempotency.rederives(REDERIVE)
def _read_fixed_parts(campaign_id: str) -> dict[str, str]:
    try:
        return _fixed_parts(CampaignModel.get(campaign_id, consistent_read=True))
    except CampaignModel.DoesNotExist:
        return {}


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


def list_page(partner_id: str, limit: int, cursor: dict[str, Any] | None, now: datetime
              ) -> tuple[list[schemas.Campaign], dict[str, Any] | None]:
    """The index holds keys only (campaign writes never reach the partner's key);
    the campaigns and their budgets are read in one BatchGetItem each."""
    result = CampaignModel.by_partner.query(partner_id, scan_index_forward=False, limit=limit,
                                            last_evaluated_key=_PAGES.start(partner_id, cursor))
    wanted = [item.id for item in result]
    found = {c.id: c for c in CampaignModel.batch_get(wanted, consistent_read=True)}
    items = [found[i] for i in wanted if i in found and found[i].partner_id == partner_id]
    outs = fan_out(lambda c: to_out(c, now), items)
    return outs, _PAGES.next(result.last_evaluated_key)


class Terms(Struct, frozen=True):
    """A campaign's terms: what never changes after creation (currency, expiry, zone,
    wheel, seed, shard count), so safe to cache for the Lambda's lifetime."""

    id: str
    partner_id: str
    currency: str
    gift_expiry_days: int
    timezone: str
    wheel: dict[str, Any]  # empty: the campaign has no wheel
    server_seed: str
    shards: int
    game: dict[str, Any] = msgspec.field(default_factory=lambda: {"kind": "wheel"})
    play_limits: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.game.get("kind") or "wheel")

    @property
    def envelopes(self) -> int | None:
        return int(self.game["envelopes"]) if self.kind == "envelope" else None
    player_kid: str | None = None  # player_key_of: None for campaigns before issue 21


TERMS_CACHE_ENTRIES = 5000
"""Campaigns one Lambda remembers; one it forgot costs a GetItem on its next use."""
_terms: Cache[str, Terms] = Cache("campaigns.terms", TERMS_CACHE_ENTRIES)


def terms(partner_id: str, campaign_id: str) -> Terms:
    """Issuance needs currency and expiry before its write; cache them so the warm
    path is a single write. The write's condition re-checks the partner."""
    hit = _terms.get(campaign_id)
    if hit is None:
        c = get(partner_id, campaign_id)
        hit = Terms(c.id, c.partner_id, c.currency, int(c.gift_expiry_days), c.timezone,
                    c.wheel or {}, c.server_seed, int(c.shards),
                    msgspec.to_builtins(game_of(c.game)), dict(c.play_limits or {}), c.pkid)
        _terms.put(campaign_id, hit)
    if hit.partner_id != partner_id:
        raise errors.NotFound(f"No campaign {campaign_id}")
    return hit


PLAYER_PURPOSE = "player-id"


def player_key_of(t: Terms, player_id: str) -> str:
    """Where the campaign keeps this player's counters and won gifts. A player id is
    often a phone number, so a campaign made since issue 21 keys its players by a
    keyed hash (`vault.keyed_hash`, under the lookup key the campaign pinned at
    creation, so a key rotation never moves a player's counters); an older campaign
    keeps the id in clear, as its counters were written."""
    if t.player_kid is None:
        return keys.player_key(t.id, player_id)
    return keys.player_key(t.id, vault.keyed_hash(PLAYER_PURPOSE, t.id + "\x00" + player_id,
                                                   t.player_kid))


def player_key(partner_id: str, campaign_id: str, player_id: str) -> str:
    return player_key_of(terms(partner_id, campaign_id), player_id)


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
    now = now or utcnow()
    problems: list[dict[str, str]] = []
    zone = data.get("timezone", fair_draw.DEFAULT_TIMEZONE)
    if isinstance(zone, str) and not fair_draw.is_known_timezone(zone):
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
    if data.get("wheel") is not None:
        try:
            shaped = msgspec.convert(data["wheel"], schemas.WheelConfig)
        except msgspec.ValidationError:
            pass  # the schema reports what is wrong with its shape; the rules need it
        else:
            problems += [{"field": f"wheel.{f}", "message": m}
                         for f, m in fair_draw.validate_wheel(msgspec.to_builtins(shaped))]
    problems += _game_errors(data)
    return problems


def _game_errors(data: dict[str, Any]) -> list[dict[str, str]]:
    game = data.get("game")
    if not isinstance(game, dict):
        return []
    problems = []
    if game.get("kind", "wheel") != "wheel" and data.get("wheel") is None:
        problems.append({"field": "game.kind",
                         "message": "a scratch or envelope game needs `wheel`'s segments"})
    if game.get("envelopes") is not None and game.get("kind") != "envelope":
        problems.append({"field": "game.envelopes",
                         "message": "is only allowed on an envelope game"})
    return problems


def _stored_game(game: schemas.GameConfig | None) -> dict[str, Any] | None:
    """None for the default wheel, so a wheel campaign is stored as before."""
    if game is None or game.kind == "wheel":
        return None
    if game.kind == "envelope":
        return {"kind": "envelope", "envelopes": game.envelopes or fair_draw.DEFAULT_ENVELOPES}
    return {"kind": game.kind}


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
    seed = fair_draw.new_server_seed()
    cid = new_id(ids.CAMPAIGN)
    created = iso(now)
    segments = wheel_dict["segments"] if wheel_dict else []
    c = CampaignModel(
        id=cid, partner_id=partner_id, created_key=f"{created}#{cid}", name=body.name,
        status="active", currency=body.currency, timezone=body.timezone,
        budget_total=body.budget, pool=body.budget, shards=settings().campaign_shards,
        starts_at=iso(starts), ends_at=iso(body.ends_at),
        gift_expiry_days=body.gift_expiry_days, wheel=wheel_dict,
        game=_stored_game(body.game),
        play_limits=msgspec.to_builtins(body.play_limits) if body.play_limits else None,
        delivery=msgspec.to_builtins(body.delivery) if body.delivery else None,
        stock_pool={str(i): s["inventory"] for i, s in enumerate(segments)
                    if s.get("inventory") is not None},
        seed_commitment=fair_draw.commitment(seed), server_seed=seed, created_at=created,
        end_open=OPEN, pkid=vault.current_lookup_kid())
    out = to_out(c, now, budget_shards.Figures(total=body.budget, spent=0))
    txn = Txn().put(LABEL, c, CampaignModel.id.does_not_exist())
    for shard in budget_shards.new_shards(c):
        txn.put(f"shard:{shard.pk}", shard)
    if claim is None:
        txn.commit()
        return out
    claim.add_to(txn, 201, schemas.encode(out).decode(), again=rederive(c))
    idempotency.commit(txn, claim)
    return out


def patch(partner_id: str, campaign_id: str, body: schemas.CampaignPatch,
          now: datetime) -> CampaignModel:
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    if not changes:
        raise errors.field_error("", "send at least one of status, name, ends_at, delivery")
    problems = patch_rule_errors(changes)
    if problems:
        raise errors.ValidationError(problems)
    current = get(partner_id, campaign_id)
    state = effective_status(current, now)
    if state == "ended" and ("status" in changes or "ends_at" in changes):
        raise errors.CampaignEnded("An ended campaign cannot change status or end date; its "
                                   "fairness seed is public")
    actions, mirrored = [], []
    condition = (CampaignModel.partner_id == partner_id) & (CampaignModel.status != "ended") \
        & (CampaignModel.ends_at > iso(now))
    for settable in ("name", "delivery"):  # allowed on an ended campaign too
        if settable in changes:
            value = changes[settable]
            actions.append(getattr(CampaignModel, settable).set(
                msgspec.to_builtins(value) if settable == "delivery" else value))
    if not changes.keys() - {"name", "delivery"}:
        condition = CampaignModel.partner_id == partner_id
    if "ends_at" in changes:
        ends = iso(changes["ends_at"])
        if ends <= iso(now) or ends <= current.starts_at:
            raise errors.field_error("ends_at", "must be in the future and after starts_at")
        actions.append(CampaignModel.ends_at.set(ends))
        mirrored.append(ShardModel.ends_at.set(ends))
    if "status" in changes:
        actions.append(CampaignModel.status.set(changes["status"]))
        if changes["status"] == "ended":  # the condition below: it ends now, early
            actions += [CampaignModel.ended_at.set(iso(now)), CampaignModel.end_open.remove()]
        mirrored.append(ShardModel.status.set(changes["status"]))
    txn = Txn().update(LABEL, CampaignModel(id=campaign_id), actions, condition=condition)
    if mirrored:
        budget_shards.mirror(txn, campaign_id, int(current.shards), mirrored)
    try:
        txn.commit()
    except Cancelled:
        raise errors.CampaignEnded("The campaign has ended") from None
    return get(partner_id, campaign_id)


OPEN = "1"  # CampaignModel.end_open while a campaign is not marked ended
END_BATCH = 100


def end_passed(now: datetime, limit: int = END_BATCH) -> int:
    """Mark ended the campaigns whose planned end has passed (the sweeper, every few
    minutes): their status becomes `ended` and `ended_at` their planned end, on the
    campaign and its shards in one transaction, and the campaign's stream makes the
    `campaign.ended` event. Nothing depends on it for correctness: every answer
    already treats a campaign past its end as ended (`effective_status`) and reveals
    its seed; this makes the event timely. One Query of the sparse `ending` index;
    returns how many it marked."""
    at = iso(now)
    marked = 0
    for key in CampaignModel.ending.query(OPEN, CampaignModel.ends_at <= at, limit=limit):
        try:
            c = CampaignModel.get(key.id, consistent_read=True)
        except CampaignModel.DoesNotExist:
            continue
        c_ = CampaignModel
        txn = Txn().update(LABEL, CampaignModel(id=c.id), [
            c_.status.set("ended"), c_.ended_at.set(c.ends_at), c_.end_open.remove()],
            condition=(c_.end_open == OPEN) & (c_.ends_at <= at) & (c_.status != "ended"))
        budget_shards.mirror(txn, c.id, int(c.shards), [ShardModel.status.set("ended")])
        try:
            txn.commit()
            marked += 1
        except Cancelled:
            continue  # ended by a PATCH meanwhile, or its end moved
    return marked


def top_up(partner_id: str, campaign_id: str, amount: int, claim: idempotency.Claim,
           now: datetime) -> schemas.Campaign:
    """Raise the budget. The write is conditioned on the total it read (only top-ups
    change it) and on the cap, never on `spent`, which every gift moves: a busy
    campaign must still take a top-up. The answer shows the budget as read, raised;
    the idempotency record is checked in the same transaction, so a retry replays
    even once the cap or the campaign's end would refuse a new top-up.

    Only the total is exact in the answer: `spent` is a snapshot that any charge
    landing before the write returns outdates (the write never looks at it), so
    the shards are read eventually consistent, at half the read units; a spend
    that returned a moment before may be missing from it. The exact figures are
    GET /campaigns/{id} and the report, which read them consistently."""
    for _ in OPTIMISTIC:
        c = get(partner_id, campaign_id)
        figures = budget_shards.budget_figures(c, consistent=False)
        snapshot = to_out(c, now, budget_shards.Figures(total=figures.total + amount,
                                                 spent=figures.spent))
        txn = Txn()
        txn.update(LABEL, CampaignModel(id=campaign_id), [
            CampaignModel.budget_total.add(amount), CampaignModel.pool.add(amount)],
            condition=(CampaignModel.partner_id == partner_id)
            & (CampaignModel.budget_total == c.budget_total)
            & (CampaignModel.budget_total <= schemas.MAX_BUDGET - amount)
            & (CampaignModel.status != "ended") & (CampaignModel.ends_at > iso(now)))
        claim.add_to(txn, 201, schemas.encode(snapshot).decode(), again=rederive(c))
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
    raise OPTIMISTIC.exhausted("The budget")
