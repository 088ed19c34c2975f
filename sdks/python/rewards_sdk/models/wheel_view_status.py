from enum import StrEnum


class WheelViewStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    PAUSED = "paused"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
