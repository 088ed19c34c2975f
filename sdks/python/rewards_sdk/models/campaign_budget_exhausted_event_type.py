from enum import StrEnum


class CampaignBudgetExhaustedEventType(StrEnum):
    CAMPAIGN_BUDGET_EXHAUSTED = "campaign.budget_exhausted"

    def __str__(self) -> str:
        return str(self.value)
