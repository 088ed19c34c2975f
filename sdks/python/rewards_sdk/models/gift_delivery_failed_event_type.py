from enum import StrEnum


class GiftDeliveryFailedEventType(StrEnum):
    GIFT_DELIVERY_FAILED = "gift.delivery_failed"

    def __str__(self) -> str:
        return str(self.value)
