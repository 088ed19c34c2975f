from enum import StrEnum


class ListGiftsStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REDEEMED = "redeemed"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
