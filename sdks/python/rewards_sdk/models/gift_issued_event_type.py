from enum import StrEnum


class GiftIssuedEventType(StrEnum):
    GIFT_ISSUED = "gift.issued"

    def __str__(self) -> str:
        return str(self.value)
