from enum import StrEnum


class RecipientErasedPayloadSubject(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    PLAYER_ID = "player_id"

    def __str__(self) -> str:
        return str(self.value)
