from enum import StrEnum


class RecipientErasedEventType(StrEnum):
    RECIPIENT_ERASED = "recipient.erased"

    def __str__(self) -> str:
        return str(self.value)
