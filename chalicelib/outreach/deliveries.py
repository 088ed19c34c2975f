"""Deliveries: each message that carries a gift to its recipient (the gift itself, a
resend, a reminder), its schedule and its status. The sender (`outreach.sender`)
sends them; this module plans them, lists them, takes feedback, and sweeps.

Planning rides the event pipeline, never the money path: the stream consumer
(`app.events_from_streams`) hands every batch of stream records to `handle_records`,
which plans a delivery for each gift issued with a contact for one of its
campaign's channels. The put is conditioned on a key derived from the gift (its
code_hash, and `gift#0`), so a replayed stream batch plans nothing twice.

Statuses (messages.Status): `scheduled` (waits for `deliver_at`, the send window,
or a reminder's day) -> `queued` (on the send queue) -> `sending` (internal: a
sender claimed it) -> `sent` -> `delivered` | `bounced` | `complained`; or `failed`
with a reason. Final statuses never move back (`messages.FINAL`).

Due items are found without a scan: while scheduled, queued or sending, an item
holds `due_pk` (one of `keys.DUE_SLICES` slices) and `due_at` (its time, or its
lease), a sparse keys-only index the sweeper reads every minute (`sweep`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import msgspec
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib import schemas
from chalicelib.core import contacts, errors, ids, send_window, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.core.ids import ID_ALPHABET
from chalicelib.money import campaigns, gifts, recipients
from chalicelib.outreach import messages, send_queue
from chalicelib.schemas.deliveries import contact_problem
from chalicelib.store import idempotency
from chalicelib.store.keys import counter_key, counter_keys, due_key, due_keys
from chalicelib.store.models import CampaignModel, DeliveryModel, GiftModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.transactions import Cancelled, Txn

log = logging.getLogger("rewards.deliveries")

FIRST = "gift#0"
REMINDER = "reminder#0"
LIMITER = "resend"
KEEP_AFTER_EXPIRY = timedelta(days=30)
COUNTERS_KEPT = timedelta(days=400)
"""A batch's delivery counters are kept this long after their last change."""
RESEND_EVERY = 60
"""Seconds between two resends of one gift."""
CHANNEL_CONTACT = {"email": "email", "sms": "phone", "zalo": "phone"}
ACTIVE = ("scheduled", "queued", "sending")
CANCELLED = frozenset({"gift_redeemed", "gift_voided", "gift_expired"})
"""Reasons a delivery ends without a message because it is no longer wanted (a
reminder of a spent gift): `failed`, but no `gift.delivery_failed` event."""


# ------------------------------------------------------------------ identity


def delivery_id(gift_key: str, sk: str) -> str:
    """`dlv_…`, the same for every replay of what planned it."""
    digest = hashlib.sha256(f"delivery\x00{gift_key}\x00{sk}".encode()).digest()
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(22):
        number, digit = divmod(number, len(ID_ALPHABET))
        out.append(ID_ALPHABET[digit])
    return f"{ids.GIFT_DELIVERY}_" + "".join(out)


def _bound(pk: str, sk: str) -> str:
    return f"{pk}#{sk}#to"


# ------------------------------------------------------------------ settings


class Plan(msgspec.Struct, frozen=True):
    """What planning needs of a campaign (cached a minute: a PATCH of its delivery
    settings reaches every consumer within that)."""

    partner_id: str
    timezone: str
    delivery: schemas.DeliverySettings


_plans: Cache[str, Plan] = Cache("deliveries.plans", 5000, ttl=60)


def plan_of(campaign_id: str) -> Plan | None:
    hit = _plans.get(campaign_id)
    if hit is None:
        try:
            c = CampaignModel.get(campaign_id)
        except DoesNotExist:
            return None
        hit = Plan(c.partner_id, c.timezone, campaigns.delivery_of(c))
        _plans.put(campaign_id, hit)
    return hit


def window_of(plan: Plan) -> tuple[str, str] | None:
    w = plan.delivery.send_window
    return (w.from_, w.to) if w is not None else None


def channel_for(channels: Iterable[str], contact: dict[str, str]) -> str | None:
    """The first channel of the campaign's order that the recipient has a contact for."""
    for ch in channels:
        if contact.get(CHANNEL_CONTACT[ch]):
            return ch
    return None


