"""Bulk issuance: reserve, write, resume, export.

A batch of N items ends with exactly N gifts and exactly one budget debit, whatever
crashes in between. How:

- The batch id is derived from the idempotency record's key and request fingerprint,
  so every retry of one request names the same batch. The header is put with the
  condition "absent" in the same transaction that debits the whole total (and, for
  asynchronous batches, completes the idempotency record with the 202 answer and
  writes the `pending` marker a worker looks for). That transaction is the only
  debit; a retry finds the header and resumes instead of debiting again.
- Gift codes and ids are HMACs of (batch id, index) under a key derived from the
  signing key named in the header, so a rewrite produces the same gift. Gifts are
  written in transactions of 100 puts, each conditioned on its code being absent:
  a resumed or concurrent writer never resets a gift that has since been redeemed
  or voided (BatchWriteItem cannot carry that condition).
- The input rows are stored first in `chunk#NNNNN` parts; they are identical on
  every retry and harmless if the reserve never happens.
- `issued` on the header only grows; a resume starts from it. Completion sets
  `completed_at` once (conditioned on `processing`) and deletes the marker.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import logging
import time
from datetime import datetime
from typing import Any, cast

import msgspec
from pynamodb.exceptions import PutError, UpdateError

from chalicelib import schemas
from chalicelib.bulk.intake import Row
from chalicelib.bulk.intake import parse_request as parse_request
from chalicelib.core import codes, errors, ids, vault
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import secrets, settings
from chalicelib.core.ids import ID_ALPHABET
from chalicelib.core.spreadsheet import spreadsheet_cell as _cell
from chalicelib.money import budget_shards, campaigns, gift_links, gifts, recipients, tallies
from chalicelib.store import idempotency, jobs
from chalicelib.store.jobs import PENDING
from chalicelib.store.keys import shard_key
from chalicelib.store.models import GiftModel, IdempotencyModel, ShardModel
from chalicelib.store.paging import chunks
from chalicelib.store.records import BatchModel
from chalicelib.store.retry import OPTIMISTIC, condition_failed
from chalicelib.store.transactions import Cancelled, Txn

log = logging.getLogger("rewards.batches")

HEADER = "header"
LABEL = "batch"
CHUNK_ROWS = 500
CHUNK_BYTES = 250_000  # sealed (base64: 4/3 of it), still well under DynamoDB's 400 KB
TXN_SIZE = 100  # TransactWriteItems' limit
SLICE = 200  # items written between two progress updates (whole transactions)
STALE_AFTER = 60  # seconds: an in-progress claim older than this may be taken over
STALE_UNRESERVED = 5  # the same, for a claim whose batch has not been reserved
EXPORT_COLUMNS = ("index", "reference", "amount", "currency", "code", "gift_id", "expires_at",
                  "phone", "email", "gift_url")


# ------------------------------------------------------------- derivation


def _base36(data: bytes, length: int = 22) -> str:
    base = len(ID_ALPHABET)
    number = int.from_bytes(data, "big") % (base ** length)
    out = []
    for _ in range(length):
        number, digit = divmod(number, base)
        out.append(ID_ALPHABET[digit])
    return "".join(reversed(out))


def batch_id_for(claim: idempotency.Claim) -> str:
    """Every retry of one request (same caller, key and body) names the same batch.
    Not keyed by the signing key on purpose: a key rotation between a crash and its
    retry must not turn the retry into a second batch."""
    digest = hashlib.sha256(b"rewards-batch\x00" + claim.pk.encode() + b"\x00"
                            + claim.fingerprint.encode()).digest()
    return f"{ids.BATCH}_" + _base36(digest)


def _secret(key_id: str) -> bytes:
    secret = secrets().signing_keys.get(key_id)
    if not secret:
        raise errors.ServiceUnavailable(f"Signing key {key_id!r} is not configured")
    return hmac.new(secret.encode(), b"batch-codes", hashlib.sha256).digest()


def derive(secret: bytes, batch_id: str, index: int) -> tuple[str, str]:
    """(code, gift id) of item `index`: reproducible, and unguessable without the key."""
    digest = hmac.new(secret, f"{batch_id}:{index}".encode(), hashlib.sha256).digest()
    ident = hmac.new(secret, f"gift-id:{batch_id}:{index}".encode(), hashlib.sha256).digest()
    return codes.generate_from_bytes(digest), "gft_" + _base36(ident)


def _gift(terms: campaigns.Terms, secret: bytes, batch_id: str, index: int, row: Row,
          at: datetime, lookup_kid: str | None = None) -> GiftModel:
    """`lookup_kid`: the lookup key the batch started with, so a resume after a key
    rotation finds (and never duplicates) the gifts already written."""
    code, gift_id = derive(secret, batch_id, index)
    shard = shard_key(terms.id, index % terms.shards)  # spread over the index keys
    return gifts.new_gift(terms, int(row["amount"]), at, shard_key=shard, code=code,
                          gift_id=gift_id, recipient=row.get("recipient"), batch_id=batch_id,
                          batch_index=index, lookup_kid=lookup_kid,
                          deliver_at=row.get("deliver_at"))


# ------------------------------------------------------------------ storage


def _header(batch_id: str) -> BatchModel | None:
    try:
        return BatchModel.get(batch_id, HEADER, consistent_read=True)
    except BatchModel.DoesNotExist:
        return None


def _chunk_rows(rows: list[Row]) -> list[list[Row]]:
    out: list[list[Row]] = [[]]
    size = 0
    for row in rows:
        width = len(json.dumps(row)) + 2
        if out[-1] and (len(out[-1]) >= CHUNK_ROWS or size + width > CHUNK_BYTES):
            out.append([])
            size = 0
        out[-1].append(row)
        size += width
    return out


def _put_chunks(batch_id: str, rows: list[Row]) -> int:
    parts = _chunk_rows(rows)
    for n, part in enumerate(parts):
        name = f"chunk#{n:05d}"  # recipients' contacts are in the rows: sealed
        BatchModel(id=batch_id, part=name,
                   rows=recipients.seal_rows(batch_id, name, part)).save()
    return len(parts)


def _drop_chunks(batch_id: str, n_chunks: int) -> None:
    for n in range(n_chunks):
        BatchModel(id=batch_id, part=f"chunk#{n:05d}").delete()


def _load_rows(header: BatchModel) -> list[Row]:
    parts = list(BatchModel.query(header.id, BatchModel.part.startswith("chunk#"),
                                  consistent_read=True))
    rows = [row for part in parts for row in recipients.rows_of(part)]
    if len(rows) != int(header.count):
        raise RuntimeError(f"batch {header.id}: {len(rows)} stored rows, expected "
                           f"{int(header.count)}")
    return rows


def _put_absent(models: list[GiftModel]) -> None:
    """Put up to 100 gifts in one transaction, each only where its code is absent.

    Why a condition and not a read: two writers of one batch can overlap (an SQS
    redelivery, the sweeper taking over a slow request), and a gift the other one
    wrote may have been redeemed or voided a moment later; an unconditional put
    would bring its balance back. The gifts already there come back as the
    cancellation's ALL_OLD items (no extra read); after checking they are this
    batch's own, the rest is put again. Conflicts and throttling are retried with
    backoff by the transaction itself."""
    todo = {m.code_hash: m for m in models}
    while todo:
        txn = Txn()
        for code, model in todo.items():
            txn.put(code, model, GiftModel.code_hash.does_not_exist())
        try:
            txn.commit()
            return
        except Cancelled as cancelled:
            for code in [c for c in todo if c in cancelled]:  # at least one: this ends
                old, mine = cancelled.old(code, GiftModel), todo.pop(code)
                if old is not None and (old.batch_id != mine.batch_id
                                        or old.batch_index != mine.batch_index):
                    raise RuntimeError(
                        f"code collision in batch {mine.batch_id} at {mine.batch_index}"
                    ) from None


def _write_missing(models: list[GiftModel]) -> None:
    for group in chunks(models, TXN_SIZE):
        _put_absent(group)


def _advance(batch_id: str, issued: int) -> None:
    try:
        BatchModel(id=batch_id, part=HEADER).update(
            actions=[BatchModel.issued.set(issued)],
            condition=BatchModel.id.exists() & (BatchModel.issued < issued))
    except UpdateError as exc:
        if not condition_failed(exc):
            raise


def _finish(batch_id: str, count: int) -> None:
    try:
        BatchModel(id=batch_id, part=HEADER).update(
            actions=[BatchModel.status.set("completed"), BatchModel.issued.set(count),
                     BatchModel.completed_at.set(iso(utcnow()))],
            condition=BatchModel.status == "processing")
    except UpdateError as exc:
        if not condition_failed(exc):
            raise


def _drop_marker(batch_id: str) -> None:
    BatchModel(id=PENDING, part=batch_id).delete()


# ------------------------------------------------------------------ creating


def to_out(h: BatchModel) -> schemas.Batch:
    return schemas.Batch(id=h.id, status=cast(schemas.BatchStatus, h.status),
                         campaign_id=h.campaign_id, count=int(h.count),
                         total_amount=int(h.total_amount),
                         issued=int(h.issued or 0), created_at=h.created_at,
                         completed_at=h.completed_at)


def _is_async(count: int) -> bool:
    return count > settings().sync_batch_max_items


def _begin(claim: idempotency.Claim) -> None:
    """Claim the key; a claim left in progress by a crashed request may be taken over
    once stale (the deterministic batch id makes that safe)."""
    try:
        idempotency.begin(claim)
        return
    except errors.IdempotencyInProgress:
        pass
    try:
        record = IdempotencyModel.get(claim.pk, consistent_read=True)
    except IdempotencyModel.DoesNotExist:
        record = None
    if record is None or record.state != "in_progress":
        idempotency.from_record(claim, record)  # replay / reused / retry
    age = (claim.now - parse_iso(record.created_at)).total_seconds()
    # a claim with nothing reserved behind it (its request died, or its answer was
    # lost before the reserve) is taken over sooner: the batch id is derived from
    # the request, so two takers reserve at most once and write the same gifts
    stale = STALE_AFTER if _header(batch_id_for(claim)) is not None else STALE_UNRESERVED
    if age < stale:
        raise errors.IdempotencyInProgress(
            "A request with this Idempotency-Key is still running; retry shortly",
            headers={"Retry-After": str(max(1, int(stale - age)))})
    try:
        claim.record(0, "", {}, state="in_progress").save(
            condition=(IdempotencyModel.state == "in_progress")
            & (IdempotencyModel.created_at == record.created_at))
    except PutError as exc:
        if not condition_failed(exc):
            raise
        raise errors.IdempotencyInProgress(
            "A request with this Idempotency-Key is still running; retry shortly",
            headers={"Retry-After": "1"}) from None


def _reserve(terms: campaigns.Terms, partner_id: str, batch_id: str, rows: list[Row],
             claim: idempotency.Claim, at: datetime) -> tuple[BatchModel, bool]:
    """One transaction: debit the whole total, put the header and the pending marker
    (and, for async batches, the completed 202 idempotency record)."""
    count = len(rows)
    total = sum(int(r["amount"]) for r in rows)
    n_chunks = _put_chunks(batch_id, rows)
    header = BatchModel(
        id=batch_id, part=HEADER, partner_id=partner_id, campaign_id=terms.id,
        status="processing", count=count, total_amount=total, issued=0, created_at=iso(at),
        idempotency_pk=claim.pk,
        items={"key_id": secrets().current_key_id, "chunks": n_chunks,
               "lookup_key_id": vault.current_lookup_kid(),
               # the gifts' expiry: when the rows' contacts start their retention
               "expires_at": gifts.expiry(terms, at)[0]})
    secret = _secret(secrets().current_key_id)
    models = [_gift(terms, secret, batch_id, i, r, at) for i, r in enumerate(rows)]
    key = budget_shards.pick(terms.id, terms.shards)
    hour, seen = tallies.hour_of(at, terms.timezone), None
    for _ in OPTIMISTIC:
        txn = Txn()
        counted = tallies.fold(txn, ShardModel, key, hour,  # insights: the hour's counts
                               tallies.issue_counts(count, total), seen)
        budget_shards.charge(txn, partner_id, key, budget_shards.Charge(
            total, actions=counted.actions, when=counted.condition), at)
        gifts.count_issued(txn, key, models)
        txn.put(LABEL, header, BatchModel.id.does_not_exist())
        txn.put("pending", BatchModel(id=PENDING, part=batch_id, partner_id=partner_id,
                                      campaign_id=terms.id, count=count, created_at=iso(at),
                                      status="async" if _is_async(count) else "sync"))
        if _is_async(count):
            txn.put(idempotency.LABEL,
                    claim.record(202, schemas.encode(to_out(header)).decode()),
                    (IdempotencyModel.state == "in_progress") & claim.same_request())
        try:
            txn.commit()
            return header, True
        except Cancelled as cancelled:
            existing = _header(batch_id)
            if existing is not None:
                return existing, False  # an earlier attempt reserved it: never debit twice
            again = tallies.refused(cancelled, budget_shards.LABEL, ShardModel, hour, seen)
            if again is not None:  # a new hour on the shard: roll it, and reserve again
                seen = again
                continue
            try:
                gifts.charge_or_refill(cancelled, terms, partner_id, key, total, at)
            except budget_shards.Shortfall as shortfall:
                _drop_chunks(batch_id, n_chunks)  # refused for good: keep no rows behind
                raise gifts.exhausted(shortfall, total) from None
            except errors.DomainError:
                _drop_chunks(batch_id, n_chunks)
                raise
            except Cancelled:
                break
    raise OPTIMISTIC.exhausted("The campaign's budget")


def create(partner_id: str, campaign_id: str, items: list[Row], claim: idempotency.Claim,
           now: datetime) -> tuple[int, schemas.Batch]:
    """Reserve the whole batch, then issue it now (small) or in the background (large)."""
    if not 1 <= len(items) <= schemas.MAX_BATCH_ITEMS:
        raise errors.field_error("items", f"send 1 to {schemas.MAX_BATCH_ITEMS} items")
    terms = campaigns.terms(partner_id, campaign_id)
    at = parse_iso(iso(now))  # the second every gift of the batch is issued at
    for i, row in enumerate(items):
        if row.get("deliver_at"):
            gifts.deliver_at_of(row["deliver_at"], now, f"items[{i}].deliver_at")
    batch_id = batch_id_for(claim)
    _begin(claim)
    try:
        header, fresh = _header(batch_id), False
        if header is None:
            header, fresh = _reserve(terms, partner_id, batch_id, items, claim, at)
    except Exception:
        # Nothing was debited (or, if the outcome is unknown, the header's condition
        # stops a second debit on retry): free the key; business errors are then
        # remembered by the idempotent-route wrapper.
        try:
            idempotency.release(claim)
        except Exception:  # noqa: BLE001 - the original error matters more
            log.exception("could not release the claim of batch %s", batch_id)
        raise
    if _is_async(int(header.count)):
        out = to_out(header)
        if not fresh:  # an earlier attempt reserved it (and crashed): answer for it now
            idempotency.complete(claim, 202, schemas.encode(out).decode())
        jobs.enqueue(JOB, batch_id)
        return 202, out
    try:
        final = process(batch_id) or header
    except Exception:  # noqa: BLE001 - reserved already: the worker finishes it
        log.exception("batch %s: finishing in the background", batch_id)
        current = _header(batch_id) or header
        out = to_out(current)
        idempotency.complete(claim, 202, schemas.encode(out).decode())
        return 202, out
    out = to_out(final)
    idempotency.complete(claim, 201, schemas.encode(out).decode())
    return 201, out


# ---------------------------------------------------------------- processing


def process(batch_id: str, deadline: float | None = None) -> BatchModel | None:
    """Write the batch's missing gifts from its progress mark and complete it.
    Idempotent and resumable; stops early (still processing) past `deadline`
    (a time.monotonic() value)."""
    header = _header(batch_id)
    if header is None:
        _drop_marker(batch_id)
        return None
    if header.status == "completed":
        _drop_marker(batch_id)
        return header
    meta = header.items or {}
    terms = campaigns.terms(header.partner_id, header.campaign_id)
    secret = _secret(meta.get("key_id", ""))
    rows = _load_rows(header)
    at = parse_iso(header.created_at)
    count = int(header.count)
    start = int(header.issued or 0)
    for lo in range(start - start % SLICE, count, SLICE):
        if deadline is not None and time.monotonic() >= deadline:
            return header
        hi = min(lo + SLICE, count)
        _write_missing([_gift(terms, secret, batch_id, i, rows[i], at,
                              meta.get("lookup_key_id")) for i in range(lo, hi)])
        _advance(batch_id, hi)
    _finish(batch_id, count)
    _drop_marker(batch_id)
    return _header(batch_id)


def _sync_and_young(marker: BatchModel, age: float) -> bool:
    """A synchronous batch is left to its request unless that looks dead."""
    return marker.status == "sync" and age < STALE_AFTER


JOB = jobs.Job(field="batch_id", model=BatchModel, process=process,
               finished=lambda header: header.status == "completed",
               not_yet=_sync_and_young)


# ------------------------------------------------------------------- reading


def get(partner_id: str, batch_id: str) -> BatchModel:
    """Another partner's batch is indistinguishable from a missing one."""
    if not batch_id.startswith(f"{ids.BATCH}_") or len(batch_id) > 64:
        raise errors.NotFound(f"No batch {batch_id[:64]}")
    header = _header(batch_id)
    if header is None or header.partner_id != partner_id:
        raise errors.NotFound(f"No batch {batch_id}")
    return header


