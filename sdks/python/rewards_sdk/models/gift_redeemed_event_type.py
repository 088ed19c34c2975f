from enum import StrEnum


class GiftRedeemedEventType(StrEnum):
    GIFT_REDEEMED = "gift.redeemed"

    def __str__(self) -> str:
        return str(self.value)
