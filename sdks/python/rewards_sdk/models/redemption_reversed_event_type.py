from enum import StrEnum


class RedemptionReversedEventType(StrEnum):
    REDEMPTION_REVERSED = "redemption.reversed"

    def __str__(self) -> str:
        return str(self.value)
