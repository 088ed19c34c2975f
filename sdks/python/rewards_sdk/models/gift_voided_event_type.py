from enum import StrEnum


class GiftVoidedEventType(StrEnum):
    GIFT_VOIDED = "gift.voided"

    def __str__(self) -> str:
        return str(self.value)
