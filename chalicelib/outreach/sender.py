"""The sender: one send-queue message, one delivery, at most one message to its
recipient, at the channel's configured rate.

Exactly once, by construction:
1. claim: one conditional write moves the delivery `queued` -> `sending` and stamps
   it with this attempt's claim. Two senders racing on one message (an SQS
   redelivery, the sweeper's re-queue) cannot both win; the loser drops it.
2. the channel call (`channels.send`), with the contact opened in memory only;
3. record: one write, conditioned on the claim, sets `sent` and the provider's id.

The window between 1 and 3: if the sender dies there (a crash, a timeout), the
delivery stays `sending`. Whether the channel took the message is unknown, and
sending it again could give the person two messages, so nothing sends it again:
after the lease (`DELIVERY_LEASE_SECONDS`) the sweeper settles it `failed` with
reason `unconfirmed`, and the partner can resend it (API: resend). A failure the
channel reports (`ChannelDown`: throttled, 5xx, timeout before the request was
taken) puts the delivery back to `queued` with backoff, up to
`DELIVERY_MAX_ATTEMPTS`; `Undeliverable` ends it `failed` with the reason.

Rate: a token bucket per channel per sender instance, refilled at the channel's
configured rate divided by the senders' reserved concurrency, one token deep. So
across all instances at most rate + N messages leave in any one second (N: the
instances), and on average never more than the rate; with fewer busy instances
than reserved the total is lower (each keeps its share). A message that would wait
more than a few seconds goes back on the queue, due when its token is.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso, timestamp
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.delivery.sending import backoff_delay
from chalicelib.money import gift_links, recipients
from chalicelib.outreach import branding, channels, deliveries, messages, send_queue, templates
from chalicelib.store.models import DeliveryModel, GiftModel
from chalicelib.store.retry import condition_failed

log = logging.getLogger("rewards.sender")

MAX_HOLD = 5.0
"""Seconds a sender waits for its channel's token before putting the message back."""
BACKOFF_CAP = 3600.0

# ------------------------------------------------------------------ rate