def _batch_gift(g: GiftModel, now: datetime, code: str) -> schemas.BatchGift:
    out = gifts.to_out(g, now, code=code)
    return schemas.BatchGift(**msgspec.structs.asdict(out), index=int(g.batch_index))


def gifts_page(partner_id: str, batch_id: str, limit: int, cursor: dict[str, Any] | None,
               now: datetime) -> tuple[list[schemas.BatchGift], dict[str, Any] | None]:
    """Item order, found without an index: a batch's codes derive from its id and
    the item's position, so a page is one BatchGetItem of the codes it covers. (An
    index keyed by batch would take every write of a batch, and every later
    redemption of its gifts, on one key.)"""
    header = get(partner_id, batch_id)
    start = _index_cursor(cursor)
    terms = campaigns.terms(partner_id, header.campaign_id)
    secret = _secret((header.items or {}).get("key_id", ""))
    count = int(header.count)
    indices = range(start, min(start + limit, count))
    plain = {i: codes.normalize(derive(secret, batch_id, i)[0]) for i in indices}
    keys = [key for i in indices for key in vault.code_hashes(plain[i])]
    found = {int(g.batch_index): g for g in GiftModel.batch_get(keys, consistent_read=True)
             if g.batch_id == batch_id and g.campaign_id == terms.id}
    items = [_batch_gift(found[i], now, plain[i]) for i in indices if i in found]
    end = start + len(indices)
    return items, ({"index": end} if end < count else None)


