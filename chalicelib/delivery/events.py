"""Events: made from the DynamoDB Streams of the tables the money path already
writes, stored for 30 days, listed and fetched by partners, fanned out to webhooks.

Why streams: an event written by issue, redeem or spin would cost each of them a
transaction item (or a call). A stream record costs the write nothing; the
consumer (`handle_records`, a Lambda on the streams when deployed, a thread of
devtools/serve.py locally) turns each relevant change into an event:

    gifts          INSERT                              gift.issued
                   MODIFY, balance down                gift.redeemed
                   MODIFY, balance up                  redemption.reversed (its producer
                                                       belongs to reversals; type only)
                   MODIFY, status -> voided            gift.voided
    spin-log       INSERT with a prize                 spin.won
    batches        header status -> completed          gift_batch.completed
    campaigns      status -> ended                     campaign.ended
    campaign-shards  `spent` changed                   campaign.budget_low (remaining
                                                       < 10 % of total), .budget_exhausted
    recipient-records  INSERT of an erasure (`era_…`)  recipient.erased
    deliveries     status -> sent                      gift.delivery_sent
                   status -> failed | bounced          gift.delivery_failed (not when
                                                       it was cancelled: a reminder of
                                                       a spent gift, `outreach.deliveries`)

The same consumer keeps recipients' contacts to their retention (`retain`): a gift
issued (or sealed) with a contact gets a timer item, a completed batch one for its
input rows, and a timer's TTL deletion (a REMOVE) drops what it guards.

Idempotent: an event's id is the instant of its cause and a hash of what caused
it (the gift's id and version, the spin's id, ...), both read from the record, so
a redelivered stream batch makes the same ids. Each event is written once: one
read of the batch's event keys (BatchGetItem) finds those already stored; the
rest have their deliveries queued (each message carries the event, so a sender
reads nothing) and are then put on the condition that the key is new. A consumer
that crashed between the two queues them again on the retry: at least once, as
the contract says. The events a campaign makes once (`ONCE`) are noticed by
whichever batch sees the cause first; a marker keyed by the cause, written with
the event in one transaction, keeps a second one out.

Cost (bench/allin.py): one write unit per event (an item under 1 KB, no index),
on one of 64 keys per partner (`keys.EVENT_SLICES`); the budget events read the
campaign item (one read unit) per campaign per batch, and its 32 shards only
when its unallocated pool alone no longer shows that the threshold is far.

Payloads never carry a whole gift code (no redeemable code leaves the store in
an event): the gift's id, its code masked to the last group, and its figures.
Partners match gifts by id.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

import msgspec
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from chalicelib import schemas
from chalicelib.core import codes, errors, ids, masking, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, timestamp
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.delivery import queues
from chalicelib.money import budget_shards, gift_links, recipients
from chalicelib.play import spins
from chalicelib.store.keys import event_key, event_keys
from chalicelib.store.models import (
    CampaignModel,
    DeliveryModel,
    GiftModel,
    ShardModel,
    SpinModel,
)
from chalicelib.store.paging import ShardPage, cursor_value, merged_page, next_cursor, query_page
from chalicelib.store.records import BatchModel, EventModel, RecipientRecordModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.transactions import Cancelled, Txn

if TYPE_CHECKING:
    from chalicelib import schemas

M = TypeVar("M", bound=Model)

log = logging.getLogger("rewards.events")

TYPES = schemas.EVENT_TYPES
KEEP = timedelta(days=30)
LOW_SHARE = 0.10
ONCE = frozenset({"campaign.budget_low", "campaign.budget_exhausted", "campaign.ended"})
"""Events a campaign makes once, whichever record shows their cause first."""
_TIME_DIGITS = 11  # hex digits of the instant in ms: enough until the year 2527
_HASH_DIGITS = 15


def event_id(cause: str, at: datetime) -> str:
    """The id of the event `cause` makes at `at`: the same for every replay of the
    record, and sorted by time (an event list's order is its ids' order)."""
    ms = int(at.timestamp() * 1000)
    return (f"{ids.EVENT}_{ms:0{_TIME_DIGITS}x}"
            + hashlib.sha256(cause.encode()).hexdigest()[:_HASH_DIGITS])


def new_event(cause: str, kind: str, partner_id: str, campaign_id: str | None,
              data: dict[str, Any], at: datetime) -> EventModel:
    eid = event_id(cause, at)
    ev = EventModel(pk=event_key(partner_id, eid), id=eid, type=kind, partner_id=partner_id,
                    campaign_id=campaign_id, created_at=iso(at), data=data,
                    expires_at=at + KEEP)
    ev.cause = cause  # not stored: what makes a ONCE event's marker
    return ev


def to_out(ev: EventModel, reveal_players: bool = True) -> schemas.Event:
    """`reveal_players` False (a key without `players:read`, `auth.sees_players`):
    a player id in the payload (`spin.won`) is masked, as in every list."""
    from chalicelib import schemas

    data = opened(ev)
    if not reveal_players and isinstance(data, dict) and data.get("player_id"):
        data = dict(data, player_id=masking.player_id(str(data["player_id"])))
    return schemas.Event(id=ev.id, type=cast(schemas.EventType, ev.type),
                         created_at=ev.created_at, campaign_id=ev.campaign_id, data=data)


SEALED_PLAYER = "player_id_sealed"
"""Where a stored event keeps its `player_id` (spin.won): sealed (vault), bound to
the event, so the event log shows no player id; read back by `opened`."""


def sealed(data: dict[str, Any], eid: str) -> dict[str, Any]:
    if not data.get("player_id"):
        return data
    out = {k: v for k, v in data.items() if k != "player_id"}
    out[SEALED_PLAYER] = vault.seal(str(data["player_id"]), eid)
    return out


def opened(ev: EventModel) -> dict[str, Any]:
    """The event's data as partners see it (its player id opened; null once erased)."""
    data = dict(ev.data or {})
    if SEALED_PLAYER in data:
        data["player_id"] = vault.open_sealed(data.pop(SEALED_PLAYER), ev.id)
    elif ev.type == "spin.won":
        data.setdefault("player_id", None)
    return data


