from enum import StrEnum


class ListEventsType(StrEnum):
    CAMPAIGN_BUDGET_EXHAUSTED = "campaign.budget_exhausted"
    CAMPAIGN_BUDGET_LOW = "campaign.budget_low"
    CAMPAIGN_ENDED = "campaign.ended"
    GIFT_BATCH_COMPLETED = "gift_batch.completed"
    GIFT_DELIVERY_FAILED = "gift.delivery_failed"
    GIFT_DELIVERY_SENT = "gift.delivery_sent"
    GIFT_ISSUED = "gift.issued"
    GIFT_REDEEMED = "gift.redeemed"
    GIFT_VOIDED = "gift.voided"
    RECIPIENT_ERASED = "recipient.erased"
    REDEMPTION_REVERSED = "redemption.reversed"
    SPIN_WON = "spin.won"

    def __str__(self) -> str:
        return str(self.value)
