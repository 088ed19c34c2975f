"""Gift issuance, lookup, redemption and voids: the money path.

Each money-moving operation is one TransactWriteItems: the gift, one shard of
its campaign (budget slice, see `budget_shards`), the gift figures of its expiry day
(its day row; an issue's carried on the shard until a later expiry day rolls them
there, `tallies`) and the idempotency record move together or not at all.
Nothing is read to *guard* a write; reads only fetch data the write needs (the
campaign's currency and expiry rule, the gift's balance), and both are cached
because they either never change or are re-checked by the write's condition, so
the warm path is a single write call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import msgspec

from chalicelib import schemas
from chalicelib.core import codes, errors, ids, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.clock import now as utcnow
from chalicelib.core.ids import new_id
from chalicelib.money import (
    budget_shards,
    campaigns,
    gift_links,
    gift_versions,
    optimistic,
    recipients,
    tallies,
)
from chalicelib.store import idempotency
from chalicelib.store.keys import shard_keys
from chalicelib.store.models import DayModel, GiftModel
from chalicelib.store.paging import ShardPage, cursor_value, merged_page, next_cursor, query_page
from chalicelib.store.retry import OPTIMISTIC
from chalicelib.store.transactions import Cancelled, Txn

LABEL = "gift"
MAX_REDEMPTIONS_SHOWN = 100
REDERIVE = "gift"  # the source name of `rederive` in idempotency records: never change it


# ------------------------------------------------------------------- building


def expiry(terms: campaigns.Terms, now: datetime) -> tuple[str, str]:
    """A gift is valid through the whole local day `gift_expiry_days` after issue
    and expires at the next local midnight. Whole days make the report's expired
    figure exact: outstanding gifts are counted per expiry day."""
    zone = ZoneInfo(terms.timezone)
    local_day = now.astimezone(zone).date() + timedelta(days=terms.gift_expiry_days + 1)
    midnight = datetime(local_day.year, local_day.month, local_day.day, tzinfo=zone)
    return iso(midnight), local_day.isoformat()


def new_gift(terms: campaigns.Terms, amount: int, now: datetime, *, shard_key: str,
             code: str | None = None,
             gift_id: str | None = None, recipient: dict | None = None,
             metadata: dict | None = None, batch_id: str | None = None,
             batch_index: int | None = None, player_key: str | None = None,
             spin_id: str | None = None, lookup_kid: str | None = None,
             deliver_at: str | None = None) -> GiftModel:
    expires_at, day = expiry(terms, now)
    gid = gift_id or new_id(ids.GIFT)
    issued = iso(now)
    plain = codes.normalize(code or codes.generate())
    key = vault.code_hash(plain, lookup_kid)
    gift = GiftModel(
        code_hash=key, code_enc=vault.seal(plain, key), id=gid, partner_id=terms.partner_id,
        campaign_id=terms.id, amount=amount, balance=amount, currency=terms.currency,
        status="active", issued_at=issued, issued_key=f"{issued}#{gid}", shard_key=shard_key,
        expires_at=expires_at,
        expiry_day=day, metadata=metadata or None,
        batch_id=batch_id, batch_index=batch_index, player_key=player_key, spin_id=spin_id,
        deliver_at=deliver_at)
    recipients.seal_onto(gift, recipient)  # the contact sealed, never in clear
    gift._plain = plain  # held in memory only, for this request's answer
    return gift


DELIVER_AHEAD = timedelta(days=366)
"""`deliver_at` at most a year ahead (a leap year's)."""
DELIVER_SKEW = timedelta(minutes=5)
"""`deliver_at` this far in the past still means "now" (clocks differ)."""


def deliver_at_of(value: datetime | str | None, now: datetime,
                  field: str = "deliver_at") -> str | None:
    """When the gift's delivery is wanted, as stored on the gift (RFC 3339 UTC), or a
    422 naming `field`. Only an attribute of the gift: delivery is planned from the
    gift's stream record, never by the issue itself."""
    if value is None:
        return None
    at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if at < now - DELIVER_SKEW:
        raise errors.field_error(field, "is in the past")
    if at > now + DELIVER_AHEAD:
        raise errors.field_error(field, "must be at most a year ahead")
    return iso(at)


def plain_code(g: GiftModel) -> str:
    """The gift's code: known to the request that made it, else opened from the seal."""
    return getattr(g, "_plain", None) or vault.open_sealed(g.code_enc, g.code_hash)


def count_issued(txn: Txn, key: str, gifts: list[GiftModel]) -> None:
    """The day rows of newly issued gifts (one per expiry day; a batch has one).
    A batch's reservation writes them; a single issue and a win carry theirs on the
    shard instead (`tallies.fold_shard`)."""
    per_day: dict[str, list[int]] = {}
    for g in gifts:
        slot = per_day.setdefault(g.expiry_day, [0, 0])
        slot[0] += 1
        slot[1] += int(g.amount)
    for day, (n, amount) in per_day.items():
        budget_shards.count_day(txn, key, day, **budget_shards.issue_deltas(n, amount))


def charge_or_refill(cancelled: Cancelled, terms: campaigns.Terms, partner_id: str,
                     key: str, amount: int, now: datetime, seg: int | None = None) -> None:
    """After a charge was refused: the right 404/409 if the campaign cannot take it,
    else move budget to the shard (the caller then retries). Raises
    `budget_shards.Shortfall` when the whole campaign cannot pay."""
    refused = budget_shards.refused(cancelled)
    if refused is None:
        raise cancelled
    refused.raise_if_not_chargeable(partner_id, now)
    budget_shards.refill(terms.id, terms.shards, key, amount, seg)


def exhausted(shortfall: budget_shards.Shortfall, amount: int) -> errors.BudgetExhausted:
    return errors.BudgetExhausted(
        f"The campaign has {shortfall.available} left; this needs {amount}",
        extra={"budget_remaining": shortfall.available})


def put_new(txn: Txn, gift: GiftModel, label: str = LABEL) -> None:
    txn.put(label, gift, GiftModel.code_hash.does_not_exist())


def status_of(g: GiftModel, now: datetime) -> schemas.GiftStatus:
    if g.status == "active" and g.expires_at <= iso(now):
        return "expired"
    return cast(schemas.GiftStatus, g.status)


def to_out(g: GiftModel, now: datetime, code: str | None = None) -> schemas.Gift:
    """`code` when the caller holds it (the request named it); else it is opened."""
    return schemas.Gift(**_out_fields(g, now, code))


def detail_out(g: GiftModel, now: datetime, redemptions: list[schemas.Redemption],
               code: str | None = None) -> schemas.GiftDetail:
    return schemas.GiftDetail(**_out_fields(g, now, code), redemptions=redemptions)


def _out_fields(g: GiftModel, now: datetime, code: str | None) -> dict[str, Any]:
    return dict(
        id=g.id, code=codes.format_code(code or plain_code(g)), campaign_id=g.campaign_id,
        amount=int(g.amount), balance=int(g.balance),
        available=gift_versions.available(g, now),  # the balance less active holds
        currency=g.currency,
        status=status_of(g, now), issued_at=g.issued_at, expires_at=g.expires_at,
        recipient=_recipient_out(g, now), metadata=g.metadata or None,
        gift_url=gift_links.url_for(g), voided_at=g.voided_at)


def _recipient_out(g: GiftModel, now: datetime) -> schemas.Recipient | None:
    shown = recipients.recipient_of(g, now)
    return schemas.Recipient(**shown) if shown else None


def _fixed_parts(g: GiftModel, replay: bool = False) -> dict[str, str]:
    """The large members of a gift's answer that never change once it is issued,
    as JSON text exactly as `to_out` gives them. Two exceptions, read again on every
    replay (`replay`): a recipient's contact goes when it is erased or its retention
    ends, and a replay then shows it gone (`null` when nothing is left), never the
    contact; and the gift's link, which a rotation replaces (`FRESH`)."""
    parts = {}
    shown = _recipient_out(g, utcnow())
    if shown is not None or replay:
        parts["recipient"] = schemas.encode(shown).decode()
    if g.metadata:
        parts["metadata"] = schemas.encode(g.metadata).decode()
    parts["gift_url"] = schemas.encode(gift_links.url_for(g)).decode()
    return parts


FRESH = ("gift_url",)
"""Parts never stored in an idempotency record: a replay shows the gift's current link
(the one it had may have been rotated away), at the cost of one GetItem on the replay.
The record holds where to read it instead (about 50 bytes, against about 85 for the
link, which does not deflate)."""


def rederive(g: GiftModel) -> idempotency.Rederive:
    """What an idempotency record may leave out of an answer showing gift `g` (its
    recipient and metadata, up to 11 KB), for a replay to read again from the gift;
    its link is always left out (`FRESH`)."""
    return idempotency.Rederive(REDERIVE, g.code_hash, _fixed_parts(g), FRESH)


@idempotency.rederives(REDERIVE)
def _read_fixed_parts(code_hash: str) -> dict[str, str]:
    try:
        return _fixed_parts(GiftModel.get(code_hash, consistent_read=True), replay=True)
    except GiftModel.DoesNotExist:
        return {}


# --------------------------------------------------------------- snapshot cache

SNAPSHOT_ENTRIES = 20_000
"""Gifts one Lambda remembers; one it forgot costs a GetItem on its next use."""
_snapshots: Cache[str, GiftModel] = Cache("gifts.snapshots", SNAPSHOT_ENTRIES)
"""code_hash -> gift, read by its own partner's requests only."""


def remember(gift: GiftModel) -> None:
    _snapshots.put(gift.code_hash, gift)


def find(partner_id: str, code: str, cached: bool) -> GiftModel | None:
    """The gift with this canonical code, if it is this partner's.

    Another partner's code and an unknown code take the same path (one GetItem,
    nothing cached), so timing tells a prober nothing: the cache only ever holds
    gifts this partner's own requests have read."""
    for key in vault.code_hashes(code):
        hit = _snapshots.get(key) if cached else None
        if hit is not None and hit.partner_id == partner_id:
            return hit
        try:
            gift = GiftModel.get(key, consistent_read=True)
        except GiftModel.DoesNotExist:
            continue
        if gift.partner_id != partner_id:
            return None
        remember(gift)
        return gift
    return None


def by_key(partner_id: str, code_hash: str, cached: bool) -> GiftModel | None:
    """The gift with this hash if it is this partner's (holds and reversals find
    their gift by hash); the snapshot is re-checked by the write's condition."""
    hit = _snapshots.get(code_hash) if cached else None
    if hit is None:
        try:
            hit = GiftModel.get(code_hash, consistent_read=True)
        except GiftModel.DoesNotExist:
            return None
        remember(hit)
    return hit if hit.partner_id == partner_id else None


def canonical(raw_code: str) -> str:
    """Typos are caught by the check character, before any database read."""
    try:
        return codes.normalize(raw_code)
    except codes.InvalidCode as exc:
        raise errors.InvalidCodeError(str(exc)) from None


# -------------------------------------------------------------------- issuing


def issue(partner_id: str, campaign_id: str, body: schemas.GiftCreate,
          claim: idempotency.Claim, now: datetime) -> schemas.Gift:
    terms = campaigns.terms(partner_id, campaign_id)
    recipient = {k: v for k, v in msgspec.structs.asdict(body.recipient).items()
                 if v is not None} if body.recipient else None
    deliver_at = deliver_at_of(body.deliver_at, now)
    key = budget_shards.pick(terms.id, terms.shards)
    hour, seen = tallies.hour_of(now, terms.timezone), tallies.OnShard()
    for _ in OPTIMISTIC:
        gift = new_gift(terms, body.amount, now, shard_key=key, recipient=recipient,
                        metadata=body.metadata, deliver_at=deliver_at)
        out = to_out(gift, now)
        txn = Txn()
        # insights: the hour's counts and the gift's day row's, on the shard
        counted = tallies.fold_shard(txn, key, hour, tallies.issue_counts(1, body.amount),
                                     [gift], seen)
        budget_shards.charge(txn, partner_id, key, budget_shards.Charge(
            body.amount, actions=counted.actions, when=counted.condition), now)
        put_new(txn, gift)
        claim.add_to(txn, 201, schemas.encode(out).decode(), again=rederive(gift))
        try:
            idempotency.commit(txn, claim)
        except Cancelled as cancelled:
            if LABEL in cancelled and budget_shards.LABEL not in cancelled:
                continue  # a code collision (1 in 2^74): draw another code
            again = tallies.refused_shard(cancelled, budget_shards.LABEL, hour, [gift], seen)
            if again is not None:  # a new hour or expiry day on the shard: roll, count again
                seen = again
                continue
            try:
                charge_or_refill(cancelled, terms, partner_id, key, body.amount, now)
            except budget_shards.Shortfall as shortfall:
                raise exhausted(shortfall, body.amount) from None
            continue
        remember(gift)
        return out
    raise OPTIMISTIC.exhausted("The campaign's budget")


# ------------------------------------------------------------------ reading


def lookup(partner_id: str, raw_code: str, now: datetime) -> schemas.GiftDetail:
    code = canonical(raw_code)
    gift = find(partner_id, code, cached=False)
    if gift is None:
        raise errors.NotFound("No gift with this code")
    redemptions = gift_versions.redemptions(gift, MAX_REDEMPTIONS_SHOWN)
    return detail_out(gift, now, redemptions, code=code)


FILTER_READ = 1000  # gifts a list call evaluates at most (after its first round)
# a player's gifts, newest first (by_player index)
ISSUED_ORDER = {"issued_key": ("issued_key", "S"), "code_hash": ("code_hash", "S")}

_FILTERS: dict[str, Callable[[GiftModel, str], bool]] = {
    "active": lambda g, at: g.status == "active" and g.expires_at > at,
    "expired": lambda g, at: g.status == "active" and g.expires_at <= at,
    "redeemed": lambda g, at: g.status == "redeemed",
    "voided": lambda g, at: g.status == "voided",
}


def fill(entries: list[GiftModel]) -> list[GiftModel]:
    """The gifts the keys-only `by_shard` entries name, in their order (BatchGetItem,
    100 a call); a gift is read from the table, so a list shows it as it is now."""
    found = {g.code_hash: g for g in GiftModel.batch_get([e.code_hash for e in entries])}
    return [found[e.code_hash] for e in entries if e.code_hash in found]


def list_page(partner_id: str, campaign_id: str, status: str | None, limit: int,
              cursor: dict[str, Any] | None, now: datetime
              ) -> tuple[list[GiftModel], dict[str, Any] | None]:
    """Newest first, merged over the campaign's shards (`paging.merged_page`: each
    shard read only as far as the page needs) from the keys-only index, then the
    page's gifts in one BatchGetItem (`fill`).

    The index holds no status, so with a status the keys read are filled and those
    whose gift matches kept: a call evaluates about FILTER_READ gifts at most, and
    the page may then hold fewer than `limit` gifts (maybe none) and a next_cursor to
    go on from."""
    c = campaigns.get(partner_id, campaign_id)
    if status is not None and status not in _FILTERS:
        raise errors.field_error("status", "must be one of active, redeemed, voided, expired")
    before = cursor_value(cursor)
    keep = _FILTERS[status] if status else None
    at = iso(now)

    def fetch(key: str, resume: Any, size: int) -> ShardPage[GiftModel]:
        result = GiftModel.by_shard.query(
            key, GiftModel.issued_key < before if before else None,
            scan_index_forward=False, page_size=size, last_evaluated_key=resume)
        page = query_page(result, GiftModel, "issued_key")  # keys only
        if keep is None:
            return page
        return ShardPage([g for g in fill(page.items) if keep(g, at)], page.reached, page.done,
                         page.resume, len(page.items))

    items, after = merged_page(fetch, shard_keys(c.id, int(c.shards)),
                               lambda g: g.issued_key, limit, descending=True,
                               budget=FILTER_READ)
    return (fill(items) if keep is None else items), next_cursor(after)


# ------------------------------------------------------------ redeem and void


def usable(g: GiftModel | None, partner_id: str, now: datetime, *,
           expired_ok: bool = False) -> GiftModel:
    """The gift, if a till may still take money from it (voids take expired ones)."""
    if g is None or g.partner_id != partner_id:
        raise errors.NotFound("No gift with this code")
    if g.status == "voided":
        raise errors.GiftVoided("This gift has been voided")
    if int(g.balance) == 0 or g.status == "redeemed":
        raise errors.GiftAlreadyRedeemed("This gift has already been fully redeemed")
    if not expired_ok and g.expires_at <= iso(now):
        raise errors.GiftExpired(f"This gift expired at {g.expires_at}")
    return g


def committed(failed: dict[str, Any] | None, after: GiftModel) -> GiftModel | None:
    """After `optimistic.commit`: keep the gift as written, or as the cancelled write
    handed it back (None when done, or when it is gone)."""
    if failed is None:
        remember(after)
        return None
    current = failed.get(LABEL)
    if current is not None:
        remember(current)
    return current


def retallied(failed: dict[str, Any] | None, hour: str, seen: tallies.Seen | None
              ) -> tuple[tallies.Seen | None, bool]:
    """After `optimistic.commit` of a change that counts on its gift's day row
    (`budget_shards.DAY` labelled): what the day row now holds, when its refusal was
    the hour counts' (a new hour to roll), and whether the gift itself was accepted
    (then the change is only tried again, on the same snapshot)."""
    if failed is None or budget_shards.DAY not in failed:
        return seen, False
    again = tallies.refused_item(failed[budget_shards.DAY], hour, seen)
    if again is None:
        raise errors.ServiceUnavailable("The gift's figures were refused; retry with the "
                                        "same Idempotency-Key")
    return again, len(failed) == 1


def redeem(partner_id: str, raw_code: str, body: schemas.RedeemRequest,
           claim: idempotency.Claim, now: datetime) -> schemas.RedeemResult:
    code = canonical(raw_code)
    at = iso(now)
    gift = find(partner_id, code, cached=True)
    fresh = gift is None  # None never comes from the cache

    def decide(g: GiftModel | None) -> tuple[GiftModel, int]:
        g = usable(g, partner_id, now)
        free = gift_versions.available(g, now)  # the balance less active holds
        want = body.amount if body.amount is not None else free
        if want > free or want == 0:
            raise errors.InsufficientBalance(
                f"The gift's available balance is {free}; cannot redeem {want}",
                extra={"balance": int(g.balance), "available": free})
        return g, want

    hour, seen = None, None
    for _ in OPTIMISTIC:
        (gift, amount), _ = optimistic.decide(
            decide, gift, fresh, lambda: find(partner_id, code, cached=False))
        hour = hour or tallies.redeem_hour(gift, now)  # insights: the hour's counts
        balance = int(gift.balance)
        left = balance - amount
        live = gift_versions.live_holds(gift, now)
        txn = Txn()
        redemption = schemas.Redemption(id=gift_versions.next_redemption_id(gift),
                                        amount=amount, redeemed_at=at, location=body.location)
        after = optimistic.copy(gift)
        after.balance = left
        after.status = "redeemed" if left == 0 else "active"
        gift_versions.apply(after, gift, live)
        result = schemas.RedeemResult(gift=to_out(after, now, code=code),
                                      redemption=redemption)
        txn.update(LABEL, GiftModel(code_hash=gift.code_hash), [
            GiftModel.balance.set(left), GiftModel.status.set(after.status),
            *gift_versions.change(gift, live), *recipients.migrate(after)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance)
                   & (GiftModel.expires_at > at) & gift_versions.unchanged(gift))
        row = gift_versions.record(txn, gift, "redeemed", amount, left, at,
                                   location=body.location, ref=redemption.id)  # the redemption
        counted = tallies.fold(txn, DayModel, tallies.redeemed_row_key(gift), hour,
                               tallies.redeem_counts(gift, amount), seen)  # insights
        budget_shards.count_day_with(txn, gift.shard_key, gift.expiry_day, counted.actions,
                                     counted.condition, redeemed_n=1, redeemed_amt=amount,
                                     open_amt=-amount, open_n=-1 if left == 0 else 0)
        claim.add_to(txn, 200, schemas.encode(result).decode(), again=rederive(after))
        failed = optimistic.commit(txn, claim, {LABEL: GiftModel, budget_shards.DAY: DayModel})
        seen, retally = retallied(failed, hour, seen)
        if retally:  # only the day row's hour moved: the gift is as read
            continue
        gift = committed(failed, after)
        if failed is None:
            # a reversal on this Lambda reads nothing
            gift_versions.remember(gift_versions.redeemed_from_event(row))
            return result
        fresh = True  # the cancelled write handed back the gift as it is now
    raise OPTIMISTIC.exhausted("The gift")


def void(partner_id: str, raw_code: str, claim: idempotency.Claim,
         now: datetime) -> schemas.Gift:
    code = canonical(raw_code)
    at = iso(now)
    gift = find(partner_id, code, cached=True)
    fresh = gift is None  # None never comes from the cache

    def decide(g: GiftModel | None) -> GiftModel:
        g = usable(g, partner_id, now, expired_ok=True)
        if gift_versions.live_holds(g, now):  # capture or release them first
            raise errors.GiftHeld("The gift has active holds; capture or release them first")
        return g

    for _ in OPTIMISTIC:
        decided, _ = optimistic.decide(decide, gift, fresh,
                                       lambda: find(partner_id, code, cached=False))
        gift = decided
        balance = int(gift.balance)
        after = optimistic.copy(gift)
        after.status, after.voided_at = "voided", at
        gift_versions.apply(after, gift, {})
        out = to_out(after, now, code=code)
        key = gift.shard_key  # issues spread gifts over the shards, so voids follow
        txn = Txn()
        txn.update(LABEL, GiftModel(code_hash=gift.code_hash), [GiftModel.status.set("voided"),
                                                 GiftModel.voided_at.set(at),
                                                 *gift_versions.change(gift, {}),
                                                 *recipients.migrate(after)],
                   condition=(GiftModel.partner_id == partner_id)
                   & (GiftModel.status == "active") & (GiftModel.balance == balance)
                   & gift_versions.unchanged(gift))
        gift_versions.record(txn, gift, "voided", balance, balance, at)
        budget_shards.refund(txn, key, balance)
        budget_shards.count_day(txn, key, gift.expiry_day, voided_n=1, voided_amt=balance,
                         open_n=-1, open_amt=-balance)
        claim.add_to(txn, 200, schemas.encode(out).decode(), again=rederive(after))
        failed = optimistic.commit(txn, claim, {LABEL: GiftModel})
        gift = committed(failed, after)
        if failed is None:
            return out
        fresh = True
    raise OPTIMISTIC.exhausted("The gift")


# ------------------------------------------------------------------ its link


def rotate_link(partner_id: str, raw_code: str, claim: idempotency.Claim,
                now: datetime) -> schemas.Gift:
    """Replace the gift's page link (`gift_links`): its link version goes up in one
    conditional write (with the idempotency record), so every earlier link answers
    404 at once. The gift's version goes up too, without a history item (its balance
    and status are unchanged): a Lambda that cached the gift then re-reads it before
    its next change, and that change's answer shows the new link."""
    code = canonical(raw_code)
    gift = find(partner_id, code, cached=False)
    for _ in OPTIMISTIC:
        if gift is None or gift.partner_id != partner_id:
            raise errors.NotFound("No gift with this code")
        number = gift_links.next_version(gift)
        live = gift_versions.live_holds(gift, now)
        after = optimistic.copy(gift)
        after.link_v = number
        gift_versions.apply(after, gift, live)
        out = to_out(after, now, code=code)
        txn = Txn()
        txn.update(LABEL, GiftModel(code_hash=gift.code_hash), [
            GiftModel.link_v.set(number), *gift_versions.change(gift, live)],
                   condition=(GiftModel.partner_id == partner_id)
                   & gift_versions.unchanged(gift))
        claim.add_to(txn, 200, schemas.encode(out).decode(), again=rederive(after))
        failed = optimistic.commit(txn, claim, {LABEL: GiftModel})
        gift = committed(failed, after)
        if failed is None:
            return out
    raise OPTIMISTIC.exhausted("The gift")
