"""Which tables exist, where they are (settings), and the one DynamoDB connection."""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.models import Model

from chalicelib.core.config import settings
from chalicelib.store.models import (
    ApiKeyModel,
    CampaignModel,
    DayModel,
    DeliveryModel,
    GiftEventModel,
    GiftModel,
    GuardModel,
    HoldBucketModel,
    HoldModel,
    HourModel,
    IdempotencyModel,
    PartnerModel,
    PlayerModel,
    RateModel,
    RedemptionModel,
    RedemptionRefModel,
    ShardModel,
    SpinModel,
)
from chalicelib.store.records import (
    BatchModel,
    EventModel,
    ExportModel,
    OutreachModel,
    RecipientRecordModel,
    WebhookDeliveryModel,
    WebhookEndpointModel,
)

MODELS: tuple[type[Model], ...] = (
    PartnerModel, ApiKeyModel, CampaignModel, ShardModel, DayModel, GiftModel,
    RedemptionModel, IdempotencyModel, SpinModel, PlayerModel, BatchModel, RateModel,
    EventModel, WebhookEndpointModel, WebhookDeliveryModel,
    RedemptionRefModel, HoldModel, GiftEventModel, HoldBucketModel,
    HourModel, ExportModel, GuardModel, RecipientRecordModel, OutreachModel, DeliveryModel,
)

# Tables whose DynamoDB Stream (NEW_AND_OLD_IMAGES) feeds `events`: the ones the
# money path already writes, so events cost it nothing (infra/tables.yaml enables them).
STREAMED: tuple[type[Model], ...] = (GiftModel, SpinModel, BatchModel, CampaignModel, ShardModel,
                                     RecipientRecordModel, DeliveryModel)

BASE_NAMES = {m: m.Meta.table_name for m in MODELS}

# One call's limits, so that a request in a full outage answers 503 well inside API
# Gateway's 29 s: at most 1 + SDK_RETRIES attempts of at most CONNECT + READ seconds
# each, and RetryPolicy's budget around whole transactions. DynamoDB answers in
# milliseconds; a call that takes seconds is a fault, not a slow answer.
SDK_RETRIES = 2
CONNECT_TIMEOUT_SECONDS = 1  # whole seconds: PynamoDB's Meta declares them int
READ_TIMEOUT_SECONDS = 3


def bind() -> None:
    """Point every model at the configured tables and endpoint.

    Why a function: table names and the endpoint differ between pytest, the local
    emulator and AWS; models must follow the current settings, not import-time ones.
    """
    cfg = settings()
    global _connection
    _connection = None
    for model in MODELS:
        model.Meta.table_name = cfg.table(BASE_NAMES[model])
        model.Meta.host = cfg.dynamodb_endpoint
        model.Meta.region = cfg.region
        model.Meta.max_retry_attempts = SDK_RETRIES
        model.Meta.connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
        model.Meta.read_timeout_seconds = READ_TIMEOUT_SECONDS
        model._connection = None


def create_tables() -> list[str]:
    """Create missing tables (on-demand billing); return the names created."""
    created = []
    for model in MODELS:
        if not model.exists():
            if model in STREAMED:  # the events' source (infra/tables.yaml does the same)
                model.Meta.stream_view_type = "NEW_AND_OLD_IMAGES"
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            created.append(model.Meta.table_name)
    return created


_connection: Connection | None = None


def connection() -> Connection:
    global _connection
    if _connection is None:
        cfg = settings()
        _connection = Connection(region=cfg.region, host=cfg.dynamodb_endpoint,
                                 max_retry_attempts=SDK_RETRIES,
                                 connect_timeout_seconds=CONNECT_TIMEOUT_SECONDS,
                                 read_timeout_seconds=READ_TIMEOUT_SECONDS)
    return _connection
