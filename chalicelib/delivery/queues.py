"""The delivery queue: one message per (event, subscribed endpoint), due at a time.

Deployed, the queue is SQS (per-message DelaySeconds, at most 900 s: a longer wait
is several hops, the message carrying when it is due). A process that serves its
own deliveries (`make run`, tests) installs an in-process queue instead
(`devtools/local_queue.py`), so no dev-only code ships in the Lambda package."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.core import errors, vault
from chalicelib.core.clock import timestamp
from chalicelib.core.config import settings
from chalicelib.delivery import redelivery
from chalicelib.delivery.endpoints import endpoints_of, subscribed
from chalicelib.store.records import EventModel, WebhookEndpointModel

if TYPE_CHECKING:  # boto3's types: a development dependency (requirements-dev.txt)
    from mypy_boto3_sqs.client import SQSClient
    from mypy_boto3_sqs.type_defs import SendMessageBatchRequestEntryTypeDef


class Queue(Protocol):
    def send(self, messages: list[dict[str, Any]]) -> None: ...


SQS_MAX_DELAY = 900


def message(ev: EventModel, endpoint_id: str, now: float, attempt: int = 0,
            first_at: float | None = None) -> dict[str, Any]:
    """A delivery to do. It carries the event (under 1 KB; SQS takes 256), so a
    sender reads nothing to send it, and the consumer may queue it before the
    event is stored (events.handle_records). The event is sealed (`SEALED_EVENT`):
    a message waits on the queue (and its dead-letter queue) for days, and a
    `spin.won` names its player, often by phone number."""
    return {"event_id": ev.id, "partner_id": ev.partner_id,
            SEALED_EVENT: seal_event(event_body(ev), ev.partner_id),
            "endpoint_id": endpoint_id, "attempt": attempt,
            "first_at": now if first_at is None else first_at, "due": now}


SEALED_EVENT = "sealed_event"
"""Where a message carries its event: the body as a receiver gets it, deflated and
sealed (`vault.seal_compact`) under the data key, bound to the partner and the
event's id, then base64url: about the size of the clear JSON it replaces."""


def _event_bound(partner_id: str, event_id: str) -> str:
    return f"webhook-event\x00{partner_id}\x00{event_id}"


def seal_event(body: dict[str, Any], partner_id: str) -> str:
    sealed = vault.seal_compact(json.dumps(body, separators=(",", ":"), ensure_ascii=False),
                                _event_bound(partner_id, str(body["id"])))
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def opened_event(m: dict[str, Any], partner_id: str) -> dict[str, Any] | None:
    """The event a message carries, for `partner_id` (the endpoint's partner: a
    message naming another partner's event opens to nothing); None when the message
    carries none (queued before messages carried their event: the sender reads it).
    A message queued before events were sealed carries it in clear (`event`)."""
    if m.get("partner_id") != partner_id:
        return None
    if SEALED_EVENT in m:
        raw = str(m[SEALED_EVENT])
        sealed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        body: dict[str, Any] = json.loads(vault.open_compact(
            sealed, _event_bound(partner_id, str(m["event_id"]))))
        return body
    clear: dict[str, Any] | None = m.get("event")
    return clear


def event_body(ev: EventModel) -> dict[str, Any]:
    """What a receiver gets (and `GET /v1/events/{id}` shows)."""
    return {"id": ev.id, "type": ev.type, "created_at": ev.created_at,
            "campaign_id": ev.campaign_id, "data": ev.data}


def fan_out(events: list[EventModel], cache: dict[str, list[WebhookEndpointModel]] | None = None
            ) -> int:
    """Queue one delivery per (event, subscribed endpoint); one Query per partner."""
    cache = {} if cache is None else cache
    now = timestamp()
    out = []
    for ev in events:
        if ev.partner_id not in cache:
            cache[ev.partner_id] = endpoints_of(ev.partner_id)
        out += [message(ev, ep.id, now) for ep in cache[ev.partner_id]
                if subscribed(ep, ev.type)]
    queue().send(out)
    return len(out)


def redeliver(partner_id: str, ev: EventModel) -> int:
    """Send an event again to every enabled endpoint subscribed to it (a new round
    of attempts, with its own retries), within the redelivery budgets (429 beyond
    them, `redelivery`)."""
    endpoints = endpoints_of(partner_id)
    redelivery.charge(ev.id, [ep.id for ep in endpoints if subscribed(ep, ev.type)],
                      timestamp())
    return fan_out([ev], {partner_id: endpoints})


class SqsQueue:
    """SQS with per-message DelaySeconds (at most 900 s: longer waits re-enqueue)."""

    def __init__(self, url: str) -> None:
        import boto3  # provided by the Lambda runtime; only imported when deployed

        self.url = url
        self.client: SQSClient = boto3.client("sqs", region_name=settings().region)

    def send(self, messages: list[dict[str, Any]]) -> None:
        now = timestamp()
        for i in range(0, len(messages), 10):
            entries: list[SendMessageBatchRequestEntryTypeDef] = []
            for n, m in enumerate(messages[i:i + 10]):
                entry: SendMessageBatchRequestEntryTypeDef = {
                    "Id": str(n), "MessageBody": json.dumps(m),
                    "DelaySeconds": int(min(SQS_MAX_DELAY, max(0.0, m["due"] - now)))}
                if m.get("partner_id"):  # SQS fair queues: one partner's backlog
                    entry["MessageGroupId"] = m["partner_id"]  # delays no other's
                entries.append(entry)
            failed = self.client.send_message_batch(QueueUrl=self.url,
                                                    Entries=entries).get("Failed")
            if failed:
                raise errors.ServiceUnavailable(f"{len(failed)} webhook deliveries not queued")


_installed: Queue | None = None
_sqs: dict[str, SqsQueue] = {}


def install(q: Queue | None) -> None:
    """Deliveries go to `q` instead of SQS (a local stack's in-process queue);
    None goes back to SQS."""
    global _installed
    _installed = q


def queue() -> Queue:
    """The installed queue, else SQS at the configured URL (one client per process:
    a client costs tens of milliseconds to build)."""
    if _installed is not None:
        return _installed
    url = settings().webhook_queue_url
    if not url:
        raise errors.ServiceUnavailable("No webhook queue is configured (WEBHOOK_QUEUE_URL)")
    if url not in _sqs:
        _sqs[url] = SqsQueue(url)
    return _sqs[url]
