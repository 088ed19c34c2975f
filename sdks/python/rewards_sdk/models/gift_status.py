from enum import StrEnum


class GiftStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REDEEMED = "redeemed"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