# ---------------------------------------------------------------- payloads


def gift_payload(g: GiftModel) -> schemas.GiftPayload:
    """The code travels only masked (its last group, for support look-ups); the gift's
    page link, which is not the code, in full (the partner that sends by itself needs
    it)."""
    try:
        masked = codes.mask(vault.open_sealed(g.code_enc, g.code_hash)) if g.code_enc \
            else None
    except errors.DomainError:
        masked = None
    try:
        url: str | None = gift_links.url_for(g)
    except errors.DomainError:  # no link key: the event still goes, without its link
        url = None
    return schemas.GiftPayload(
        id=g.id, masked_code=masked, campaign_id=g.campaign_id, amount=int(g.amount),
        balance=int(g.balance), currency=g.currency, status=g.status, issued_at=g.issued_at,
        expires_at=g.expires_at, voided_at=g.voided_at, batch_id=g.batch_id,
        spin_id=g.spin_id, reference=g.reference, gift_url=url)


def payload(value: msgspec.Struct) -> dict[str, Any]:
    """An event's `data` from its type (schemas.EVENT_PAYLOADS): what is stored, listed
    and sent is what the OpenAPI document's `webhooks` describe."""
    out: dict[str, Any] = msgspec.to_builtins(value)
    return out


def gift_data(g: GiftModel) -> dict[str, Any]:
    return payload(gift_payload(g))


def _image(model: type[M], raw: dict | None) -> M | None:
    return model.from_raw_data(raw) if raw else None


def _table(record: dict) -> str:
    """The base table name (`gifts`, ...) of a record's stream."""
    arn = record.get("eventSourceARN", "")
    name = arn.split(":table/", 1)[-1].split("/", 1)[0]
    return name.removeprefix(settings().table_prefix + "-")


def _when(record: dict) -> datetime:
    stamp = (record.get("dynamodb") or {}).get("ApproximateCreationDateTime")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, UTC)
    if isinstance(stamp, datetime):
        return stamp.astimezone(UTC)
    return utcnow()


CAMPAIGN_ENTRIES = 5000
"""Campaigns the stream consumer remembers (their partner, whether their budget
events are done); one it forgot is read again."""
_partners: Cache[str, str] = Cache("events.partners", CAMPAIGN_ENTRIES)


def _partner_of(campaign_id: str) -> str | None:
    """A campaign's partner (fixed for life, so cached by the process)."""
    partner_id = _partners.get(campaign_id)
    if partner_id is None:
        try:
            partner_id = CampaignModel.get(campaign_id).partner_id
        except DoesNotExist:
            return None
        _partners.put(campaign_id, partner_id)
    return partner_id


