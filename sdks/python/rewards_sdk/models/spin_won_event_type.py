from enum import StrEnum


class SpinWonEventType(StrEnum):
    SPIN_WON = "spin.won"

    def __str__(self) -> str:
        return str(self.value)
