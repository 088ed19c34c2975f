"""Deliveries to recipients: a gift's messages, a resend, a batch's progress, and the
`gift.delivery_sent` / `gift.delivery_failed` payloads (API.md, "Delivery to the
recipient")."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from msgspec import Meta

from chalicelib.schemas.base import EMAIL, END, Out, Strict
from chalicelib.schemas.campaigns import Channel

DeliveryKind = Literal["gift", "reminder"]
MessageStatus = Literal["scheduled", "queued", "sent", "delivered", "bounced", "complained",
                         "failed"]
PHONE_OR_EMAIL = rf"^(\+?[0-9]{{6,15}}|{EMAIL.removeprefix('^').removesuffix(END)}){END}"
_PHONE = re.compile(rf"^\+?[0-9]{{6,15}}{END}")
_EMAIL = re.compile(EMAIL)



class Delivery(Out):
    id: Annotated[str, Meta(description="`dlv_…`")]
    channel: Channel
    to: Annotated[str, Meta(description=(
        "The contact it goes to, masked (a phone's last 3 digits, an email's first letter "
        "and domain)"))]
    kind: DeliveryKind
    status: MessageStatus
    reason: Annotated[str | None, Meta(description=(
        "Why it failed or bounced (`suppressed`, `unconfirmed`, `gift_voided`, the "
        "channel's reason, ...)"))] = None
    scheduled_for: Annotated[str | None, Meta(description=(
        "When it is due: `deliver_at`, the send window's opening, a reminder's day"))] = None
    sent_at: str | None = None
    updated_at: str = ""


class DeliveryList(Out):
    data: list[Delivery]


class ResendRequest(Strict):
    channel: Annotated[Channel, Meta(description=(
        "The channel to use; default: the campaign's first the contact fits"))] | None = None
    to: Annotated[str, Meta(max_length=254, extra_json_schema={"pattern": PHONE_OR_EMAIL},
                            description=(
                                "A corrected contact (a phone or an email, validated like "
                                "the recipient's): sent there instead, kept sealed"))
                  ] | None = None


def contact_problem(to: str) -> str | None:
    """Why `to` is neither a phone nor an email, by the recipient fields' own rules
    (checked by the resend, so the problem names the field)."""
    if _PHONE.fullmatch(to) or _EMAIL.fullmatch(to):
        return None
    return ("must be a phone number (6 to 15 digits, optionally after a leading +) or an "
            "email address")


class DeliveryProgress(Out):
    """A batch's deliveries so far."""

    queued: Annotated[int, Meta(description="Planned, scheduled or on their way")]
    sent: Annotated[int, Meta(description="Taken by the channel (delivered included)")]
    failed: Annotated[int, Meta(description="Failed, bounced or suppressed")]


class DeliveryPayload(Out):
    """A delivery as `gift.delivery_sent` and `gift.delivery_failed` show it: its
    contact masked."""

    id: str
    gift_id: str
    campaign_id: str
    batch_id: str | None
    channel: Channel
    to: str
    kind: DeliveryKind
    status: MessageStatus
    reason: str | None
    scheduled_for: str | None
    sent_at: str | None
    updated_at: str