class TokenBucket:
    """`rate` tokens a second, at most `depth` saved up; thread-safe."""

    def __init__(self, rate: float, depth: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = max(rate, 1e-6)
        self.depth = max(depth, 1.0)
        self.clock = clock
        self.tokens = self.depth
        self.last = clock()
        self.lock = threading.Lock()

    def reserve(self, max_wait: float) -> float | None:
        """Seconds until this caller's token (0: now), the token then reserved; None
        (nothing reserved) when that is more than `max_wait`."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.depth, self.tokens + (now - self.last) * self.rate)
            self.last = now
            wait = 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate
            if wait > max_wait:
                return None
            self.tokens -= 1
            return wait


_buckets: dict[str, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(channel: str) -> TokenBucket:
    s = settings()
    rate = {"email": s.delivery_rate_email, "sms": s.delivery_rate_sms,
            "zalo": s.delivery_rate_zalo}.get(channel, s.delivery_rate_sms)
    share = rate / s.delivery_sender_concurrency
    with _buckets_lock:
        b = _buckets.get(channel)
        if b is None or b.rate != share:
            b = _buckets[channel] = TokenBucket(share)
        return b


def reset() -> None:
    """Forget the buckets (tests change the rates)."""
    with _buckets_lock:
        _buckets.clear()


# ------------------------------------------------------------------ texts


ZERO_DECIMALS = frozenset({"VND", "JPY", "KRW", "IDR", "TWD"})
SYMBOLS = {"VND": "₫", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def amount_text(amount: int, currency: str, locale: str) -> str:
    """200000 VND -> "200.000 ₫" (vi) / "200,000 ₫" (en); minor units otherwise."""
    digits = 0 if currency in ZERO_DECIMALS else 2
    value = amount / 10 ** digits
    text = f"{value:,.{digits}f}"
    if locale == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text}\u00a0{SYMBOLS.get(currency, currency)}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def expires_text(expires_at: str, tz: str, locale: str) -> str:
    """The last local day the gift is valid: its expiry is the midnight that ends it."""
    last = (parse_iso(expires_at) - timedelta(seconds=1)).astimezone(ZoneInfo(tz)).date()
    if locale == "vi":
        return last.strftime("%d/%m/%Y")
    return f"{last.day} {MONTHS[last.month - 1]} {last.year}"


_names: Cache[str, str] = Cache("sender.partner_names", 5000, ttl=60)


def partner_name(partner_id: str) -> str:
    name = _names.get(partner_id)
    if name is None:
        name = branding.display_name(partner_id)
        _names.put(partner_id, name)
    return name


# ------------------------------------------------------------------ sending


def _claim(pk: str, sk: str, stamp: str, now: datetime) -> DeliveryModel | None:
    m = DeliveryModel
    d = DeliveryModel(pk=pk, sk=sk)
    try:
        d.update(actions=[m.status.set("sending"), m.claim.set(stamp),
                          m.claimed_at.set(iso(now)), m.attempt.add(1),
                          m.updated_at.set(iso(now))],
                 condition=m.status == "queued")
    except UpdateError as exc:
        if condition_failed(exc):
            return None
        raise
    return d


def _settle(d: DeliveryModel, stamp: str, actions: list[Any]) -> bool:
    m = DeliveryModel
    try:
        DeliveryModel(pk=d.pk, sk=d.sk).update(actions=actions, condition=m.claim == stamp)
        return True
    except UpdateError as exc:
        if condition_failed(exc):
            log.warning("delivery %s: claim %s lost before its record", d.id, stamp)
            return False
        raise


def _fail(d: DeliveryModel, stamp: str, reason: str, now: datetime) -> str:
    m = DeliveryModel
    _settle(d, stamp, [m.status.set("failed"), m.reason.set(reason[:200]),
                       m.updated_at.set(iso(now)), m.due_pk.remove(), m.due_at.remove()])
    return f"failed: {reason}"


def _retry(d: DeliveryModel, stamp: str, reason: str, now: datetime) -> str:
    """Back to `queued`, due after the backoff; `failed` once attempts run out."""
    s = settings()
    attempt = int(d.attempt or 1)
    if attempt >= s.delivery_max_attempts:
        return _fail(d, stamp, reason, now)
    delay = backoff_delay(attempt, s.delivery_backoff_base_seconds, BACKOFF_CAP)
    due = now + timedelta(seconds=delay)
    m = DeliveryModel
    if _settle(d, stamp, [m.status.set("queued"), m.reason.set(reason[:200]),
                          m.updated_at.set(iso(now)), m.claim.remove(),
                          m.due_at.set(iso(due + timedelta(seconds=s.delivery_lease_seconds)))]):
        send_queue.send([send_queue.message(d.pk, d.sk, d.partner_id or "", d.channel or "",
                                            due=due.timestamp(), attempt=attempt)])
    return f"retrying: {reason}"


def _unwanted(d: DeliveryModel, g: GiftModel, now: datetime) -> str | None:
    """Why the message is no longer wanted, checked at send time (a reminder planned
    months ago, a delivery scheduled for a gift voided since)."""
    if g.status == "voided":
        return "gift_voided"
    if g.expires_at <= iso(now):
        return "gift_expired"
    if d.kind == "reminder" and (g.status == "redeemed" or int(g.balance) <= 0):
        return "gift_redeemed"
    return None


def process(m: dict[str, Any], sleep: Callable[[float], None] = time.sleep) -> str:
    """Handle one send-queue message; returns what happened (for logs and tests)."""
    now_ts = timestamp()
    if float(m["due"]) > now_ts + 1:  # an SQS hop shorter than the wait: go round again
        send_queue.send([m])
        return "waiting"
    wait = bucket(m["channel"]).reserve(MAX_HOLD)
    if wait is None:
        send_queue.send([dict(m, due=now_ts + MAX_HOLD)])
        return "throttled"
    if wait > 0:
        sleep(wait)
    now = utcnow()
    stamp = uuid.uuid4().hex
    d = _claim(m["pk"], m["sk"], stamp, now)
    if d is None:
        return "taken"
    try:
        g: GiftModel | None = GiftModel.get(d.pk, consistent_read=True)
    except DoesNotExist:
        g = None
    if g is None:
        return _fail(d, stamp, "gift_not_found", now)
    unwanted = _unwanted(d, g, now)
    if unwanted:
        return _fail(d, stamp, unwanted, now)
    to = deliveries.address_of(d, g)
    if not to:
        return _fail(d, stamp, "no_contact", now)
    partner_id = d.partner_id or g.partner_id
    try:
        message = _render(d, g, to)
    except Exception:  # noqa: BLE001 - nothing was sent: retried, then failed
        log.exception("delivery %s: rendering failed", d.id)
        return _retry(d, stamp, "render_failed", now)
    try:
        sent = channels.send(partner_id, message)
    except messages.Undeliverable as exc:
        return _fail(d, stamp, exc.reason or "undeliverable", now)
    except messages.ChannelDown as exc:
        return _retry(d, stamp, f"channel_down: {exc}"[:200], now)
    # anything else: whether the channel took it is unknown; it stays `sending` and
    # the sweeper settles it `unconfirmed` after the lease (never a second message)
    done = utcnow()
    mm = DeliveryModel
    _settle(d, stamp, [mm.status.set("sent"), mm.provider_id.set(sent.provider_id),
                       mm.sent_at.set(iso(done)), mm.updated_at.set(iso(done)),
                       mm.reason.remove(), mm.due_pk.remove(), mm.due_at.remove()])
    return "sent"


def _render(d: DeliveryModel, g: GiftModel, to: str) -> messages.Message:
    plan = deliveries.plan_of(g.campaign_id)
    locale = (plan.delivery.locale if plan else None) or "vi"
    tz = plan.timezone if plan else "Asia/Ho_Chi_Minh"
    contact = recipients.contact_of(g) if recipients.has_contact(g) else {}
    values = messages.Placeholders(
        recipient_name=contact.get("name") or "",
        amount=amount_text(int(g.amount if d.kind == "gift" else g.balance), g.currency,
                           locale),
        expires_on=expires_text(g.expires_at, tz, locale),
        gift_url=gift_links.url_for(g),
        partner_name=partner_name(g.partner_id))
    message: messages.Message = templates.render(
        g.partner_id, d.channel, locale, cast(messages.Kind, d.kind), values, to)
    return message


def process_message(body: str) -> str:
    """The SQS consumer's entry point."""
    import json

    return process(json.loads(body))