# ------------------------------------------------------------------ planning


def _new(g: GiftModel, sk: str, kind: str, channel: str, to: str, now: datetime,
         due: datetime, scheduled: bool) -> DeliveryModel:
    did = delivery_id(g.code_hash, sk)
    lease = now + timedelta(seconds=settings().delivery_lease_seconds)
    keep = max(parse_iso(g.expires_at), now) + KEEP_AFTER_EXPIRY
    return DeliveryModel(
        pk=g.code_hash, sk=sk, id=did, gift_id=g.id, partner_id=g.partner_id,
        campaign_id=g.campaign_id, batch_id=g.batch_id if kind == "gift" else None,
        batch_index=g.batch_index if kind == "gift" else None, channel=channel,
        to=contacts.mask(to), kind=kind, status="scheduled" if scheduled else "queued",
        scheduled_for=iso(due) if scheduled else None, updated_at=iso(now), attempt=0,
        due_pk=due_key(did), due_at=iso(due if scheduled else lease), expires_at=keep)


def _put_new(d: DeliveryModel) -> bool:
    try:
        d.save(condition=DeliveryModel.pk.does_not_exist())
        return True
    except PutError as exc:
        if not condition_failed(exc):
            raise
        return False


def plan_gift(g: GiftModel, now: datetime) -> list[dict[str, Any]]:
    """Plan the delivery (and reminder) of a gift just issued; the send messages to
    queue for what is due now. Idempotent: the same items, put only where absent."""
    if not recipients.has_contact(g) or g.status != "active":
        return []
    plan = plan_of(g.campaign_id)
    if plan is None or not plan.delivery.channels:
        return []
    contact = recipients.contact_of(g)
    channel = channel_for(plan.delivery.channels, contact)
    if channel is None:
        return []
    to = contact[CHANNEL_CONTACT[channel]]
    wanted = max(parse_iso(g.deliver_at), now) if g.deliver_at else now
    due = send_window.next_open(wanted, window_of(plan), plan.timezone).astimezone(UTC)
    scheduled = due > now
    out = []
    _put_new(_new(g, FIRST, "gift", channel, to, now, due, scheduled))
    if not scheduled:
        # put now, or by an earlier run of this stream batch that may have died before
        # queueing it: queue it (again); the sender's claim sends it once
        out.append(send_queue.message(g.code_hash, FIRST, g.partner_id, channel))
    days = plan.delivery.reminder_days_before_expiry
    if days:
        remind = parse_iso(g.expires_at) - timedelta(days=days)
        if remind > max(due, now):
            at = send_window.next_open(remind, window_of(plan), plan.timezone).astimezone(UTC)
            _put_new(_new(g, REMINDER, "reminder", channel, to, now, at, True))
    return out


_pool: ThreadPoolExecutor | None = None


