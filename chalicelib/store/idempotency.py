"""The idempotency record protocol.

Why inside the transaction: a record written around the effect (before and
after, as Powertools does) leaves a window where the effect happened and the
record says otherwise. Here the record, already holding the response, is one
more item of the effect's own TransactWriteItems, with the condition "absent or
expired"; a retry's transaction is cancelled on that item and DynamoDB hands the
stored record back (ALL_OLD), so a replay costs no extra read.

Outcomes decided after the request was accepted (budget exhausted, gift
expired...) are remembered too, as Stripe does: the same key always gets the
same answer. Requests rejected before execution (validation, auth) are not.
Multi-step effects (batches) use `begin`/`complete` with an in-progress state.
Stored answers may hold gift codes, so their bodies are sealed (`vault`), bound
to the record's key.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NoReturn

from pynamodb.exceptions import PutError

from chalicelib.core import errors, vault
from chalicelib.core.config import settings
from chalicelib.store.models import IdempotencyModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.transactions import Cancelled, Txn

LABEL = "idempotency"


class Replay(Exception):
    """Carries the stored response of an earlier request with the same key."""

    def __init__(self, status: int, body: str, headers: dict[str, str] | None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Claim:
    pk: str
    fingerprint: str
    now: datetime
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    """This request: a record it wrote itself (its answer lost, the SDK retrying)
    is its own, not a concurrent duplicate."""

    @property
    def expires(self) -> datetime:
        return self.now + timedelta(hours=settings().idempotency_ttl_hours)

    def condition(self) -> Any:
        return IdempotencyModel.pk.does_not_exist() | (
            IdempotencyModel.expires_at < self.now)

    def record(self, status: int, body: str, headers: dict[str, str] | None = None,
               state: str = "completed") -> IdempotencyModel:
        return IdempotencyModel(
            pk=self.pk, fingerprint=self.fingerprint, state=state, owner=self.owner,
            status_code=status,
            body=vault.seal(body, self.pk) if body else body,
            headers=headers or {"Content-Type": "application/json; charset=utf-8"},
            created_at=self.now.strftime("%Y-%m-%dT%H:%M:%SZ"), expires_at=self.expires)

    def add_to(self, txn: Txn, status: int, body: str,
               headers: dict[str, str] | None = None) -> None:
        txn.put(LABEL, self.record(status, body, headers), self.condition())


def _canonical(raw: bytes, content_type: str) -> bytes:
    if content_type in ("", "application/json"):
        try:
            return json.dumps(json.loads(raw or b"{}"), sort_keys=True,
                              separators=(",", ":")).encode()
        except (ValueError, RecursionError):
            return raw
    return raw


MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[\x20-\x7E]+$"
"""A key is 1..MAX_KEY_LENGTH printable ASCII characters (fits a header, a UUID, a
partner's own order id); the OpenAPI document publishes this same rule."""
KEY_RULE = f"1..{MAX_KEY_LENGTH} printable ASCII characters"
_KEY = re.compile(rf"[\x20-\x7E]{{1,{MAX_KEY_LENGTH}}}")


def claim(key: str | None, scope: str, method: str, path: str, params: dict[str, str],
          raw: bytes, content_type: str, now: datetime) -> Claim:
    if key is None or key == "":
        raise errors.IdempotencyKeyRequired(
            f"Send an Idempotency-Key header ({KEY_RULE}), e.g. a UUID")
    if not _KEY.fullmatch(key):
        raise errors.InvalidIdempotencyKey(f"The Idempotency-Key must be {KEY_RULE}")
    concrete = path
    for name, value in params.items():
        concrete = concrete.replace("{" + name + "}", value)
    digest = hashlib.sha256()
    for part in (method.encode(), concrete.encode(), content_type.encode(),
                 _canonical(raw, content_type)):
        digest.update(part)
        digest.update(b"\x00")
    return Claim(pk=f"{scope}#{key}", fingerprint=digest.hexdigest(), now=now)


def from_record(claim: Claim, record: IdempotencyModel | None) -> NoReturn:
    if record is None:
        raise errors.ServiceUnavailable("The request conflicted with a concurrent one; retry")
    if record.fingerprint != claim.fingerprint:
        raise errors.IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request; use a new key")
    if record.state != "completed":
        raise errors.IdempotencyInProgress(
            "A request with this Idempotency-Key is still running; retry shortly",
            headers={"Retry-After": "1"})
    body = vault.open_sealed(record.body, claim.pk) if record.body else ""
    raise Replay(int(record.status_code or 200), body, record.headers)


def commit(txn: Txn, claim: Claim | None) -> None:
    """Commit a transaction that carries the claim's record; a cancelled record
    becomes a replay (or 422/409) and other cancellations go back to the caller."""
    try:
        txn.commit()
    except Cancelled as cancelled:
        if claim is not None and LABEL in cancelled:
            from_record(claim, cancelled.old(LABEL, IdempotencyModel))
        raise


def remember(claim: Claim, status: int, body: str, headers: dict[str, str]) -> None:
    """Store an outcome decided outside a transaction (a business error)."""
    try:
        claim.record(status, body, headers).save(condition=claim.condition())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        from_record(claim, IdempotencyModel.get(claim.pk, consistent_read=True))


def begin(claim: Claim) -> None:
    """Mark a multi-step effect as running; a concurrent duplicate gets 409. A
    record this very request wrote (the SDK retried a put whose answer was lost)
    is no duplicate: the request goes on."""
    try:
        claim.record(0, "", {}, state="in_progress").save(condition=claim.condition())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        record = IdempotencyModel.get(claim.pk, consistent_read=True)
        if record.state == "in_progress" and record.owner == claim.owner \
                and record.fingerprint == claim.fingerprint:
            return
        from_record(claim, record)


def complete(claim: Claim, status: int, body: str,
             headers: dict[str, str] | None = None) -> None:
    claim.record(status, body, headers).save()


def release(claim: Claim) -> None:
    """Forget an in-progress claim whose effect failed before writing anything."""
    IdempotencyModel(pk=claim.pk).delete(condition=IdempotencyModel.state == "in_progress")