def _gift_events(name: str, old: GiftModel | None, new: GiftModel | None, at: datetime
                 ) -> list[EventModel]:
    if new is None:
        return []
    gift = gift_payload(new)
    data = payload(gift)
    if name == "INSERT":
        return [new_event(f"gift.issued:{new.id}", "gift.issued", new.partner_id,
                          new.campaign_id, data, datetime.fromisoformat(new.issued_at))]
    if old is None:
        return []
    if old.status != "voided" and new.status == "voided":
        return [new_event(f"gift.voided:{new.id}", "gift.voided", new.partner_id,
                          new.campaign_id, data, at)]
    before, after = int(old.balance), int(new.balance)
    # the gift's version names the change, so a balance that returns to an earlier
    # figure (redeem, reverse, redeem again) still makes a new event
    change = f"{new.id}:{int(new.seq)}" if getattr(new, "seq", None) is not None \
        else f"{new.id}:{before}:{after}"
    if after < before:
        return [new_event(f"gift.redeemed:{change}", "gift.redeemed",
                          new.partner_id, new.campaign_id,
                          payload(schemas.GiftRedeemedPayload(
                              **msgspec.structs.asdict(gift), redeemed_amount=before - after)),
                          at)]
    if after > before:
        return [new_event(f"redemption.reversed:{change}", "redemption.reversed",
                          new.partner_id, new.campaign_id,
                          payload(schemas.RedemptionReversedPayload(
                              **msgspec.structs.asdict(gift), reversed_amount=after - before)),
                          at)]
    return []


def _spin_events(name: str, new: SpinModel | None) -> list[EventModel]:
    if name != "INSERT" or new is None or not new.prize_amount:
        return []
    partner = _partner_of(new.campaign_id)
    if partner is None:
        return []
    # a spin names its player by key: the id is on the player's item (one read per win)
    known = spins.player_ids([new.player_key]) if new.player_key else {}
    player, _ = spins.spin_player(new, known)
    data = payload(schemas.SpinWonPayload(
        id=new.id, campaign_id=new.campaign_id, player_id=player,
        segment_id=new.segment_id, prize=schemas.WonPrize(amount=int(new.prize_amount)),
        spun_at=new.spun_at))
    return [new_event(f"spin.won:{new.id}", "spin.won", partner, new.campaign_id, data,
                      datetime.fromisoformat(new.spun_at))]


def _batch_events(old: BatchModel | None, new: BatchModel | None, at: datetime
                  ) -> list[EventModel]:
    if new is None or new.part != "header" or new.status != "completed" or (
            old is not None and old.status == "completed") or not new.partner_id:
        return []
    data = payload(schemas.GiftBatchPayload(
        id=new.id, campaign_id=new.campaign_id, status=new.status,
        count=int(new.count or 0), total_amount=int(new.total_amount or 0),
        issued=int(new.issued or 0), created_at=new.created_at,
        completed_at=new.completed_at))
    return [new_event(f"gift_batch.completed:{new.id}", "gift_batch.completed",
                      new.partner_id, new.campaign_id, data, at)]


def _erasure_events(name: str, new: RecipientRecordModel | None) -> list[EventModel]:
    """What a data-subject request erased: counts and the kind of contact, never it."""
    if name != "INSERT" or new is None or new.kind != "erasure":
        return []
    data = payload(schemas.RecipientErasedPayload(
        id=new.pk, subject=cast(schemas.ErasureSubject, new.subject),
        erased=schemas.ErasedCounts(**(new.erased or {})), created_at=new.created_at or ""))
    return [new_event(f"recipient.erased:{new.pk}", "recipient.erased", new.partner_id,
                      None, data, datetime.fromisoformat(new.created_at or iso(utcnow())))]


CANCELLED_DELIVERIES = frozenset({"gift_redeemed", "gift_voided", "gift_expired"})
"""Reasons a delivery ends without a message because it is no longer wanted."""


