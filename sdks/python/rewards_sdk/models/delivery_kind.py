from enum import StrEnum


class DeliveryKind(StrEnum):
    GIFT = "gift"
    REMINDER = "reminder"

    def __str__(self) -> str:
        return str(self.value)
