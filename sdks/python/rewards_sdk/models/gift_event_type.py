from enum import StrEnum


class GiftEventType(StrEnum):
    CAPTURED = "captured"
    HELD = "held"
    ISSUED = "issued"
    REDEEMED = "redeemed"
    RELEASED = "released"
    REVERSED = "reversed"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