def _delivery_events(old: DeliveryModel | None, new: DeliveryModel | None, at: datetime
                     ) -> list[EventModel]:
    if new is None or not new.id or not new.partner_id or (
            old is not None and old.status == new.status):
        return []
    if new.status == "sent":
        kind = "gift.delivery_sent"
    elif new.status in ("failed", "bounced") and new.reason not in CANCELLED_DELIVERIES:
        kind = "gift.delivery_failed"
    else:
        return []
    data = payload(schemas.DeliveryPayload(
        id=new.id, gift_id=new.gift_id or "", campaign_id=new.campaign_id or "",
        batch_id=new.batch_id, channel=cast(schemas.Channel, new.channel), to=new.to or "",
        kind=cast(schemas.DeliveryKind, new.kind),
        status=cast(schemas.MessageStatus, new.status), reason=new.reason,
        scheduled_for=new.scheduled_for, sent_at=new.sent_at,
        updated_at=new.updated_at or ""))
    return [new_event(f"{kind}:{new.id}", kind, new.partner_id, new.campaign_id, data, at)]


def _campaign_data(c: CampaignModel, figures: budget_shards.Figures | None = None
                   ) -> dict[str, Any]:
    if figures is None:
        return payload(schemas.CampaignPayload(id=c.id, name=c.name, status=c.status,
                                               currency=c.currency, ends_at=c.ends_at,
                                               ended_at=c.ended_at))
    return payload(schemas.CampaignBudgetPayload(
        id=c.id, name=c.name, status=c.status, currency=c.currency, ends_at=c.ends_at,
        ended_at=c.ended_at,
        budget=schemas.BudgetFigures(total=figures.total, spent=figures.spent,
                                     remaining=figures.remaining)))


def _campaign_events(old: CampaignModel | None, new: CampaignModel | None, at: datetime
                     ) -> list[EventModel]:
    if new is None or old is None or old.status == "ended" or new.status != "ended":
        return []
    return [new_event(f"campaign.ended:{new.id}", "campaign.ended", new.partner_id, new.id,
                      _campaign_data(new), at)]


def _smallest_prize(c: CampaignModel) -> int:
    amounts = [int((s.get("prize") or {}).get("amount") or 0)
               for s in (c.wheel or {}).get("segments", [])]
    return min([a for a in amounts if a > 0], default=1)


# Campaigns whose budget events are stored, by type: their figures need no more
# reads in this process (each event fires once per campaign).
_budget_done: Cache[str, frozenset[str]] = Cache("events.budget_done", CAMPAIGN_ENTRIES)


def _far_from(c: CampaignModel, done: frozenset[str]) -> bool:
    """Whether the campaign's unallocated pool alone shows that no budget event is
    due: what is left is the pool plus what the shards still hold, never less than
    the pool (refills move money from the pool to a shard, charges spend a shard's
    part), so a pool at or above a threshold means the campaign is above it too.
    Spending first draws down the pool through refills, so the 32 shards are read
    only near the thresholds."""
    pool, total = int(c.pool or 0), int(c.budget_total)
    low_far = "campaign.budget_low" in done or pool >= total * LOW_SHARE
    return low_far and ("campaign.budget_exhausted" in done or pool >= _smallest_prize(c))


def budget_events(campaign_ids: Iterable[str], at: datetime) -> list[EventModel]:
    """Low below 10 % left, exhausted when nothing (or less than the smallest prize
    of its wheel) is left: one consistent read of the campaign item per campaign,
    and of its shards only when `_far_from` cannot tell."""
    out = []
    for cid in campaign_ids:
        done = _budget_done.get(cid) or frozenset()
        if len(done) == 2:
            continue
        try:
            c = CampaignModel.get(cid, consistent_read=True)
        except DoesNotExist:
            continue
        if int(c.budget_total) <= 0 or _far_from(c, done):
            continue
        figures = budget_shards.budget_figures(c)
        data = _campaign_data(c, figures)
        if figures.remaining < figures.total * LOW_SHARE:
            out.append(new_event(f"campaign.budget_low:{cid}", "campaign.budget_low",
                                 c.partner_id, cid, data, at))
        if figures.remaining < _smallest_prize(c):
            out.append(new_event(f"campaign.budget_exhausted:{cid}",
                                 "campaign.budget_exhausted", c.partner_id, cid, data, at))
    return out


