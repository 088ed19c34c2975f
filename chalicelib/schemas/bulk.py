"""Gift batches."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from chalicelib.schemas.base import NO_CONTROL, Amount, Out, Strict, Timestamp
from chalicelib.schemas.deliveries import DeliveryProgress
from chalicelib.schemas.gifts import DELIVER_AT, Gift, Recipient

# ------------------------------------------------------------ bulk issuance

MAX_BATCH_ITEMS = 10_000


class BatchItem(Strict):
    amount: Amount
    recipient: Recipient | None = None
    reference: Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL,
                                   description="Your row id; also recipient.reference")] | None = (
        None)
    deliver_at: Annotated[Timestamp, Meta(description=DELIVER_AT)] | None = None


class BatchCreate(Strict):
    items: Annotated[list[BatchItem], Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]


BatchStatus = Literal["processing", "completed"]


class Batch(Out):
    id: str
    status: BatchStatus
    campaign_id: str
    count: int
    total_amount: int
    issued: Annotated[int, Meta(description="Gifts written so far (progress)")]
    created_at: str
    completed_at: str | None = None
    delivery: Annotated[DeliveryProgress, Meta(description=(
        "Messages to the batch's recipients so far (campaigns with delivery channels)"))
    ] = msgspec.field(default_factory=lambda: DeliveryProgress(queued=0, sent=0, failed=0))


class BatchGift(Gift):
    index: Annotated[int, Meta(ge=0, description="0-based position in the batch's items")] = 0


class BatchGiftPage(Out):
    data: list[BatchGift]
    next_cursor: str | None
