"""Webhook endpoints, deliveries and events."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from msgspec import UNSET, Meta, Struct, UnsetType, defstruct

from chalicelib.schemas.base import END, Out, Strict, Text200
from chalicelib.schemas.deliveries import DeliveryPayload
from chalicelib.schemas.privacy import ErasedCounts, ErasureSubject

# ------------------------------------------------------------ events and webhooks

EventType = Literal["gift.issued", "gift.redeemed", "gift.voided", "redemption.reversed",
                    "gift_batch.completed", "spin.won", "campaign.budget_low",
                    "campaign.budget_exhausted", "campaign.ended", "recipient.erased",
                    "gift.delivery_sent", "gift.delivery_failed"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
EventFilter = Annotated[str, Meta(
    pattern="^(" + "|".join(re.escape(t) for t in ("*", *EVENT_TYPES)) + ")" + END,
    description="An event type, or `*` for every type")]
MAX_WEBHOOK_URL = 2048
WebhookUrl = Annotated[str, Meta(min_length=8, max_length=MAX_WEBHOOK_URL, description=(
    "https on deployed stages; the host must resolve only to public addresses "
    "(the local stack also allows loopback http)"))]


class WebhookEndpointCreate(Strict):
    url: WebhookUrl
    events: Annotated[list[EventFilter], Meta(min_length=1, max_length=16)]
    description: Text200 | None = None


EndpointStatus = Literal["enabled", "disabled"]


class WebhookEndpointPatch(Strict):
    url: WebhookUrl | UnsetType = UNSET
    events: Annotated[list[EventFilter], Meta(min_length=1, max_length=16)] | UnsetType = UNSET
    status: EndpointStatus | UnsetType = UNSET
    description: Text200 | None | UnsetType = UNSET


EndpointState = Literal["healthy", "degraded", "open"]


class EndpointHealth(Out):
    state: Annotated[EndpointState, Meta(description=(
        "`healthy`; `degraded`: its last attempt failed or answered slowly, so its "
        "deliveries share a few senders with your other troubled endpoints until "
        "`degraded_until`; `open`: it failed 5 times in a row, so deliveries wait (no "
        "attempt is made or recorded) until `breaker_open_until`, then a probe goes, "
        "and a success makes it healthy"))]
    consecutive_failures: int
    degraded_until: str | None = None
    breaker_open_until: str | None = None


class WebhookEndpoint(Out):
    id: str
    url: str
    events: list[str]
    description: str | None
    status: EndpointStatus
    disabled_reason: str | None
    created_at: str
    updated_at: str
    health: Annotated[EndpointHealth, Meta(description=(
        "How deliveries to it are going now (docs/webhooks.md, fairness): read it "
        "to see why webhooks to it are late before it is disabled"))]
    secret: Annotated[str | None, Meta(description=(
        "`whsec_<base64 of a 32-byte key>`: only in the answer that creates the "
        "endpoint; keep it to verify `webhook-signature` (Standard Webhooks) or "
        "`Rewards-Signature`"))] = None


class WebhookEndpointPage(Out):
    data: list[WebhookEndpoint]


class WebhookSecretRotated(Out):
    id: str
    secret: Annotated[str, Meta(description="The new secret, shown once")]
    previous_secrets_expire_at: Annotated[str | None, Meta(description=(
        "Until then the previous secret signs too (a second `v1,` in `webhook-signature`, "
        "a second `v1=` in `Rewards-Signature`)"))]


DeliveryStatus = Literal["succeeded", "failed"]


class WebhookDelivery(Out):
    id: str
    event_id: str
    event_type: str
    attempt: int
    status: DeliveryStatus
    response_code: int | None
    duration_ms: int
    error: str | None
    attempted_at: str
    next_attempt_at: str | None


class WebhookDeliveryPage(Out):
    data: list[WebhookDelivery]
    next_cursor: str | None


class Event(Out):
    id: Annotated[str, Meta(description="`evt_…`, the same on every delivery: dedupe by it")]
    type: EventType
    created_at: str
    campaign_id: str | None
    data: Annotated[dict[str, Any], Meta(description=(
        "The object: for gift events the gift (`id`, `masked_code`, `gift_url`, `amount`, "
        "`balance`, `currency`, `status`, times; match gifts by `id`), for spin.won the spin, for "
        "gift_batch.completed the batch, for campaign events the campaign's figures, for "
        "recipient.erased the erasure (`id` `era_…`, `subject`, `erased` counts; never the "
        "contact)"))]


class EventPage(Out):
    data: list[Event]
    next_cursor: str | None


class Redelivery(Out):
    event_id: str
    deliveries_queued: int


# ------------------------------------------------------------ event payloads
# What each event's `data` holds. The stream consumer (delivery/events.py) builds
# every payload from these types, and the OpenAPI document's `webhooks` describe
# them, so the document cannot drift from what is sent.


class GiftPayload(Out):
    """A gift as events show it: never its code, only `masked_code`."""

    id: str
    masked_code: Annotated[str | None, Meta(description=(
        "The code's last group (`****-****-****-7KQ2`) for support look-ups; match gifts "
        "by `id`"))]
    campaign_id: str
    amount: int
    balance: int
    currency: str
    status: str
    issued_at: str
    expires_at: str | None
    voided_at: str | None
    batch_id: str | None
    spin_id: str | None
    reference: str | None
    gift_url: Annotated[str | None, Meta(description=(
        "The gift's hosted page as it was when the event was made (send it to the "
        "recipient yourself when the campaign's `delivery.channels` is `[]`); null when "
        "it could not be made (and absent on events made before gift pages existed)"))]


class GiftRedeemedPayload(GiftPayload):
    redeemed_amount: Annotated[int, Meta(description="What this change took from the balance")]


class RedemptionReversedPayload(GiftPayload):
    reversed_amount: Annotated[int, Meta(description="What this change gave back")]


class WonPrize(Out):
    amount: int


class SpinWonPayload(Out):
    id: str
    campaign_id: str
    player_id: Annotated[str | None, Meta(description=(
        "null once the player's id was erased on request (POST /v1/recipients/erasures)"))]
    segment_id: str
    prize: WonPrize
    spun_at: str


class GiftBatchPayload(Out):
    id: str
    campaign_id: str
    status: str
    count: int
    total_amount: int
    issued: int
    created_at: str
    completed_at: str | None


class CampaignPayload(Out):
    id: str
    name: str
    status: str
    currency: str
    ends_at: str | None
    ended_at: Annotated[str | None, Meta(
        description="When it ended: the PATCH that ended it early, or its ends_at once "
                    "passed; null while it runs")]


class BudgetFigures(Out):
    total: int
    spent: int
    remaining: int


class CampaignBudgetPayload(CampaignPayload):
    budget: BudgetFigures


class RecipientErasedPayload(Out):
    """A data-subject request answered: what was erased, never the contact."""

    id: Annotated[str, Meta(description="The erasure, `era_…`")]
    subject: ErasureSubject
    erased: ErasedCounts
    created_at: str


EVENT_PAYLOADS: dict[str, type[Out]] = {
    "gift.issued": GiftPayload,
    "gift.redeemed": GiftRedeemedPayload,
    "gift.voided": GiftPayload,
    "redemption.reversed": RedemptionReversedPayload,
    "gift_batch.completed": GiftBatchPayload,
    "spin.won": SpinWonPayload,
    "campaign.budget_low": CampaignBudgetPayload,
    "campaign.budget_exhausted": CampaignBudgetPayload,
    "campaign.ended": CampaignPayload,
    "recipient.erased": RecipientErasedPayload,
    "gift.delivery_sent": DeliveryPayload,
    "gift.delivery_failed": DeliveryPayload,
}
"""Each event type's `data`."""


def _event_name(kind: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", kind)) + "Event"


WEBHOOK_EVENTS: dict[str, type[Struct]] = {
    kind: defstruct(_event_name(kind), [
        ("id", Annotated[str, Meta(description=(
            "`evt_…`, the same on every delivery (`webhook-id`): dedupe by it"))]),
        ("type", Literal[kind]),
        ("created_at", str),
        ("campaign_id", str | None),
        ("data", payload)], bases=(Out,), module=__name__)
    for kind, payload in EVENT_PAYLOADS.items()}
"""Each event type's whole body, as POSTed to an endpoint (`GiftIssuedEvent`, ...)."""