def from_records(records: list[dict]) -> list[EventModel]:
    """The events a batch of stream records (Lambda's format) makes."""
    out: list[EventModel] = []
    spent_moved: dict[str, datetime] = {}
    for record in records:
        table = _table(record)
        name = record.get("eventName", "")
        images = record.get("dynamodb") or {}
        raw_old, raw_new = images.get("OldImage"), images.get("NewImage")
        at = _when(record)
        if table == "gifts":
            out += _gift_events(name, _image(GiftModel, raw_old), _image(GiftModel, raw_new),
                                at)
        elif table == "spin-log":
            out += _spin_events(name, _image(SpinModel, raw_new))
        elif table == "batches":
            out += _batch_events(_image(BatchModel, raw_old), _image(BatchModel, raw_new), at)
        elif table == "recipient-records":
            out += _erasure_events(name, _image(RecipientRecordModel, raw_new))
        elif table == "deliveries":
            out += _delivery_events(_image(DeliveryModel, raw_old),
                                    _image(DeliveryModel, raw_new), at)
        elif table == "campaigns":
            out += _campaign_events(_image(CampaignModel, raw_old),
                                    _image(CampaignModel, raw_new), at)
        elif table == "campaign-shards":
            old, new = _image(ShardModel, raw_old), _image(ShardModel, raw_new)
            if new is not None and (old is None or int(old.spent or 0) != int(new.spent or 0)):
                spent_moved[new.pk.rsplit("#", 1)[0]] = at
    if spent_moved:
        out += budget_events(spent_moved, max(spent_moved.values()))
    return out


# ---------------------------------------------------------------- retention


def _timers_and_drops(records: list[dict]) -> tuple[list[RecipientRecordModel], list[
        RecipientRecordModel]]:
    timers: list[RecipientRecordModel] = []
    fired: list[RecipientRecordModel] = []
    for record in records:
        table, name = _table(record), record.get("eventName", "")
        images = record.get("dynamodb") or {}
        if table == "gifts" and name in ("INSERT", "MODIFY"):
            new = _image(GiftModel, images.get("NewImage"))
            old = _image(GiftModel, images.get("OldImage"))
            if new is not None and recipients.sealed(new) and (
                    old is None or not recipients.sealed(old)):
                timers.append(recipients.timer(new))
        elif table == "batches" and name in ("INSERT", "MODIFY"):
            new_b = _image(BatchModel, images.get("NewImage"))
            old_b = _image(BatchModel, images.get("OldImage"))
            if new_b is not None and new_b.part == "header" and new_b.status == "completed" \
                    and (old_b is None or old_b.status != "completed") and new_b.partner_id:
                expires = (new_b.items or {}).get("expires_at")
                if expires:
                    timers.append(recipients.batch_timer(new_b.partner_id, new_b.id, expires))
        elif table == "recipient-records" and name == "REMOVE":
            gone = _image(RecipientRecordModel, images.get("OldImage"))
            if gone is not None and gone.kind == "retention":
                fired.append(gone)
    return timers, fired


def retain(records: list[dict]) -> int:
    """Put the retention timers a batch of records asks for, and drop the contacts
    whose timers fired; returns how many were dropped. Idempotent: a timer put again
    is the same item, a contact dropped again is already gone."""
    timers, fired = _timers_and_drops(records)
    for t in timers:  # the same item again on a redelivered batch
        t.save()
    dropped = 0
    for t in fired:
        if t.gift_key:
            dropped += recipients.drop(t.gift_key)
        elif t.batch_id:
            dropped += recipients.edit_rows(t.batch_id, recipients.strip_contact)
    return dropped


# ---------------------------------------------------------------- storing


def _marker(ev: EventModel) -> EventModel:
    return EventModel(pk=f"once#{ev.cause}", id="-", type="marker", partner_id=ev.partner_id,
                      campaign_id=ev.campaign_id, created_at=ev.created_at,
                      data={"event_id": ev.id}, expires_at=ev.expires_at)


def _stored_key(ev: EventModel) -> tuple[str, str]:
    """The item whose presence says `ev` is stored: the event, or its marker."""
    return (f"once#{ev.cause}", "-") if ev.type in ONCE else (ev.pk, ev.id)


def _unstored(made: list[EventModel]) -> list[EventModel]:
    """The events of `made` not stored yet (one consistent BatchGetItem, a hundred
    keys a call): a redelivered batch finds its events and queues nothing again."""
    wanted: dict[tuple[str, str], EventModel] = {}
    for ev in made:
        wanted.setdefault(_stored_key(ev), ev)
    found = {(e.pk, e.id) for e in EventModel.batch_get(list(wanted), consistent_read=True)}
    return [ev for key, ev in wanted.items() if key not in found]


