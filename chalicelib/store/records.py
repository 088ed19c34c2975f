"""The tables of work beside the money path: batches and exports (resumable jobs),
the event log, webhook endpoints and their deliveries. None of them is written by
a money move's transaction; events come from the money tables' streams."""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class ExportModel(Model):
    """An export's header (part "header") and, while unfinished, its marker
    (id "pending", part = export id) that the worker and the sweeper look for."""

    class Meta:
        table_name = "exports"

    id = UnicodeAttribute(hash_key=True)
    part = UnicodeAttribute(range_key=True)
    partner_id = UnicodeAttribute(null=True)
    campaign_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # queued | running | completed | failed
    unmask = NumberAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    completed_at = UnicodeAttribute(null=True)
    as_of = UnicodeAttribute(null=True)  # rows up to this instant
    cursor = UnicodeAttribute(null=True)  # sort value written up to (every shard)
    rows = NumberAttribute(null=True)
    upload_id = UnicodeAttribute(null=True)
    parts = JSONAttribute(null=True)  # [[part number, etag], ...]
    s3_key = UnicodeAttribute(null=True)
    bytes = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    failures = NumberAttribute(null=True)  # steps that raised; at MAX_FAILURES: failed
    expires_at = TTLAttribute(null=True)


class BatchModel(Model):
    class Meta:
        table_name = "batches"

    id = UnicodeAttribute(hash_key=True)
    part = UnicodeAttribute(range_key=True)  # "header" or "chunk#00000"
    partner_id = UnicodeAttribute(null=True)
    campaign_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    # shadows Model.count (a Query's count), which is never called on batches; the
    # stored name stays "count"
    count = NumberAttribute(null=True)  # type: ignore[assignment]
    total_amount = NumberAttribute(null=True)
    issued = NumberAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    completed_at = UnicodeAttribute(null=True)
    idempotency_pk = UnicodeAttribute(null=True)
    items = JSONAttribute(null=True)


# ------------------------------------------------------------- events and webhooks
# Written only by the stream consumer and the webhook routes: never on the money path.


class EventsByPartner(GlobalSecondaryIndex):
    """Hashed by partner and one of EVENT_SHARDS slices (from the event id), so a
    partner's busiest campaign does not put every event on one index key."""

    class Meta:
        index_name = "by_partner"
        projection = AllProjection()

    partner_shard = UnicodeAttribute(hash_key=True)  # partner_id#N
    created_key = UnicodeAttribute(range_key=True)  # created_at#id


class EventModel(Model):
    """One event, its id derived from the change that caused it (see `events`), so a
    redelivered stream batch finds it present. Kept 30 days (TTL)."""

    class Meta:
        table_name = "events"

    id = UnicodeAttribute(hash_key=True)
    type = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    created_key = UnicodeAttribute()
    partner_shard = UnicodeAttribute()
    data = JSONAttribute()
    dispatched = NumberAttribute(null=True)  # 1 once its deliveries were queued
    expires_at = TTLAttribute()

    by_partner = EventsByPartner()


class EndpointsByPartner(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_partner"
        projection = AllProjection()

    partner_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class WebhookEndpointModel(Model):
    class Meta:
        table_name = "webhook-endpoints"

    id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    created_key = UnicodeAttribute()
    url = UnicodeAttribute()
    # PynamoDB types `of` as the items' Python type, but it takes their Attribute class
    events: ListAttribute[str] = ListAttribute(of=UnicodeAttribute)  # type: ignore[arg-type]
    description = UnicodeAttribute(null=True)
    status = UnicodeAttribute()  # enabled | disabled
    disabled_reason = UnicodeAttribute(null=True)
    secrets = JSONAttribute()  # [{"sealed", "created_at", "expires_at"|None}], newest first
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    by_partner = EndpointsByPartner()


class WebhookDeliveryModel(Model):
    """One delivery attempt of one event to one endpoint. Kept 30 days (TTL)."""

    class Meta:
        table_name = "webhook-deliveries"

    endpoint_id = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)  # attempted_at#id
    id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    attempt = NumberAttribute()
    status = UnicodeAttribute()  # succeeded | failed
    response_code = NumberAttribute(null=True)
    duration_ms = NumberAttribute()
    error = UnicodeAttribute(null=True)
    next_attempt_at = UnicodeAttribute(null=True)
    attempted_at = UnicodeAttribute()
    expires_at = TTLAttribute()
