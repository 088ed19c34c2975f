"""Webhook endpoints, signing, delivery and the SSRF guard.

Delivery is at least once: every (event, endpoint) pair is a queue message; a
worker POSTs the event, records the attempt, and on anything but a 2xx within
`timeout` re-enqueues the message with exponential backoff and jitter until the
first attempt is `retry_window` old (3 days), then disables the endpoint.
Deployed, the queue is SQS (per-message DelaySeconds, at most 900 s: a longer
wait is several hops, the message carrying when it is due); under `make run`
and in tests it is `LOCAL_QUEUE`, a heap served by a thread of devtools/serve.py.

Signature: `Rewards-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
one `v1=` per active secret (after a rotation the old one signs for 24 hours).
A secret must sign, so it is stored, but sealed: encrypted under a key derived
from the stage's signing key (SSM when deployed) before it reaches the table, and
never returned after the answer that created it.

SSRF: every URL is checked when it is set and again before every delivery, and
called only through `outbound`, the one module that opens connections to
addresses a partner chose.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import random
import secrets as _secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import msgspec
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.update import Action

from . import errors, schemas, vault
from .common import iso, new_id, timestamp
from .config import settings
from .outbound import Outcome, check_url, post
from .store import (
    EventModel,
    PageKey,
    WebhookDeliveryModel,
    WebhookEndpointModel,
    condition_failed,
)

if TYPE_CHECKING:  # boto3's types: a development dependency (requirements-dev.txt)
    from mypy_boto3_sqs.type_defs import SendMessageBatchRequestEntryTypeDef

log = logging.getLogger("rewards.webhooks")

MAX_ENDPOINTS = 16
ROTATION_OVERLAP = timedelta(hours=24)
DELIVERY_TTL = timedelta(days=30)
SQS_MAX_DELAY = 900


@dataclass(frozen=True)
class Tuning:
    """Delivery timing, from the environment (tests shorten it)."""

    timeout: float = 10.0
    backoff_base: float = 30.0
    backoff_cap: float = 6 * 3600.0
    retry_window: float = 3 * 24 * 3600.0

    @classmethod
    def from_env(cls) -> Tuning:
        env = os.environ
        return cls(timeout=float(env.get("WEBHOOK_TIMEOUT_SECONDS", cls.timeout)),
                   backoff_base=float(env.get("WEBHOOK_BACKOFF_BASE_SECONDS", cls.backoff_base)),
                   backoff_cap=float(env.get("WEBHOOK_BACKOFF_CAP_SECONDS", cls.backoff_cap)),
                   retry_window=float(env.get("WEBHOOK_RETRY_WINDOW_SECONDS",
                                              cls.retry_window)))


# ------------------------------------------------------------------ signing (pure)


def signature(secrets: Iterable[str], timestamp: int, body: bytes) -> str:
    """The Rewards-Signature header: `t=<unix>` then one `v1=` per secret."""
    signed = f"{timestamp}.".encode() + body
    parts = [f"t={timestamp}"]
    parts += [f"v1={hmac.new(s.encode(), signed, hashlib.sha256).hexdigest()}" for s in secrets]
    return ",".join(parts)


def verify(header: str, body: bytes, secret: str, now: float, tolerance: float = 300) -> bool:
    """What a receiver does: a fresh timestamp and one v1 matching its secret."""
    fields = [p.partition("=") for p in header.split(",")]
    stamps = [v for k, _, v in fields if k.strip() == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{stamps[0]}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return any(k.strip() == "v1" and hmac.compare_digest(v.strip(), expected)
               for k, _, v in fields)


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None
                  ) -> float:
    """Seconds before retry `attempt` (1 = the first retry): exponential, capped, with
    "equal jitter" (half fixed, half random) so a receiver that comes back is not
    hit by every retry at once, and no retry comes sooner than half the step."""
    step = min(cap, base * 2 ** min(max(attempt - 1, 0), 40))
    return step / 2 + (rng or random).uniform(0, step / 2)


def new_secret() -> str:
    return "whsec_" + _secrets.token_urlsafe(32)


# ------------------------------------------------------------- secrets at rest

def seal(secret: str, endpoint_id: str) -> str:
    """AES-GCM under the stage's data key (vault), bound to its endpoint: a copy of
    the table alone does not give the secrets away."""
    return vault.seal(secret, f"webhook:{endpoint_id}")


def unseal(sealed: str, endpoint_id: str) -> str:
    return vault.open_sealed(sealed, f"webhook:{endpoint_id}")


def active_secrets(ep: WebhookEndpointModel, now: datetime) -> list[str]:
    at = iso(now)
    return [unseal(s["sealed"], ep.id) for s in ep.secrets
            if s.get("expires_at") is None or s["expires_at"] > at]


# ------------------------------------------------------------------ endpoints


def _out(ep: WebhookEndpointModel, secret: str | None = None) -> schemas.WebhookEndpoint:
    return schemas.WebhookEndpoint(
        id=ep.id, url=ep.url, events=list(ep.events), description=ep.description,
        status=cast(schemas.EndpointStatus, ep.status), disabled_reason=ep.disabled_reason,
        created_at=ep.created_at,
        updated_at=ep.updated_at, secret=secret)


def get_model(partner_id: str, endpoint_id: str) -> WebhookEndpointModel:
    try:
        ep = WebhookEndpointModel.get(endpoint_id, consistent_read=True)
    except DoesNotExist:
        ep = None
    if ep is None or ep.partner_id != partner_id:
        raise errors.NotFound(f"No webhook endpoint {endpoint_id}")
    return ep


def _endpoints_of(partner_id: str) -> list[WebhookEndpointModel]:
    return list(WebhookEndpointModel.by_partner.query(partner_id, scan_index_forward=False,
                                                      limit=MAX_ENDPOINTS * 2))


def create_endpoint(partner_id: str, body: schemas.WebhookEndpointCreate, now: datetime
                    ) -> schemas.WebhookEndpoint:
    check_url(body.url)
    if len(_endpoints_of(partner_id)) >= MAX_ENDPOINTS:
        raise errors.TooManyWebhookEndpoints(
            f"A partner may have {MAX_ENDPOINTS} webhook endpoints; delete one first")
    secret = new_secret()
    at = iso(now)
    eid = new_id("whe")
    ep = WebhookEndpointModel(
        id=eid, partner_id=partner_id, created_key=f"{at}#{eid}", url=body.url,
        events=sorted(set(body.events)), description=body.description, status="enabled",
        secrets=[{"sealed": seal(secret, eid), "created_at": at, "expires_at": None}],
        created_at=at, updated_at=at)
    ep.save(condition=WebhookEndpointModel.id.does_not_exist())
    return _out(ep, secret)


def list_endpoints(partner_id: str) -> list[schemas.WebhookEndpoint]:
    return [_out(ep) for ep in _endpoints_of(partner_id)]


def get_endpoint(partner_id: str, endpoint_id: str) -> schemas.WebhookEndpoint:
    return _out(get_model(partner_id, endpoint_id))


def patch_endpoint(partner_id: str, endpoint_id: str, body: schemas.WebhookEndpointPatch,
                   now: datetime) -> schemas.WebhookEndpoint:
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    if not changes:
        raise errors.field_error("", "send at least one of url, events, status, description")
    get_model(partner_id, endpoint_id)
    m = WebhookEndpointModel
    actions: list[Action] = [m.updated_at.set(iso(now))]
    if "url" in changes:
        check_url(changes["url"])
        actions.append(m.url.set(changes["url"]))
    if "events" in changes:
        actions.append(m.events.set(sorted(set(changes["events"]))))
    if "description" in changes:
        actions.append(m.description.set(changes["description"]))
    if "status" in changes:
        actions.append(m.status.set(changes["status"]))
        if changes["status"] == "enabled":
            actions.append(m.disabled_reason.remove())
        else:
            actions.append(m.disabled_reason.set("disabled by the partner"))
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=actions, condition=m.partner_id == partner_id)
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.NotFound(f"No webhook endpoint {endpoint_id}") from None
        raise
    return get_endpoint(partner_id, endpoint_id)


def delete_endpoint(partner_id: str, endpoint_id: str) -> None:
    ep = get_model(partner_id, endpoint_id)
    ep.delete(condition=WebhookEndpointModel.partner_id == partner_id)


def rotate_secret(partner_id: str, endpoint_id: str, now: datetime
                  ) -> schemas.WebhookSecretRotated:
    """A new secret signs at once; the ones active until now keep signing (a second
    `v1=`) for 24 hours, so receivers can switch without losing an event."""
    ep = get_model(partner_id, endpoint_id)
    at, until = iso(now), iso(now + ROTATION_OVERLAP)
    secret = new_secret()
    kept = [dict(s, expires_at=s.get("expires_at") or until) for s in ep.secrets
            if s.get("expires_at") is None or s["expires_at"] > at]
    fresh = [{"sealed": seal(secret, ep.id), "created_at": at, "expires_at": None}, *kept]
    m = WebhookEndpointModel
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=[m.secrets.set(fresh), m.updated_at.set(at)],
            condition=(m.partner_id == partner_id) & (m.updated_at == ep.updated_at))
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.Conflict("The endpoint changed meanwhile; rotate again") from None
        raise
    return schemas.WebhookSecretRotated(id=endpoint_id, secret=secret,
                                        previous_secrets_expire_at=until if kept else None)


DELIVERY_PAGE = PageKey("endpoint_id", {"before": ("sort_key", "S")})


def list_deliveries(partner_id: str, endpoint_id: str, limit: int,
                    cursor: dict[str, Any] | None
                    ) -> tuple[list[schemas.WebhookDelivery], dict[str, Any] | None]:
    get_model(partner_id, endpoint_id)
    result = WebhookDeliveryModel.query(
        endpoint_id, scan_index_forward=False, limit=limit,
        last_evaluated_key=DELIVERY_PAGE.start(endpoint_id, cursor))
    items = [schemas.WebhookDelivery(
        id=d.id, event_id=d.event_id, event_type=d.event_type, attempt=int(d.attempt),
        status=cast(schemas.DeliveryStatus, d.status),
        response_code=None if d.response_code is None else int(d.response_code),
        duration_ms=int(d.duration_ms), error=d.error, attempted_at=d.attempted_at,
        next_attempt_at=d.next_attempt_at) for d in result]
    return items, DELIVERY_PAGE.next(result.last_evaluated_key)


# ------------------------------------------------------------------ fan-out


def subscribed(ep: WebhookEndpointModel, event_type: str) -> bool:
    return ep.status == "enabled" and ("*" in ep.events or event_type in ep.events)


def message(event_id: str, endpoint_id: str, now: float, attempt: int = 0,
            first_at: float | None = None) -> dict[str, Any]:
    return {"event_id": event_id, "endpoint_id": endpoint_id, "attempt": attempt,
            "first_at": now if first_at is None else first_at, "due": now}


def fan_out(events: list[EventModel], cache: dict[str, list[WebhookEndpointModel]] | None = None
            ) -> int:
    """Queue one delivery per (event, subscribed endpoint); one Query per partner."""
    cache = {} if cache is None else cache
    now = timestamp()
    out = []
    for ev in events:
        if ev.partner_id not in cache:
            cache[ev.partner_id] = _endpoints_of(ev.partner_id)
        out += [message(ev.id, ep.id, now) for ep in cache[ev.partner_id]
                if subscribed(ep, ev.type)]
    queue().send(out)
    return len(out)


def redeliver(partner_id: str, ev: EventModel) -> int:
    """Send an event again to every enabled endpoint subscribed to it (a new round
    of attempts, with its own retries)."""
    return fan_out([ev], {partner_id: _endpoints_of(partner_id)})


# ------------------------------------------------------------------ queues


class LocalQueue:
    """The delivery queue of one process (`make run`, tests): a heap by due time."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, dict]] = []
        self._cv = threading.Condition()
        self._n = 0

    def send(self, messages: list[dict[str, Any]]) -> None:
        import heapq

        with self._cv:
            for m in messages:
                self._n += 1
                heapq.heappush(self._heap, (float(m["due"]), self._n, m))
            self._cv.notify_all()

    def take(self, timeout: float) -> dict[str, Any] | None:
        """The next due message, waiting up to `timeout` for one."""
        import heapq

        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                now = timestamp()
                if self._heap and self._heap[0][0] <= now:
                    return heapq.heappop(self._heap)[2]
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                wait = min(left, self._heap[0][0] - now) if self._heap else left
                self._cv.wait(max(wait, 0.001))

    def __len__(self) -> int:
        with self._cv:
            return len(self._heap)

    def clear(self) -> None:
        with self._cv:
            self._heap.clear()


