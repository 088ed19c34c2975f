"""The delivery queue: one message per (event, subscribed endpoint), due at a time.

Deployed, the queue is SQS (per-message DelaySeconds, at most 900 s: a longer wait
is several hops, the message carrying when it is due). A process that serves its
own deliveries (`make run`, tests) installs an in-process queue instead
(`devtools/local_queue.py`), so no dev-only code ships in the Lambda package."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.core import errors
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
    event is stored (events.handle_records)."""
    return {"event_id": ev.id, "partner_id": ev.partner_id, "event": event_body(ev),
            "endpoint_id": endpoint_id, "attempt": attempt,
            "first_at": now if first_at is None else first_at, "due": now}


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