def _index_cursor(cursor: dict[str, Any] | None) -> int:
    if cursor is None:
        return 0
    index = cursor.get("index") if isinstance(cursor, dict) and len(cursor) == 1 else None
    if not isinstance(index, int) or isinstance(index, bool) or not \
            0 <= index <= schemas.MAX_BATCH_ITEMS:
        raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned")
    return index


def csv_export(partner_id: str, batch_id: str) -> str:
    """The completed batch as CSV, in item order.

    Every column is fixed at issue (codes and ids are derived, the expiry follows the
    batch's issue second), so the export is rebuilt from the stored input rows: one
    consistent Query of a few chunks instead of paging an eventually consistent index
    of up to 10,000 gifts (which could still lag behind the completed header). So is
    `gift_url`: the link each gift was issued with (a link replaced since, by a
    rotation, is in the gift's own answers; the one here then answers 404)."""
    header = get(partner_id, batch_id)
    if header.status != "completed":
        raise errors.BatchProcessing(f"The batch has issued {int(header.issued or 0)} of "
                              f"{int(header.count)} gifts; export it once completed")
    terms = campaigns.terms(partner_id, header.campaign_id)
    secret = _secret((header.items or {}).get("key_id", ""))
    expires_at, _ = gifts.expiry(terms, parse_iso(header.created_at))
    kid = (header.items or {}).get("lookup_key_id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for index, row in enumerate(_load_rows(header)):
        code, gift_id = derive(secret, batch_id, index)
        recipient = row.get("recipient") or {}
        writer.writerow([index, _cell(recipient.get("reference")), int(row["amount"]),
                         terms.currency, code, gift_id, expires_at,
                         recipient.get("phone") or "", _cell(recipient.get("email")),
                         gift_links.url_for(GiftModel(
                             code_hash=vault.code_hash(codes.normalize(code), kid)))])
    return out.getvalue()
