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
    # an unmasked export's file key, sealed (vault.new_envelope): its file is sealed
    # frames (exports.SEALED), opened only by the API's download route
    dek = UnicodeAttribute(null=True)
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
    items = JSONAttribute(null=True)  # a chunk's rows before issue 21 (read only)
    rows = UnicodeAttribute(null=True)  # a chunk's rows, sealed (money.recipients)


# ------------------------------------------------------------- events and webhooks
# Written only by the stream consumer, the webhook senders and the webhook routes:
# never on the money path.


class EventModel(Model):
    """One event, written once (a put conditioned on its key being new).

    Keyed for the partner's list, with no index: `pk` is the partner and one of
    `keys.EVENT_SLICES` slices (from the event id), so a partner's busiest hour
    spreads over that many keys, and `id` sorts by time (its first part is the
    creation instant), so a slice's Query is already newest first. A lookup by id
    is one GetItem: the slice derives from the id. Kept 30 days (TTL).

    The same table holds the markers of events that happen once per cause (see
    `events.ONCE`): pk `once#<cause>`, id `-`, `data` naming the event."""

    class Meta:
        table_name = "event-log"

    pk = UnicodeAttribute(hash_key=True)  # partner_id#NN (keys.event_slice_key)
    id = UnicodeAttribute(range_key=True)  # evt_<ms, hex><cause hash>: time-ordered
    type = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    data = JSONAttribute()
    expires_at = TTLAttribute()

    # not an attribute: what caused the event (events.new_event), held in memory by
    # the consumer that made it, for the marker of an event made once per cause
    cause: str


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
    # the senders' view of its health (delivery.fairness): written only when an attempt
    # fails or is slow, and once when it recovers; a healthy endpoint has none
    failures = NumberAttribute(null=True)  # consecutive failed attempts
    degraded_until = NumberAttribute(null=True)  # POSIX seconds: attempts share few senders
    open_until = NumberAttribute(null=True)  # POSIX seconds: the breaker holds attempts back

    by_partner = EndpointsByPartner()


class WebhookDeliveryModel(Model):
    """Delivery attempts to one endpoint, kept 30 days (TTL). Two shapes:

    - a record (`delivery.attempts`): the attempts one sender batch made to the
      endpoint, packed in `attempts` (compact, ~70 B each; a record stays under
      1 KB, so ~10 attempts cost one write unit). `sort_key` is its newest
      attempt's instant and its id; keyed `keys.attempts_key` (a slice by its id).
    - an attempt alone (written before records, listed until its TTL removes it):
      the attempt's fields, `sort_key` its instant and id, keyed by the event's slice
      (`keys.attempt_key`).

    Either way an endpoint's items spread over EVENT_SLICES keys: an endpoint
    subscribed to everything gets a partner's every event, so one key per endpoint
    would take them all."""

    class Meta:
        table_name = "webhook-attempts"

    pk = UnicodeAttribute(hash_key=True)  # endpoint_id#NN
    sort_key = UnicodeAttribute(range_key=True)  # attempted_at#id (a record: its newest)
    endpoint_id = UnicodeAttribute()
    id = UnicodeAttribute()
    attempts = UnicodeAttribute(null=True)  # a record's packed attempts
    # an attempt alone (the shape before records)
    event_id = UnicodeAttribute(null=True)
    event_type = UnicodeAttribute(null=True)
    attempt = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)  # succeeded | failed
    response_code = NumberAttribute(null=True)
    duration_ms = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    next_attempt_at = UnicodeAttribute(null=True)
    attempted_at = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


# ------------------------------------------------------------- personal data


class RecipientRecordModel(Model):
    """What the platform does with recipients' personal data, as items whose stream
    the event consumer reads (`money.recipients`, `delivery.erasures`):

    - an erasure (`era_…`): what a data-subject request removed (counts, the kind of
      contact; never the contact). Kept as the partner's proof that it answered; its
      INSERT makes the `recipient.erased` event.
    - a retention timer (`ret#<gift key>`, `retb#<batch id>`): expires (TTL) when the
      gift's or the batch's contacts are due to go; DynamoDB's TTL deletion streams a
      REMOVE, on which the consumer drops them. No scan, and nothing on the money path.
    """

    class Meta:
        table_name = "recipient-records"

    pk = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # erasure | retention
    partner_id = UnicodeAttribute()
    created_at = UnicodeAttribute(null=True)
    subject = UnicodeAttribute(null=True)  # erasure: phone | email | player_id
    erased = JSONAttribute(null=True)  # erasure: {"gifts": n, ...}
    gift_key = UnicodeAttribute(null=True)  # retention of a gift: its code_hash
    batch_id = UnicodeAttribute(null=True)  # retention of a batch's input rows
    expires_at = TTLAttribute(null=True)  # retention: when the contact goes
    progress = JSONAttribute(null=True)  # migration: its checkpoint (bulk.legacy)


# ------------------------------------------------------------- delivery to recipients


class OutreachModel(Model):
    """What a partner sets about messages to its recipients, and whom it may not
    write to (`chalicelib.outreach`), one table, item kinds by key (`keys.outreach_*`):

    - a template: pk `tpl#<partner>`, sk `<channel>#<locale>#<kind>`; `data` the body;
    - the Zalo Official Account: pk `zalo#<partner>`, sk `-`; the token `sealed`;
    - a suppression: pk `sup#<partner>#<keyed hash of the contact>`, sk `-`; `reason`.
      One key per contact: the check before every send reads its own item, so no
      key takes a partner's sending rate;
    - locally only, the outbox (`outreach.outbox`): pk `outbox`, sk `<time>#<id>`.

    Never written by a money move; the outbox and nothing else holds a contact in
    clear, and only on a local stack."""

    class Meta:
        table_name = "outreach"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    partner_id = UnicodeAttribute(null=True)
    data = JSONAttribute(null=True)
    sealed = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