def store(ev: EventModel) -> bool:
    """Put a new event (with its marker, for a ONCE event); False when a concurrent
    consumer stored it first."""
    clear = ev.data
    ev.data = sealed(clear, ev.id)  # queued in clear already; stored sealed
    try:
        if ev.type in ONCE:
            txn = Txn()
            txn.put("marker", _marker(ev), EventModel.pk.does_not_exist())
            txn.put("event", ev, EventModel.pk.does_not_exist())
            txn.commit()
        else:
            ev.save(condition=EventModel.pk.does_not_exist())
        return True
    except Cancelled:
        return False
    except PutError as exc:
        if not condition_failed(exc):
            raise
        return False
    finally:
        ev.data = clear


def handle_records(records: list[dict]) -> int:
    """The stream consumer: make, queue and store events; returns how many are new.
    An exception makes the stream deliver the batch again, which is safe: what was
    stored is found and skipped, what was not is queued (again) and stored."""
    retain(records)
    made = from_records(records)
    fresh = _unstored(made) if made else []
    if fresh:
        queues.fan_out(fresh, {})
        stored = _parallel(store, fresh)
        fresh = [ev for ev, new in zip(fresh, stored, strict=True) if new]
    budget_kinds: dict[str, set[str]] = {}
    for ev in made:
        if ev.type in ("campaign.budget_low", "campaign.budget_exhausted"):
            budget_kinds.setdefault(ev.campaign_id or "", set()).add(ev.type)
    for cid, kinds in budget_kinds.items():
        _budget_done.put(cid, frozenset(kinds | (_budget_done.get(cid) or frozenset())))
    return len(fresh)


_pool: ThreadPoolExecutor | None = None


def _parallel(fn: Callable[[EventModel], Any], items: list[EventModel]) -> list[Any]:
    global _pool
    if len(items) <= 1:
        return [fn(i) for i in items]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="events")
    return list(_pool.map(fn, items))


# ---------------------------------------------------------------- reading


def get_model(partner_id: str, eid: str) -> EventModel:
    try:
        ev = EventModel.get(event_key(partner_id, eid), eid)
    except DoesNotExist:
        ev = None
    if ev is None or ev.partner_id != partner_id or int(ev.expires_at.timestamp()) < timestamp():
        raise errors.NotFound(f"No event {eid}")
    ev.data = opened(ev)  # a redelivery sends it as first sent
    return ev


def get(partner_id: str, eid: str, reveal_players: bool = True) -> Any:
    return to_out(get_model(partner_id, eid), reveal_players)


def list_page(partner_id: str, kind: str | None, campaign_id: str | None, limit: int,
              cursor: dict[str, Any] | None, reveal_players: bool = True
              ) -> tuple[list[Any], dict[str, Any] | None]:
    """Newest first, merged over the partner's index slices (one Query each); a
    filtered page may hold fewer than `limit` events and a next_cursor."""
    if kind is not None and kind not in TYPES:
        raise errors.field_error("type", "must be an event type")
    if campaign_id is not None and not campaign_id.startswith("cmp_"):
        raise errors.field_error("campaign_id", "must be a campaign id (cmp_…)")
    before = _legacy_cursor(cursor_value(cursor))
    condition = None
    if kind is not None:
        condition = EventModel.type == kind
    if campaign_id is not None:
        match = EventModel.campaign_id == campaign_id
        condition = match if condition is None else condition & match

    def fetch(key: str, resume: Any, size: int) -> ShardPage[EventModel]:
        result = EventModel.query(
            key, EventModel.id < before if before else None,
            scan_index_forward=False, filter_condition=condition, page_size=size,
            last_evaluated_key=resume)
        return query_page(result, EventModel, "id")

    items, after = merged_page(fetch, event_keys(partner_id), lambda e: e.id, limit,
                               descending=True)
    return [to_out(e, reveal_players) for e in items], next_cursor(after)


def _legacy_cursor(value: str | None) -> str | None:
    """A cursor from before events were keyed by time-ordered ids held
    `created_at#id`: the instant still says where the next page starts."""
    if value is None or value.startswith(f"{ids.EVENT}_"):
        return value
    try:
        at = datetime.fromisoformat(value.split("#", 1)[0].replace("Z", "+00:00"))
    except ValueError:
        raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned") \
            from None
    return f"{ids.EVENT}_{int(at.timestamp() * 1000):0{_TIME_DIGITS}x}"


def redeliver(partner_id: str, eid: str) -> schemas.Redelivery:
    from chalicelib import schemas

    ev = get_model(partner_id, eid)
    return schemas.Redelivery(event_id=ev.id, deliveries_queued=queues.redeliver(partner_id, ev))
