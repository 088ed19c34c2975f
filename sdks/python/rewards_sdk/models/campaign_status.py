from enum import StrEnum


class CampaignStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    PAUSED = "paused"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
