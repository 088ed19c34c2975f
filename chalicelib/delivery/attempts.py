"""The record of delivery attempts: what a sender writes of each POST, and the list a
partner reads (`GET /v1/webhook-endpoints/{id}/deliveries`).

Why records, not an item per attempt: an item per attempt cost one write unit per
event per endpoint, a tenth of what a money move costs all in. A sender handles a
batch of queue messages (deployed, the SQS batch of up to 10; locally, what a
thread takes), so it writes one record per endpoint per batch with the batch's
attempts to it packed in (~70 B each), split wherever a record would pass 1 KB,
all in one BatchWriteItem: ten attempts for one unit.

Order: a record's place in the list is its newest attempt's instant (its sort key),
and its attempts are listed there, newest first. A batch's attempts start together
and end by the delivery deadline, so two batches that ran at once to one endpoint
may interleave by at most that much; one batch, and batches apart, are exactly
newest first. A cursor names a place inside a record when a page ends there
(`value`), so a page of any size resumes after its last attempt, skipping and
repeating nothing.

Items of the earlier shape (one attempt each, `WebhookDeliveryModel`) sort among
the records by their own instant and are listed until their TTL removes them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import ids
from chalicelib.core.clock import iso
from chalicelib.core.ids import new_id
from chalicelib.store.keys import attempt_keys, attempts_key
from chalicelib.store.paging import ShardPage, cursor_value, merged_page, next_cursor, query_page
from chalicelib.store.records import WebhookDeliveryModel
from chalicelib.store.sizes import KB, item_size

TTL = timedelta(days=30)
"""How long attempts are kept (the items' TTL, from a record's newest attempt)."""

SORT_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
MAX_PER_RECORD = 99
"""Attempts one record may hold (two digits in a listed attempt's place); 1 KB holds
far fewer."""
INSIDE = "~"
"""Between a record's sort key and an attempt's place in it: sorts after the key
itself, and before any greater key (keys have one width)."""


class Attempt(Struct, frozen=True):
    """One POST of one event to one endpoint, as the sender saw it."""

    endpoint_id: str
    event_id: str
    event_type: str
    attempt: int
    ok: bool
    code: int | None
    duration_ms: int
    error: str | None
    at: datetime
    next_at: float | None  # POSIX seconds of the retry; None: no retry


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


# ------------------------------------------------------------------ writing


def _packed(newest: datetime, attempts: list[Attempt]) -> str:
    """The attempts (newest first) as compact JSON rows: event, type, attempt number,
    ok, code, duration, error, milliseconds before the record's newest attempt,
    seconds from the attempt's second to its retry."""
    top = _ms(newest)
    rows = [[a.event_id, a.event_type, a.attempt, int(a.ok), a.code, a.duration_ms, a.error,
             top - _ms(a.at), None if a.next_at is None else int(a.next_at) - _ms(a.at) // 1000]
            for a in attempts]
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def _record(endpoint_id: str, attempts: list[Attempt]) -> WebhookDeliveryModel:
    newest = attempts[0].at
    rid = new_id(ids.DELIVERY)
    return WebhookDeliveryModel(
        pk=attempts_key(endpoint_id, rid), sort_key=f"{newest.strftime(SORT_TIME)}#{rid}",
        endpoint_id=endpoint_id, id=rid, attempts=_packed(newest, attempts),
        expires_at=newest + TTL)


def records(attempts: list[Attempt]) -> list[WebhookDeliveryModel]:
    """The records that hold `attempts`: per endpoint, newest first, each under 1 KB
    (a write unit) and at most MAX_PER_RECORD."""
    by_endpoint: dict[str, list[Attempt]] = {}
    for a in attempts:
        by_endpoint.setdefault(a.endpoint_id, []).append(a)
    out = []
    for endpoint_id, theirs in by_endpoint.items():
        theirs.sort(key=lambda a: a.at, reverse=True)
        held: list[Attempt] = []
        for a in theirs:
            if held and (len(held) == MAX_PER_RECORD or
                         item_size(_record(endpoint_id, [*held, a]).serialize()) > KB):
                out.append(_record(endpoint_id, held))
                held = []
            held.append(a)
        if held:
            out.append(_record(endpoint_id, held))
    return out


def write(attempts: list[Attempt]) -> int:
    """Record a batch's attempts: one BatchWriteItem (PynamoDB retries what DynamoDB
    leaves unprocessed, and raises if some stay so). Returns the records written."""
    made = records(attempts)
    if len(made) == 1:
        made[0].save()
    elif made:
        with WebhookDeliveryModel.batch_write() as batch:
            for r in made:
                batch.save(r)
    return len(made)


# ------------------------------------------------------------------ listing


class Listed(Struct, frozen=True):
    value: str  # its place in the list: cursors compare with it
    delivery: schemas.WebhookDelivery


def expand(item: WebhookDeliveryModel) -> list[Listed]:
    """An item's attempts, newest first, each with its place."""
    if item.attempts is None:  # one attempt alone (before records)
        return [Listed(item.sort_key, schemas.WebhookDelivery(
            id=item.id, event_id=cast(str, item.event_id), event_type=cast(str, item.event_type),
            attempt=int(item.attempt or 0), status=cast(schemas.DeliveryStatus, item.status),
            response_code=None if item.response_code is None else int(item.response_code),
            duration_ms=int(item.duration_ms or 0), error=item.error,
            attempted_at=cast(str, item.attempted_at), next_attempt_at=item.next_attempt_at))]
    top = _ms(datetime.strptime(item.sort_key.split("#", 1)[0], SORT_TIME).replace(tzinfo=UTC))
    out = []
    for i, row in enumerate(json.loads(item.attempts)):
        event_id, event_type, attempt, ok, code, duration_ms, error, back, retry = row
        at_ms = top - back
        at_s = at_ms // 1000
        out.append(Listed(f"{item.sort_key}{INSIDE}{MAX_PER_RECORD - i:02d}",
                          schemas.WebhookDelivery(
            id=f"{item.id}{i:02d}", event_id=event_id, event_type=event_type, attempt=attempt,
            status="succeeded" if ok else "failed", response_code=code, duration_ms=duration_ms,
            error=error, attempted_at=iso(datetime.fromtimestamp(at_s, UTC)),
            next_attempt_at=None if retry is None else iso(
                datetime.fromtimestamp(at_s + retry, UTC)))))
    return out


def page(endpoint_id: str, limit: int, cursor: dict[str, Any] | None
         ) -> tuple[list[schemas.WebhookDelivery], dict[str, Any] | None]:
    """Newest first, merged over the endpoint's slices (`keys.attempt_keys`, shared by
    records and attempts alone). The cursor is a place: the items before it are
    read from its record on (a Query for keys below the place includes the record
    the place is inside of), and the attempts at or after it are dropped."""
    if isinstance(cursor, dict) and set(cursor) == {"before"}:  # a cursor of one key
        cursor = {"after": cursor["before"]}
    before = cursor_value(cursor)

    def fetch(key: str, resume: Any, size: int) -> ShardPage[Listed]:
        result = WebhookDeliveryModel.query(
            key, WebhookDeliveryModel.sort_key < before if before else None,
            scan_index_forward=False, page_size=size, last_evaluated_key=resume)
        got = query_page(result, WebhookDeliveryModel, "sort_key")
        listed = [x for item in got.items for x in expand(item)
                  if before is None or x.value < before]
        return ShardPage(listed, got.reached, got.done, got.resume,
                         len(got.items) if got.evaluated is None else got.evaluated)

    found, after = merged_page(fetch, attempt_keys(endpoint_id), lambda x: x.value, limit,
                               descending=True)
    return [x.delivery for x in found], next_cursor(after)