def _planner_pool() -> ThreadPoolExecutor:
    """A batch's puts in parallel (a hundred gifts of a stream batch, 8 at a time)."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="plan")
    return _pool


def _gift_inserts(records: list[dict]) -> list[GiftModel]:
    out = []
    for record in records:
        if record.get("eventName") != "INSERT" or _table(record) != "gifts":
            continue
        raw = (record.get("dynamodb") or {}).get("NewImage")
        if raw:
            out.append(GiftModel.from_raw_data(raw))
    return out


def _table(record: dict) -> str:
    arn = record.get("eventSourceARN", "")
    name = arn.split(":table/", 1)[-1].split("/", 1)[0]
    return name.removeprefix(settings().table_prefix + "-")


def handle_records(records: list[dict]) -> int:
    """The stream consumer's part for deliveries (beside `delivery.events`): plan a
    delivery per gift issued with a contact, queue what is due now, and count a
    batch's deliveries from the deliveries table's own changes. Returns how many
    send messages were queued. Safe to replay (see the module's docstring)."""
    now = utcnow()
    gifts_ = _gift_inserts(records)
    planned = [plan_gift(g, now) for g in gifts_] if len(gifts_) <= 1 else \
        list(_planner_pool().map(lambda g: plan_gift(g, now), gifts_))
    out = [m for ms in planned for m in ms]
    send_queue.send(out)
    count(records)
    return len(out)


# ------------------------------------------------------------------ counting


def _bucket(status: str | None) -> str | None:
    if status in ACTIVE:
        return "q"
    if status in ("sent", "delivered", "complained"):
        return "s"
    if status in ("bounced", "failed"):
        return "f"
    return None


def _image(raw: dict | None) -> DeliveryModel | None:
    return DeliveryModel.from_raw_data(raw) if raw else None


def count(records: list[dict]) -> int:
    """A batch's delivery counters, from the deliveries table's changes: one ADD per
    counter slice touched by the records (so per consumer batch, not per message).
    A consumer batch retried after its counters were written counts them again; the
    batch's answer clamps the figures (`batch_progress`)."""
    deltas: dict[str, dict[str, int]] = {}
    for record in records:
        if _table(record) != "deliveries" or record.get("eventName") == "REMOVE":
            continue  # a REMOVE is the TTL tidying up, not a change of status
        images = record.get("dynamodb") or {}
        old, new = _image(images.get("OldImage")), _image(images.get("NewImage"))
        ref = new or old
        if ref is None or not ref.batch_id or ref.kind != "gift" or ref.batch_index is None:
            continue
        before = _bucket(old.status) if old is not None else None
        after = _bucket(new.status) if new is not None else None
        if before == after:
            continue
        slot = deltas.setdefault(counter_key(ref.batch_id, int(ref.batch_index)), {})
        if before:
            slot[before] = slot.get(before, 0) - 1
        if after:
            slot[after] = slot.get(after, 0) + 1
    keep = utcnow() + COUNTERS_KEPT
    for key, delta in deltas.items():
        actions: list[Action] = [getattr(DeliveryModel, k).add(v) for k, v in delta.items() if v]
        if actions:
            DeliveryModel(pk=key, sk="count").update(
                actions=[*actions, DeliveryModel.expires_at.set(keep)])
    return len(deltas)


def batch_progress(batch_id: str, count_: int) -> schemas.DeliveryProgress:
    """A batch's `delivery` figures: its counter slices summed (one BatchGetItem)."""
    totals = {"q": 0, "s": 0, "f": 0}
    for item in DeliveryModel.batch_get([(k, "count") for k in counter_keys(batch_id)]):
        for k in totals:
            totals[k] += int(getattr(item, k) or 0)
    clamp = max(0, count_)
    sent, failed = min(totals["s"], clamp), min(totals["f"], clamp)
    queued = max(0, min(totals["q"], clamp - sent - failed))
    return schemas.DeliveryProgress(queued=queued, sent=sent, failed=failed)


# ------------------------------------------------------------------ reading


def to_out(d: DeliveryModel) -> schemas.Delivery:
    status = "queued" if d.status == "sending" else d.status  # `sending` is internal
    return schemas.Delivery(
        id=d.id or "", channel=cast(schemas.Channel, d.channel), to=d.to or "",
        kind=cast(messages.Kind, d.kind), status=cast(messages.Status, status),
        reason=d.reason, scheduled_for=d.scheduled_for, sent_at=d.sent_at,
        updated_at=d.updated_at or "")


def _gift(partner_id: str, raw_code: str) -> GiftModel:
    g = gifts.find(partner_id, gifts.canonical(raw_code), cached=False)
    if g is None:
        raise errors.NotFound("No gift with this code")
    return g


def of_gift(code_hash: str) -> list[DeliveryModel]:
    return [d for d in DeliveryModel.query(code_hash, consistent_read=True) if d.id]


def list_for(partner_id: str, raw_code: str) -> schemas.DeliveryList:
    g = _gift(partner_id, raw_code)
    return schemas.DeliveryList(data=[to_out(d) for d in of_gift(g.code_hash)])


# ------------------------------------------------------------------ resending


def resend(partner_id: str, raw_code: str, body: schemas.ResendRequest,
           claim: idempotency.Claim, now: datetime) -> schemas.Delivery:
    """One transaction: the gift's resend limiter (at most one a minute, conditioned,
    no read), the new delivery, and the idempotency record; then the send message.
    A crash between the commit and the queue leaves it `queued` with its lease: the
    sweeper queues it then."""
    g = _gift(partner_id, raw_code)
    if g.status == "voided":
        raise errors.GiftVoided("This gift has been voided")
    if g.expires_at <= iso(now):
        raise errors.GiftExpired(f"This gift expired at {g.expires_at}")
    plan = plan_of(g.campaign_id)
    contact = recipients.contact_of(g) if recipients.has_contact(g) else {}
    corrected = None
    if body.to is not None:
        problem = contact_problem(body.to)
        if problem:
            raise errors.field_error("to", problem)
        kind = "email" if "@" in body.to else "phone"
        channel = body.channel or ("email" if kind == "email" else _phone_channel(plan))
        if CHANNEL_CONTACT[channel] != kind:
            wanted = "an email" if channel == "email" else "a phone number"
            raise errors.field_error("to", f"must be {wanted} for channel {channel}")
        corrected = body.to
        to = body.to
    else:
        channels = [body.channel] if body.channel else list(
            plan.delivery.channels if plan else []) or ["sms", "zalo", "email"]
        found = channel_for(channels, contact)
        if found is None:
            raise errors.field_error("to", "the gift has no contact for this channel; "
                                           "send `to`")
        channel, to = found, contact[CHANNEL_CONTACT[found]]
    minute = int(now.timestamp()) // 60
    sk = f"gift#{minute}"
    due = send_window.next_open(now, window_of(plan), plan.timezone).astimezone(UTC) \
        if plan else now
    d = _new(g, sk, "gift", channel, to, now, due, due > now)
    d.batch_id = d.batch_index = None  # a batch's progress counts its first delivery only
    if corrected is not None:
        d.to_enc = vault.seal(contacts.normalise(CHANNEL_CONTACT[channel], corrected)
                              if channel != "email" else corrected.strip(), _bound(d.pk, sk))
    out = to_out(d)
    stamp = int(now.timestamp())
    txn = Txn()
    txn.update(LIMITER, DeliveryModel(pk=g.code_hash, sk=LIMITER),
               [DeliveryModel.at.set(stamp), DeliveryModel.expires_at.set(d.expires_at)],
               condition=DeliveryModel.at.does_not_exist()
               | (DeliveryModel.at <= stamp - RESEND_EVERY))
    txn.put("delivery", d, DeliveryModel.pk.does_not_exist())
    claim.add_to(txn, 202, schemas.encode(out).decode())
    try:
        idempotency.commit(txn, claim)
    except Cancelled as cancelled:
        if LIMITER in cancelled or "delivery" in cancelled:
            raise errors.RateLimited(
                "This gift was resent less than a minute ago; retry later",
                headers={"Retry-After": str(RESEND_EVERY - stamp % RESEND_EVERY or 1)}
            ) from None
        raise
    if d.status == "queued":
        send_queue.send([send_queue.message(d.pk, sk, partner_id, channel)])
    return out


def _phone_channel(plan: Plan | None) -> str:
    for ch in plan.delivery.channels if plan else []:
        if ch in ("sms", "zalo"):
            return ch
    return "sms"


def address_of(d: DeliveryModel, g: GiftModel) -> str | None:
    """The contact in clear, in memory only: the corrected one, else the gift's."""
    if d.to_enc:
        return vault.open_sealed(d.to_enc, _bound(d.pk, d.sk))
    if not recipients.has_contact(g) or g.partner_id != d.partner_id:
        return None
    return recipients.contact_of(g).get(CHANNEL_CONTACT[d.channel or ""])


# ------------------------------------------------------------------ feedback


def _by_provider(provider_id: str) -> tuple[str, str] | None:
    """The key of the delivery a provider's message id names (the index holds keys:
    nothing else is read)."""
    for key in DeliveryModel.by_provider.query(provider_id, limit=1):
        return key.pk, key.sk
    return None


def apply_feedback(items: list[messages.Feedback]) -> int:
    """What the channels said after sending (SES events, SNS delivery statuses):
    each moves its delivery, found by `provider_id`, to `delivered`, `bounced`,
    `complained` or `failed`, on the condition that it is not final already (a late
    "delivered" never undoes a bounce). Returns how many moved. Unknown ids are
    skipped (a message sent before this store, or another stage's)."""
    moved = 0
    for fb in items:
        found = _by_provider(fb.provider_id)
        if found is None:
            continue
        at = iso(utcnow())
        m = DeliveryModel
        actions: list[Action] = [m.status.set(fb.status), m.updated_at.set(at)]
        if fb.reason:
            actions.append(m.reason.set(fb.reason[:200]))
        try:
            DeliveryModel(pk=found[0], sk=found[1]).update(
                actions=actions,
                condition=(m.provider_id == fb.provider_id)
                & ~m.status.is_in(*sorted(messages.FINAL)))
            moved += 1
        except UpdateError as exc:
            if not condition_failed(exc):
                raise
    return moved


# ------------------------------------------------------------------ sweeping

SWEEP_PER_SLICE = 200
SWEEP_SECONDS = 20.0
"""A sweep's time budget: inside the function's 29 s timeout, every minute."""
SWEEP_WORKERS = 8


def sweep(now: datetime, per_slice: int = SWEEP_PER_SLICE,
          max_seconds: float = SWEEP_SECONDS) -> int:
    """Every minute (the scheduler; a thread under `make run`): queue the scheduled
    deliveries whose time has come, queue again the queued ones whose lease ran out
    (their message was lost), and settle the claimed ones whose sender died mid-send.
    One Query per due slice (up to `per_slice` keys each), then a read and a
    conditional write per due delivery, 8 at a time, within `max_seconds`; what is
    left waits for the next minute. Returns how many it looked at."""
    deadline = time.monotonic() + max_seconds
    at = iso(now)
    keys = [(k.pk, k.sk) for slice_key in due_keys()
            for k in DeliveryModel.due.query(slice_key, DeliveryModel.due_at <= at,
                                             limit=per_slice)]

    def one(key: tuple[str, str]) -> dict[str, Any] | None | bool:
        if time.monotonic() >= deadline:
            return False
        try:
            d = DeliveryModel.get(*key, consistent_read=True)
        except DoesNotExist:
            return None
        return _wake(d, now)

    with ThreadPoolExecutor(max_workers=SWEEP_WORKERS, thread_name_prefix="sweep") as pool:
        results = list(pool.map(one, keys))
    send_queue.send([r for r in results if isinstance(r, dict)])
    return sum(1 for r in results if r is not False)


def _lease(now: datetime) -> str:
    return iso(now + timedelta(seconds=settings().delivery_lease_seconds))


def _wake(d: DeliveryModel, now: datetime) -> dict[str, Any] | None:
    m = DeliveryModel
    at = iso(now)
    lease = settings().delivery_lease_seconds
    try:
        if d.status in ("scheduled", "queued"):
            DeliveryModel(pk=d.pk, sk=d.sk).update(
                actions=[m.status.set("queued"), m.due_at.set(_lease(now)),
                         m.updated_at.set(at)],
                condition=(m.status == d.status) & (m.due_at == d.due_at))
            return send_queue.message(d.pk, d.sk, d.partner_id or "", d.channel or "")
        if d.status == "sending":
            claimed = parse_iso(d.claimed_at) if d.claimed_at else now
            if (now - claimed).total_seconds() < lease:
                DeliveryModel(pk=d.pk, sk=d.sk).update(
                    actions=[m.due_at.set(iso(claimed + timedelta(seconds=lease)))],
                    condition=(m.status == "sending") & (m.claim == d.claim))
                return None
            # its sender died between its claim and its record: whether the channel
            # took the message is unknown, and sending again could make a second
            # message; it ends `failed` (`unconfirmed`), the partner may resend
            DeliveryModel(pk=d.pk, sk=d.sk).update(
                actions=[m.status.set("failed"), m.reason.set("unconfirmed"),
                         m.updated_at.set(at), m.due_pk.remove(), m.due_at.remove()],
                condition=(m.status == "sending") & (m.claim == d.claim))
            return None
        DeliveryModel(pk=d.pk, sk=d.sk).update(actions=[m.due_pk.remove(), m.due_at.remove()])
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
    return None