class SqsQueue:
    """SQS with per-message DelaySeconds (at most 900 s: longer waits re-enqueue)."""

    def __init__(self, url: str) -> None:
        import boto3  # provided by the Lambda runtime; only imported when deployed

        self.url = url
        self.client = boto3.client("sqs", region_name=settings().region)

    def send(self, messages: list[dict[str, Any]]) -> None:
        now = timestamp()
        for i in range(0, len(messages), 10):
            entries: list[SendMessageBatchRequestEntryTypeDef] = [
                {"Id": str(n), "MessageBody": json.dumps(m),
                 "DelaySeconds": int(min(SQS_MAX_DELAY, max(0.0, m["due"] - now)))}
                for n, m in enumerate(messages[i:i + 10])]
            failed = self.client.send_message_batch(QueueUrl=self.url,
                                                    Entries=entries).get("Failed")
            if failed:
                raise errors.ServiceUnavailable(f"{len(failed)} webhook deliveries not queued")


LOCAL_QUEUE = LocalQueue()


def queue() -> LocalQueue | SqsQueue:
    url = os.environ.get("WEBHOOK_QUEUE_URL")
    return SqsQueue(url) if url else LOCAL_QUEUE


def run_local(stop: threading.Event, workers: int = 8) -> None:
    """Serve LOCAL_QUEUE until `stop` (devtools/serve.py and tests run it in a thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook") as pool:
        while not stop.is_set():
            m = LOCAL_QUEUE.take(0.2)
            if m is not None:
                pool.submit(_safe_process, m)


def _safe_process(m: dict[str, Any]) -> None:
    try:
        process(m)
    except Exception:  # noqa: BLE001 - a dev loop logs, then retries later
        log.exception("webhook delivery failed; retrying in 5 s")
        LOCAL_QUEUE.send([dict(m, due=timestamp() + 5)])


# ------------------------------------------------------------------ delivery


def body_of(ev: EventModel) -> bytes:
    return json.dumps({"id": ev.id, "type": ev.type, "created_at": ev.created_at,
                       "campaign_id": ev.campaign_id, "data": ev.data},
                      separators=(",", ":"), ensure_ascii=False).encode()


def process(m: dict[str, Any], tuning: Tuning | None = None) -> str:
    """Handle one queue message; returns what happened (for logs and tests)."""
    tuning = tuning or Tuning.from_env()
    now = timestamp()
    if float(m["due"]) > now + 1:  # an SQS hop shorter than the wait: go round again
        queue().send([m])
        return "waiting"
    try:
        ev = EventModel.get(m["event_id"])
        ep = WebhookEndpointModel.get(m["endpoint_id"], consistent_read=True)
    except DoesNotExist:
        return "gone"
    if ep.status != "enabled" or ep.partner_id != ev.partner_id:
        return "endpoint disabled"
    body = body_of(ev)
    moment = datetime.fromtimestamp(now, UTC)
    headers = {"Content-Type": "application/json", "User-Agent": "Rewards-Webhooks/1",
               "Rewards-Event-Id": ev.id, "Rewards-Event-Type": ev.type,
               "Rewards-Signature": signature(active_secrets(ep, moment), int(now), body)}
    try:
        target = check_url(ep.url)
        outcome = post(target, headers, body, tuning.timeout)
    except errors.WebhookUrlNotAllowed as exc:
        outcome = Outcome(False, None, 0, exc.detail[:200])
    attempt = int(m["attempt"]) + 1
    next_at = None
    exhausted = False
    if not outcome.ok:
        exhausted = now - float(m["first_at"]) >= tuning.retry_window
        if not exhausted:
            next_at = now + backoff_delay(attempt, tuning.backoff_base, tuning.backoff_cap)
    _record(ep, ev, attempt, outcome, moment, next_at)
    if outcome.ok:
        return "delivered"
    if exhausted:
        _disable(ep.id, f"deliveries failed for {tuning.retry_window / 3600:g} hours "
                        f"({attempt} attempts of event {ev.id}; last: "
                        f"{outcome.code or outcome.error})", moment)
        return "disabled"
    queue().send([dict(m, attempt=attempt, due=next_at)])
    return "retrying"


def _record(ep: WebhookEndpointModel, ev: EventModel, attempt: int, outcome: Outcome,
            moment: datetime, next_at: float | None) -> None:
    did = new_id("whd")
    at = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    WebhookDeliveryModel(
        endpoint_id=ep.id, sort_key=f"{at}#{did}", id=did, event_id=ev.id,
        event_type=ev.type, attempt=attempt, status="succeeded" if outcome.ok else "failed",
        response_code=outcome.code, duration_ms=outcome.duration_ms, error=outcome.error,
        next_attempt_at=iso(datetime.fromtimestamp(next_at, UTC)) if next_at else None,
        attempted_at=iso(moment), expires_at=moment + DELIVERY_TTL).save()


def _disable(endpoint_id: str, reason: str, moment: datetime) -> None:
    m = WebhookEndpointModel
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=[m.status.set("disabled"), m.disabled_reason.set(reason),
                     m.updated_at.set(iso(moment))], condition=m.status == "enabled")
    except (UpdateError, PutError) as exc:
        if not condition_failed(exc):
            raise
    log.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)


def process_message(body: str) -> str:
    """The SQS consumer's entry point."""
    return process(json.loads(body))
