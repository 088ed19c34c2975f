"""Webhook endpoints, deliveries and events."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from msgspec import UNSET, Meta, UnsetType

from chalicelib.schemas.base import END, Out, Strict, Text200

# ------------------------------------------------------------ events and webhooks

EventType = Literal["gift.issued", "gift.redeemed", "gift.voided", "redemption.reversed",
                    "gift_batch.completed", "spin.won", "campaign.budget_low",
                    "campaign.budget_exhausted", "campaign.ended"]
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


class WebhookEndpoint(Out):
    id: str
    url: str
    events: list[str]
    description: str | None
    status: EndpointStatus
    disabled_reason: str | None
    created_at: str
    updated_at: str
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
        "The object: for gift events the gift (`id`, `masked_code`, `amount`, `balance`, "
        "`currency`, `status`, times; match gifts by `id`), for spin.won the spin, for "
        "gift_batch.completed the batch, for campaign events the campaign's figures"))]


class EventPage(Out):
    data: list[Event]
    next_cursor: str | None


class Redelivery(Out):
    event_id: str
    deliveries_queued: int
