from enum import StrEnum


class GiftDeliverySentEventType(StrEnum):
    GIFT_DELIVERY_SENT = "gift.delivery_sent"

    def __str__(self) -> str:
        return str(self.value)
