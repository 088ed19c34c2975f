from enum import StrEnum


class CampaignBudgetLowEventType(StrEnum):
    CAMPAIGN_BUDGET_LOW = "campaign.budget_low"

    def __str__(self) -> str:
        return str(self.value)
