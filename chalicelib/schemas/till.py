"""The till: holds, captures, releases, reversals, a gift's history."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from chalicelib.schemas.base import MAX_AMOUNT, Out, Strict, Text100, Text128, Text200
from chalicelib.schemas.gifts import Gift, Redemption

# holds, reversals, history
MAX_HOLD_SECONDS = 3600
"""A till's authorisation window; holds.py sizes its expiry sweep by it."""


class HoldCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "Minor units to hold; default: all that is available"))] | None = None
    ttl_seconds: Annotated[int, Meta(ge=30, le=MAX_HOLD_SECONDS, description=(
        "How long the hold lasts (it never outlasts the gift); it then stops holding by "
        "itself"))] = 300
    location: Text100 | None = None
    reference: Text128 | None = None


class CaptureRequest(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "At most the held amount; default: all of it. The rest is released"))] | None = None


class ReleaseRequest(Strict):
    pass


class ReversalCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "At most what is left to reverse of the redemption; default: all of it"))] | None = (
        None)
    reason: Text200 | None = None


HoldStatus = Literal["held", "captured", "released", "expired"]


class Hold(Out):
    id: str
    status: Annotated[HoldStatus, Meta(
        description="`expired`: it reached expires_at uncaptured and holds nothing")]
    amount: int
    expires_at: str
    created_at: str
    gift_id: str
    location: str | None = None
    reference: str | None = None
    captured_amount: int | None = None
    redemption_id: str | None = None


class HoldCreated(Hold):
    gift: Gift | None = None


class CaptureResult(Out):
    hold: Hold
    gift: Gift
    redemption: Redemption


class ReleaseResult(Out):
    hold: Hold
    gift: Gift


class Reversal(Out):
    id: str
    redemption_id: str
    amount: int
    reason: str | None
    reversed_at: str
    gift: Gift


GiftEventType = Literal["issued", "held", "captured", "released", "redeemed", "reversed",
                        "voided"]


class GiftEvent(Out):
    id: str
    type: GiftEventType
    amount: int
    balance_after: Annotated[int, Meta(description=(
        "issued and reversed add `amount`, redeemed and captured take it away; held, "
        "released and voided leave the balance as it was"))]
    at: str
    location: str | None = None
    ref: Annotated[str | None, Meta(description=(
        "The hold (hld_), redemption (red_) or reversal (rev_) it was"))] = None
    reason: str | None = None


class GiftEventPage(Out):
    data: list[GiftEvent]
    next_cursor: str | None = None
