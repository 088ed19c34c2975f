"""Every table, key and index, and the one transaction helper.

Access patterns (each is one GetItem, one Query or one transaction; no Scan on a
request path):
- API key by id (the id is embedded in the secret) -> ApiKey.get
- campaign by id; campaigns of a partner, newest first -> Campaign / by_partner
- gift by code (the code is the key: lookup, redeem, void); gifts of a campaign,
  of a batch (in item order) and of a player -> Gift / by_campaign, by_batch, by_player
- redemptions of a gift -> Redemption (hash = gift code)
- idempotency record by caller scope + key -> Idempotency
- spins of a campaign (for the fairness verifier) -> Spin; a player's counters -> Player
- batch header and its stored input chunks -> Batch (hash = batch id, range = part)

Report counters live on the campaign item, updated in the same transactions as
the budget, so a report is one GetItem whatever the campaign's size.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from . import errors
from .config import settings

# --------------------------------------------------------------------------- models


class PartnerModel(Model):
    class Meta:
        table_name = "partners"

    id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()


class ApiKeyModel(Model):
    class Meta:
        table_name = "api-keys"

    id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    scopes = ListAttribute(of=UnicodeAttribute)
    label = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)


class CampaignsByPartner(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_partner"
        projection = AllProjection()

    partner_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class CampaignModel(Model):
    class Meta:
        table_name = "campaigns"

    id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    created_key = UnicodeAttribute()  # created_at#id: newest-first listing, unique
    name = UnicodeAttribute()
    status = UnicodeAttribute()  # active | paused | ended (scheduled is derived)
    currency = UnicodeAttribute()
    timezone = UnicodeAttribute()
    budget_total = NumberAttribute()
    budget_spent = NumberAttribute()
    budget_remaining = NumberAttribute()
    starts_at = UnicodeAttribute()
    ends_at = UnicodeAttribute()
    gift_expiry_days = NumberAttribute()
    wheel = JSONAttribute(null=True)
    inventory = MapAttribute(null=True)  # segment id -> units left (segments with stock only)
    seed_commitment = UnicodeAttribute()
    server_seed = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # report counters, kept by every write path
    issued_count = NumberAttribute(default=0)
    issued_amount = NumberAttribute(default=0)
    redeemed_count = NumberAttribute(default=0)
    redeemed_amount = NumberAttribute(default=0)
    voided_count = NumberAttribute(default=0)
    voided_amount = NumberAttribute(default=0)
    # outstanding (unredeemed, unvoided) gifts by the local date they expire on
    open_count = MapAttribute(default=dict)
    open_amount = MapAttribute(default=dict)
    spins_count = NumberAttribute(default=0)
    spins_wins = NumberAttribute(default=0)
    spins_by_segment = MapAttribute(default=dict)

    by_partner = CampaignsByPartner()


class GiftsByCampaign(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_campaign"
        projection = AllProjection()

    campaign_id = UnicodeAttribute(hash_key=True)
    issued_key = UnicodeAttribute(range_key=True)


class GiftsByBatch(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_batch"
        projection = AllProjection()

    batch_id = UnicodeAttribute(hash_key=True)
    batch_index = NumberAttribute(range_key=True)


class GiftsByPlayer(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_player"
        projection = AllProjection()

    player_key = UnicodeAttribute(hash_key=True)
    issued_key = UnicodeAttribute(range_key=True)


class GiftModel(Model):
    class Meta:
        table_name = "gifts"

    code = UnicodeAttribute(hash_key=True)  # canonical, no hyphens
    id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute()
    amount = NumberAttribute()
    balance = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()  # active | redeemed | voided (expired is derived)
    issued_at = UnicodeAttribute()
    issued_key = UnicodeAttribute()  # issued_at#id
    expires_at = UnicodeAttribute()
    expiry_day = UnicodeAttribute()  # local date key of open_count/open_amount
    recipient = JSONAttribute(null=True)
    metadata = JSONAttribute(null=True)
    voided_at = UnicodeAttribute(null=True)
    batch_id = UnicodeAttribute(null=True)
    batch_index = NumberAttribute(null=True)
    reference = UnicodeAttribute(null=True)
    player_key = UnicodeAttribute(null=True)  # campaign_id#player_id for won gifts
    spin_id = UnicodeAttribute(null=True)

    by_campaign = GiftsByCampaign()
    by_batch = GiftsByBatch()
    by_player = GiftsByPlayer()


class RedemptionModel(Model):
    class Meta:
        table_name = "redemptions"

    gift_code = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)  # amount redeemed before, 13 digits#id
    id = UnicodeAttribute()
    amount = NumberAttribute()
    location = UnicodeAttribute(null=True)
    redeemed_at = UnicodeAttribute()


class IdempotencyModel(Model):
    class Meta:
        table_name = "idempotency"

    pk = UnicodeAttribute(hash_key=True)  # scope#key
    fingerprint = UnicodeAttribute()
    state = UnicodeAttribute()  # in_progress | completed
    status_code = NumberAttribute(null=True)
    body = UnicodeAttribute(null=True)
    headers = JSONAttribute(null=True)
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()


class SpinModel(Model):
    class Meta:
        table_name = "spins"

    campaign_id = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)  # spun_at#id
    id = UnicodeAttribute()
    player_id = UnicodeAttribute()
    segment_id = UnicodeAttribute()
    drawn_segment_id = UnicodeAttribute()
    fallback = NumberAttribute(default=0)
    client_seed = UnicodeAttribute()
    nonce = NumberAttribute()
    roll = NumberAttribute()
    total_weight = NumberAttribute()
    prize_amount = NumberAttribute(null=True)
    gift_code = UnicodeAttribute(null=True)
    spun_at = UnicodeAttribute()


class PlayerModel(Model):
    class Meta:
        table_name = "players"

    pk = UnicodeAttribute(hash_key=True)  # campaign_id#player_id
    spins = NumberAttribute(default=0)
    day = UnicodeAttribute(null=True)
    day_spins = NumberAttribute(default=0)


class BatchModel(Model):
    class Meta:
        table_name = "batches"

    id = UnicodeAttribute(hash_key=True)
    part = UnicodeAttribute(range_key=True)  # "header" or "chunk#00000"
    partner_id = UnicodeAttribute(null=True)
    campaign_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    count = NumberAttribute(null=True)
    total_amount = NumberAttribute(null=True)
    issued = NumberAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    completed_at = UnicodeAttribute(null=True)
    idempotency_pk = UnicodeAttribute(null=True)
    items = JSONAttribute(null=True)


MODELS: tuple[type[Model], ...] = (
    PartnerModel, ApiKeyModel, CampaignModel, GiftModel, RedemptionModel,
    IdempotencyModel, SpinModel, PlayerModel, BatchModel,
)

_BASE_NAMES = {m: m.Meta.table_name for m in MODELS}


def bind() -> None:
    """Point every model at the configured tables and endpoint.

    Why a function: table names and the endpoint differ between pytest, the local
    emulator and AWS; models must follow the current settings, not import-time ones.
    """
    cfg = settings()
    global _connection
    _connection = None
    for model in MODELS:
        model.Meta.table_name = cfg.table(_BASE_NAMES[model])
        model.Meta.host = cfg.dynamodb_endpoint
        model.Meta.region = cfg.region
        model.Meta.max_retry_attempts = 3
        model._connection = None


def create_tables() -> list[str]:
    """Create missing tables (on-demand billing); return the names created."""
    created = []
    for model in MODELS:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            created.append(model.Meta.table_name)
    return created


_connection: Connection | None = None


def connection() -> Connection:
    global _connection
    if _connection is None:
        cfg = settings()
        _connection = Connection(region=cfg.region, host=cfg.dynamodb_endpoint,
                                 max_retry_attempts=3)
    return _connection


# --------------------------------------------------------------------- transactions


@dataclass
class Cancelled(Exception):
    """A transaction was cancelled by conditions; `failed` maps op label -> old item."""

    failed: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def __contains__(self, label: str) -> bool:
        return label in self.failed

    def old(self, label: str, model: type[Model]) -> Model | None:
        raw = self.failed.get(label)
        return model.from_raw_data(raw) if raw else None


class Txn:
    """One TransactWriteItems call with labelled operations.

    Why labels: PynamoDB sends checks, deletes, puts and updates grouped in that
    order, so cancellation reasons come back in that order, not ours. Each
    conditional op asks for ALL_OLD on failure so callers learn *why* without a read.
    """

    _ORDER = ("check", "delete", "put", "update")

    def __init__(self) -> None:
        self._ops: list[tuple[str, str, tuple, dict]] = []

    def put(self, label: str, item: Model, condition: Any = None) -> Txn:
        self._ops.append(("put", label, (item,), {"condition": condition,
                                                  "return_values": "ALL_OLD"}))
        return self

    def update(self, label: str, item: Model, actions: list, condition: Any = None) -> Txn:
        self._ops.append(("update", label, (item, actions),
                          {"condition": condition, "return_values": "ALL_OLD",
                           "add_version_condition": False}))
        return self

    def check(self, label: str, model: type[Model], hash_key: Any, condition: Any,
              range_key: Any = None) -> Txn:
        self._ops.append(("check", label, (model, hash_key),
                          {"range_key": range_key, "condition": condition}))
        return self

    def __len__(self) -> int:
        return len(self._ops)

    def commit(self, attempts: int = 6) -> None:
        ordered = sorted(self._ops, key=lambda op: self._ORDER.index(op[0]))
        labels = [op[1] for op in ordered]
        for attempt in range(attempts):
            try:
                with TransactWrite(connection=connection()) as tx:
                    for kind, _label, args, kwargs in ordered:
                        {"put": tx.save, "update": tx.update, "check": tx.condition_check,
                         "delete": tx.delete}[kind](*args, **kwargs)
                return
            except TransactWriteError as exc:
                reasons = exc.cancellation_reasons or []
                codes = [r.code if r else None for r in reasons]
                if "ConditionalCheckFailed" in codes:
                    raise Cancelled({labels[i]: reasons[i].raw_item
                                     for i, c in enumerate(codes)
                                     if c == "ConditionalCheckFailed"}) from exc
                retryable = exc.cause_response_code in (
                    "TransactionCanceledException", "TransactionConflictException",
                    "ThrottlingException", "ProvisionedThroughputExceededException",
                    "TransactionInProgressException")
                if not retryable or attempt == attempts - 1:
                    raise errors.ServiceUnavailable(
                        "The write conflicted with concurrent writes; retry with the same "
                        "Idempotency-Key") from exc
                time.sleep(random.uniform(0, 0.02 * 2 ** attempt))


def _key_value_ok(value: Any, kind: str) -> bool:
    """What DynamoDB accepts in a key, checked here so an edited cursor is a 400, not
    a ValidationException (503) from the service: non-empty strings, numbers it can hold."""
    if kind == "N":
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**15
    return isinstance(value, str) and 0 < len(value) <= 1024


@dataclass(frozen=True)
class PageKey:
    """How a list's opaque cursor maps to DynamoDB's ExclusiveStartKey and back.

    The hash key never comes from the cursor but from the caller's own scope, so a
    cursor (decoded, edited, replayed by another partner) cannot reach other items.
    """

    hash_attr: str
    fields: dict[str, tuple[str, str]]  # cursor name -> (attribute, "S" | "N")

    def start(self, hash_value: str, cursor: dict[str, Any] | None) -> dict | None:
        if cursor is None:
            return None
        if set(cursor) != set(self.fields) or not all(
                _key_value_ok(cursor[name], kind) for name, (_, kind) in self.fields.items()):
            raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned")
        key = {self.hash_attr: {"S": hash_value}}
        for name, (attr, kind) in self.fields.items():
            key[attr] = {kind: str(cursor[name])}
        return key

    def next(self, last: dict | None) -> dict[str, Any] | None:
        if not last:
            return None
        return {name: int(last[attr][kind]) if kind == "N" else last[attr][kind]
                for name, (attr, kind) in self.fields.items()}


def chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
