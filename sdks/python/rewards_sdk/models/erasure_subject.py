from enum import StrEnum


class ErasureSubject(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    PLAYER_ID = "player_id"

    def __str__(self) -> str:
        return str(self.value)
