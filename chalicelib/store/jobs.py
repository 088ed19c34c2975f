"""Work that outlives its request, kept resumable behind a `pending` marker.

Bulk issuance (`batches`) and exports (`exports`) have one shape. The request that
accepts the job writes its header and a marker (hash key `PENDING`, range key the
job's id) in the same write, then asks the worker with a queue message. Deployed,
the message goes to SQS and the consumer works for the time its Lambda has left,
sending a new message for what is unfinished. A lost message (a crash between the
write and the send, a failed send) costs only time: the sweeper Queries the
markers every five minutes. Locally there is no queue and devtools/serve.py sweeps
every half second.

So a job's `process` must be idempotent and resumable from its header alone: any
number of workers may run it, in any order, after any crash. It drops the marker
when the job is finished.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, cast

from msgspec import Struct
from pynamodb.models import Model

from chalicelib.core.clock import now, parse_iso
from chalicelib.core.config import settings

log = logging.getLogger("rewards.jobs")

PENDING = "pending"
"""The hash key under which every unfinished job of a table keeps its marker."""


class Marker(Protocol):
    """What the sweeper reads of a marker: the job's id and when it was accepted."""

    part: str
    created_at: str


def _never(marker: Any, age: float) -> bool:
    return False


class Job(Struct, frozen=True):
    """One kind of background work. `process(job_id, deadline)` advances the job
    until it is finished or `deadline` (a time.monotonic() value) has passed and
    returns its header (None when it no longer exists); `finished(header)` says
    whether it needs another turn; `not_yet(marker, age)` lets the sweeper leave a
    job alone that its own request is still working on."""

    field: str
    model: type[Model]
    process: Callable[[str, float | None], Any]
    finished: Callable[[Any], bool]
    not_yet: Callable[[Any, float], bool] = _never

    def message(self, job_id: str) -> str:
        return json.dumps({self.field: job_id})

    def markers(self) -> Iterator[Marker]:
        """The unfinished jobs of this kind: one Query, never a Scan. (A cast: every
        job table's marker has `part` and `created_at`, which PynamoDB's `Model`
        does not declare.)"""
        return cast(Iterator[Marker],
                    self.model.query(PENDING, consistent_read=True, page_size=100))


@functools.lru_cache(maxsize=2)
def _sqs(region: str) -> Any:
    """One client per process: building one costs tens of milliseconds."""
    import boto3  # provided by the Lambda runtime; imported only when needed

    return boto3.client("sqs", region_name=region)


def enqueue(job: Job, job_id: str) -> None:
    """Ask the worker for a turn: an SQS message when deployed; locally (no queue)
    the pending marker is enough for the sweeper."""
    url = settings().batch_queue_url
    if not url:
        return
    try:
        _sqs(settings().region).send_message(QueueUrl=url, MessageBody=job.message(job_id))
    except Exception:  # noqa: BLE001 - the pending marker lets the sweeper finish it
        log.exception("could not enqueue %s %s; the sweeper will pick it up", job.field, job_id)


def handle_message(jobs: Sequence[Job], body: str, seconds: float) -> None:
    """The queue consumer's work for one message: a turn of at most `seconds`, and a
    new message if the job is unfinished. A message no job owns raises, so the queue
    sends it to its dead-letter queue rather than dropping it unseen."""
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"not a job message: {body[:80]!r}") from exc
    for job in jobs:
        job_id = message.get(job.field) if isinstance(message, dict) else None
        if isinstance(job_id, str):
            header = job.process(job_id, time.monotonic() + seconds)
            if header is not None and not job.finished(header):
                enqueue(job, job_id)
            return
    raise ValueError(f"not a job message: {body[:80]!r}")


def sweep(jobs: Sequence[Job], max_seconds: float, min_age_seconds: float = 0.0) -> int:
    """Give every unfinished job of each kind a turn (a Query on its markers, no
    Scan), for up to `max_seconds` per kind, skipping markers younger than
    `min_age_seconds` (their queue message is probably on its way); returns how many
    jobs finished."""
    finished = 0
    for job in jobs:
        deadline = time.monotonic() + max_seconds
        moment = now()
        for marker in job.markers():
            if time.monotonic() >= deadline:
                break
            age = (moment - parse_iso(marker.created_at)).total_seconds()
            if age < min_age_seconds or job.not_yet(marker, age):
                continue
            try:
                header = job.process(marker.part, deadline)
            except Exception:  # noqa: BLE001 - one broken job must not stop the others
                log.exception("%s %s: a turn failed; will retry", job.field, marker.part)
                continue
            if header is not None and job.finished(header):
                finished += 1
    return finished
