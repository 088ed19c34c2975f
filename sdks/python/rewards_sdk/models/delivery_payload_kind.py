from enum import StrEnum


class DeliveryPayloadKind(StrEnum):
    GIFT = "gift"
    REMINDER = "reminder"

    def __str__(self) -> str:
        return str(self.value)
