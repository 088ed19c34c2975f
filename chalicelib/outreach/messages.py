"""What passes between the parts of delivery: a rendered message, what a channel
answered, and what a channel's feedback later said. One vocabulary, so the planner
(`deliveries`), the renderer (`templates`), the channels and the feedback readers
agree without importing each other's internals."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

Kind = Literal["gift", "reminder"]
Status = Literal["scheduled", "queued", "sent", "delivered", "bounced", "complained",
                 "failed"]
FINAL: frozenset[str] = frozenset({"delivered", "bounced", "complained", "failed"})


class Placeholders(Struct, frozen=True):
    """The values a template may use (`{{recipient_name}}` and the rest)."""

    recipient_name: str
    amount: str  # already formatted for the locale and currency: "200.000 ₫"
    expires_on: str  # "31 Jan 2027" / "31/01/2027", in the campaign's time zone
    gift_url: str
    partner_name: str


class Message(Struct, frozen=True):
    """One message, rendered and addressed. `to` is the contact in clear: it lives in
    memory only, never in a table or a log."""

    channel: Literal["email", "sms", "zalo"]
    to: str
    text: str  # the SMS body, the email's plain part, the ZNS fallback text
    subject: str | None = None  # email
    html: str | None = None  # email
    zalo_template_id: str | None = None  # ZNS
    zalo_params: dict[str, str] | None = None  # ZNS template_data
    unsubscribe_url: str | None = None  # email: List-Unsubscribe
    sender_name: str | None = None  # email: the From display name (the partner's)


class Sent(Struct, frozen=True):
    """The channel took the message; `provider_id` finds its later feedback."""

    provider_id: str


class Feedback(Struct, frozen=True):
    """What a channel said after the send (SES event, SNS delivery status)."""

    provider_id: str
    status: Literal["delivered", "bounced", "complained", "failed"]
    reason: str | None = None


class Undeliverable(Exception):
    """The channel refused this message for good (bad number, suppressed, no Zalo
    account): the delivery ends `failed` with `reason`, and is not retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChannelDown(Exception):
    """The channel could not take it now (throttled, timed out, 5xx): try again later."""
