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

Why records stay under 1 KB (`RECORD_LIMIT`): the record is one item of the money
move's transaction, billed 2 write units per started KB. So the answer is deflated
and sealed as Binary (`vault.seal_compact`), default headers are not stored, a
completed record drops what only a running claim needs, and an answer that still
does not fit leaves out parts a replay can read again from their own item (a gift's
recipient and metadata, a campaign's wheel: `Rederive`), at the cost of one read on
that replay only. A part that may change after the answer (a gift's link, which a
rotation replaces: `Rederive.fresh`) is left out of every record, and a replay shows
it as it is then. Records written before (the sealed text in `body`) still replay.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple, NoReturn

from msgspec import Struct, field
from pynamodb.exceptions import PutError

from chalicelib.core import errors, vault
from chalicelib.core.config import settings
from chalicelib.store.models import IdempotencyModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.sizes import item_size
from chalicelib.store.transactions import Cancelled, Txn

LABEL = "idempotency"
RECORD_LIMIT = 1000
"""Bytes a record stays under (a transactional write of up to 1,024 costs 2 units);
the margin covers the size rule's rounding of numbers."""
DEFAULT_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
"""The headers of an answer stored without any (`headers` None)."""
log = logging.getLogger(__name__)


class Rederive(NamedTuple):
    """Parts of an answer that a replay can read again instead of storing them:
    `source` names a reader registered with `rederives`, `key` the item it reads,
    `parts` each part's JSON text by its member name, exactly as in the answer. Only
    immutable parts qualify: the replay must give the answer the first request got."""

    source: str
    key: str
    parts: dict[str, str]
    fresh: tuple[str, ...] = ()
    """Parts left out of every record, whatever its size: they may change after the
    answer (a gift's link), and a replay shows them as they are then."""


Reader = Callable[[str], dict[str, str]]
_READERS: dict[str, Reader] = {}
"""source -> reader: a key to the parts (as in `Rederive.parts`; {} when the item is gone)."""


def rederives(source: str) -> Callable[[Reader], Reader]:
    """Register the reader of `source` (the module that owns the item registers it:
    this layer cannot import it)."""

    def register(reader: Reader) -> Reader:
        _READERS[source] = reader
        return reader

    return register


def size(record: IdempotencyModel) -> int:
    """The record's size as DynamoDB bills it."""
    return item_size(record.serialize())


def _hole(name: str) -> str:
    """Where a part was left out: JSON text never holds a raw NUL, so it is unambiguous."""
    return f"\x00{name}\x00"


def _leave_out(body: str, again: Rederive, only: tuple[str, ...] | None = None) -> str:
    """The body with each part (of `only`, when given) that occurs exactly once
    replaced by its hole."""
    for name, text in again.parts.items():
        if only is not None and name not in only:
            continue
        member = f'"{name}":{text}'
        if body.count(member) == 1:
            body = body.replace(member, f'"{name}":{_hole(name)}')
    return body


def _fill(body: str, ref: str) -> str:
    source, _, key = ref.partition(":")
    reader = _READERS.get(source)
    parts = reader(key) if reader is not None else {}
    for name, text in parts.items():
        body = body.replace(_hole(name), text)
    if "\x00" in body:
        raise errors.ServiceUnavailable("A stored answer could not be read again; retry")
    return body


class Replay(Exception):
    """Carries the stored response of an earlier request with the same key."""

    def __init__(self, status: int, body: str, headers: dict[str, str] | None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


class Claim(Struct, frozen=True):
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
               state: str = "completed", again: Rederive | None = None) -> IdempotencyModel:
        """`again`: what a replay could read the answer's large parts from, used only
        when the record would not fit under RECORD_LIMIT otherwise."""
        running = state != "completed"
        ref = None
        if body and again is not None and again.fresh:
            shorter = _leave_out(body, again, again.fresh)
            if shorter != body:
                body, ref = shorter, f"{again.source}:{again.key}"
        item = IdempotencyModel(
            pk=self.pk, f=bytes.fromhex(self.fingerprint), state=state,
            owner=self.owner if running else None, status_code=status,
            b=vault.seal_compact(body, self.pk) if body else None, r=ref,
            headers=headers if headers and headers != DEFAULT_HEADERS else None,
            created_at=self.now.strftime("%Y-%m-%dT%H:%M:%SZ") if running else None,
            expires_at=self.expires)
        n = size(item)
        if n >= RECORD_LIMIT and body and again is not None and again.parts:
            shorter = _leave_out(body, again)
            if shorter != body:
                item.b = vault.seal_compact(shorter, self.pk)
                item.r = f"{again.source}:{again.key}"
                n = size(item)
        if n >= RECORD_LIMIT:  # the write still works, at twice the units
            log.warning("idempotency record of %d bytes (status %s)", n, status)
        return item

    def same_request(self) -> Any:
        """A condition: the stored record is this request's (same fingerprint)."""
        return IdempotencyModel.f == bytes.fromhex(self.fingerprint)

    def add_to(self, txn: Txn, status: int, body: str, headers: dict[str, str] | None = None,
               again: Rederive | None = None) -> None:
        txn.put(LABEL, self.record(status, body, headers, again=again), self.condition())


def _canonical(raw: bytes, content_type: str) -> bytes:
    if content_type in ("", "application/json"):
        try:
            return json.dumps(json.loads(raw or b"{}"), sort_keys=True,
                              separators=(",", ":")).encode()
        except (ValueError, RecursionError):
            return raw
    return raw


# ------------------------------------------------------------------ record keys


class PlayerScope(Struct, frozen=True):
    """A player's requests (spins): keys are scoped to one player of one campaign.
    `player` is the key the campaign keeps the player under (`campaigns.player_key_of`:
    a keyed hash; on a campaign made before issue 21 the id itself, `hashed` False)."""

    partner_id: str
    campaign_id: str
    player: str
    hashed: bool


Scope = str | PlayerScope
"""A partner id, `admin`, or a player (auth.idempotency_scope, edge.http)."""
PLAYER_MARK = "\x1f"
"""After `<partner>#`, what starts a player's record key: a key is printable ASCII,
so no partner's record key has it there."""


def _parts(*parts: str) -> str:
    return "".join(f"{len(p)}:{p}" for p in parts)


def record_key(scope: Scope, key: str) -> str:
    """The idempotency record's key of `key` in `scope`, without ambiguity: no two
    different (scope, key) pairs share one, whatever characters ids and keys hold.

    - a partner (`ptn_…`, no `#`) or the operator: `<scope>#<key>`, as always;
    - a player: `<partner>#\\x1f`, the campaign and the player as length-prefixed
      parts, then `#` and the key. Before issue 21 it was `<partner>#<campaign>#<player>#<key>`,
      so player `bob` with key `k#K` met player `bob#k` with key `K` (finding 2).
      The player part is a keyed hash, so no record key shows a player id."""
    if isinstance(scope, PlayerScope):
        flag = "h" if scope.hashed else "c"
        return (f"{scope.partner_id}#{PLAYER_MARK}"
                + _parts(scope.campaign_id, flag + scope.player) + "#" + key)
    return f"{scope}#{key}"


def legacy_key(scope: Scope, key: str) -> tuple[str, bool] | None:
    """Where a record of this player request was kept before issue 21, and whether that
    place is this request's alone. Only campaigns made before then (`hashed` False)
    can have such records, for their 24 hours: a retry across the deploy must find
    its answer there, never run again. The old key is this request's alone when
    neither the player id nor the key holds `#` (the key then splits one way only)."""
    if not isinstance(scope, PlayerScope) or scope.hashed:
        return None
    old = f"{scope.partner_id}#{scope.campaign_id}#{scope.player}#{key}"
    return old, "#" not in scope.player and "#" not in key


MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[\x20-\x7E]+$"
"""A key is 1..MAX_KEY_LENGTH printable ASCII characters (fits a header, a UUID, a
partner's own order id); the OpenAPI document publishes this same rule."""
KEY_RULE = f"1..{MAX_KEY_LENGTH} printable ASCII characters"
_KEY = re.compile(rf"[\x20-\x7E]{{1,{MAX_KEY_LENGTH}}}")


def claim(key: str | None, scope: Scope, method: str, path: str, params: dict[str, str],
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
    made = Claim(pk=record_key(scope, key), fingerprint=digest.hexdigest(), now=now)
    old = legacy_key(scope, key)
    if old is not None and settings().idempotency_legacy_player_keys:
        _replay_legacy(made, *old)
    return made


def _replay_legacy(made: Claim, old_pk: str, own: bool) -> None:
    """A record kept under a player's pre-issue-21 key, still within its 24 hours:
    replayed (or 409/422) when that key was this request's alone; when it may be
    another player's (a `#` in the id or the key), refused without showing it (422,
    use a new key), since running again could be a second effect. One GetItem, for
    player requests on campaigns made before issue 21 only, while
    IDEMPOTENCY_LEGACY_PLAYER_KEYS is on (turn it off a day after the deploy)."""
    try:
        record = IdempotencyModel.get(old_pk, consistent_read=True)
    except IdempotencyModel.DoesNotExist:
        return
    if record.expires_at < made.now:
        return
    if not own:
        raise errors.IdempotencyKeyReused(
            "This Idempotency-Key may already have been used; use a new key")
    from_record(Claim(pk=old_pk, fingerprint=made.fingerprint, now=made.now), record)


def from_record(claim: Claim, record: IdempotencyModel | None) -> NoReturn:
    if record is None:
        raise errors.ServiceUnavailable("The request conflicted with a concurrent one; retry")
    if _fingerprint(record) != claim.fingerprint:
        raise errors.IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request; use a new key")
    if record.state != "completed":
        raise errors.IdempotencyInProgress(
            "A request with this Idempotency-Key is still running; retry shortly",
            headers={"Retry-After": "1"})
    raise Replay(int(record.status_code or 200), _answer(claim, record),
                 record.headers or DEFAULT_HEADERS)


def _fingerprint(record: IdempotencyModel) -> str | None:
    return record.f.hex() if record.f else record.fingerprint


def _answer(claim: Claim, record: IdempotencyModel) -> str:
    if record.b:
        body = vault.open_compact(record.b, claim.pk)
        return _fill(body, record.r) if record.r else body
    # a record written before issue 26: the sealed text (and the fingerprint) in hex
    return vault.open_sealed(record.body, claim.pk) if record.body else ""


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
                and _fingerprint(record) == claim.fingerprint:
            return
        from_record(claim, record)


def complete(claim: Claim, status: int, body: str,
             headers: dict[str, str] | None = None) -> None:
    claim.record(status, body, headers).save()


def release(claim: Claim) -> None:
    """Forget an in-progress claim whose effect failed before writing anything."""
    IdempotencyModel(pk=claim.pk).delete(condition=IdempotencyModel.state == "in_progress")
