"""The queue of messages to recipients: one message per delivery ready to go.

Deployed, SQS (`SEND_QUEUE_URL`, with its dead-letter queue; the send function
consumes it with a reserved concurrency, `infra/tables.yaml`). A process that
serves its own sends (`make run`, tests) installs an in-process queue instead
(`devtools/local_queue.py`), so no dev-only code ships in the Lambda package.

A message names the delivery by its key and carries nothing personal: the sender
reads the delivery and its gift, and opens the contact in memory only."""

from __future__ import annotations

from typing import Any

from chalicelib.core import errors
from chalicelib.core.clock import timestamp
from chalicelib.core.config import settings
from chalicelib.delivery import queues


def message(pk: str, sk: str, partner_id: str, channel: str, due: float | None = None,
            attempt: int = 0) -> dict[str, Any]:
    """`endpoint_id` is the channel: the local queue's lines (one per channel within a
    partner), as webhook messages have one per endpoint."""
    return {"pk": pk, "sk": sk, "partner_id": partner_id, "endpoint_id": channel,
            "channel": channel, "due": timestamp() if due is None else due,
            "attempt": attempt}


_installed: queues.Queue | None = None
_sqs: dict[str, queues.SqsQueue] = {}


def install(q: queues.Queue | None) -> None:
    """Sends go to `q` instead of SQS (a local stack's in-process queue); None: SQS."""
    global _installed
    _installed = q


def queue() -> queues.Queue:
    if _installed is not None:
        return _installed
    url = settings().send_queue_url
    if not url:
        raise errors.ServiceUnavailable("No send queue is configured (SEND_QUEUE_URL)")
    if url not in _sqs:
        _sqs[url] = queues.SqsQueue(url)
    return _sqs[url]


def send(messages: list[dict[str, Any]]) -> None:
    if messages:
        queue().send(messages)
