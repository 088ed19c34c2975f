"""Gifts: issuing, reading and redeeming them."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from msgspec import Meta

from chalicelib.schemas.base import (
    EMAIL,
    END,
    Amount,
    Metadata,
    Out,
    Strict,
    Text100,
    Text128,
    Text200,
    Timestamp,
)

DELIVER_AT = ("When to deliver the gift to its recipient (RFC 3339, at most a year ahead); "
              "absent: at issue. Sent within the campaign's send window")

PHONE = rf"^\+?[0-9]{{6,15}}{END}"
_PHONE = re.compile(PHONE)


class Recipient(Strict):
    reference: Text128 | None = None
    # The pattern is checked below rather than by msgspec, whose error would show
    # partners the raw regex; the OpenAPI document still publishes it.
    phone: Annotated[str, Meta(extra_json_schema={"pattern": PHONE})] | None = None
    email: Annotated[str, Meta(max_length=254, pattern=EMAIL)] | None = None
    name: Text200 | None = None

    def __post_init__(self) -> None:
        if self.phone is not None and not _PHONE.fullmatch(self.phone):
            raise ValueError("must be a phone number: 6 to 15 digits, optionally after a "
                             "leading + (e.g. +84901234567)")


class GiftCreate(Strict):
    amount: Amount
    recipient: Recipient | None = None
    metadata: Metadata | None = None
    deliver_at: Annotated[Timestamp, Meta(description=DELIVER_AT)] | None = None


class RedeemRequest(Strict):
    amount: Amount | None = None
    location: Text100 | None = None


class VoidRequest(Strict):
    reason: Text200 | None = None


GiftStatus = Literal["active", "redeemed", "voided", "expired"]


class Gift(Out):
    id: str
    code: str
    campaign_id: str
    amount: int
    balance: int
    available: Annotated[int, Meta(description=(
        "What a redemption or a new hold may take now: the balance minus the active, "
        "unexpired holds (0 when the gift is not active)"))]
    currency: str
    status: GiftStatus
    issued_at: str
    expires_at: Annotated[str, Meta(description=(
        "The local midnight (campaign timezone) that ends the day gift_expiry_days after "
        "issue"))]
    recipient: Recipient | None
    metadata: dict[str, str] | None
    gift_url: Annotated[str, Meta(description=(
        "The gift's hosted page (`GET /g/{token}`), for its recipient: unguessable, never "
        "the code. Replaced by `POST /v1/gifts/{code}/link-rotations` (the old link then "
        "answers 404); a replayed answer shows the current link"))]
    voided_at: str | None = None


class Redemption(Out):
    id: str
    amount: int
    redeemed_at: str
    location: str | None


class GiftDetail(Gift):
    redemptions: list[Redemption] = []


class RedeemResult(Out):
    gift: Gift
    redemption: Redemption


class GiftPage(Out):
    data: list[Gift]
    next_cursor: str | None
