from enum import StrEnum


class PreviewKind(StrEnum):
    GIFT = "gift"
    REMINDER = "reminder"

    def __str__(self) -> str:
        return str(self.value)
