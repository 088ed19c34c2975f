from enum import StrEnum


class CampaignEndedEventType(StrEnum):
    CAMPAIGN_ENDED = "campaign.ended"

    def __str__(self) -> str:
        return str(self.value)
