from enum import StrEnum


class ApiKeyCreateScopesType0Item(StrEnum):
    CAMPAIGNSREAD = "campaigns:read"
    CAMPAIGNSWRITE = "campaigns:write"
    GIFTSISSUE = "gifts:issue"
    GIFTSREDEEM = "gifts:redeem"
    PLAYERSMINT = "players:mint"
    PLAYERSREAD = "players:read"
    REPORTSREAD = "reports:read"
    WEBHOOKSMANAGE = "webhooks:manage"

    def __str__(self) -> str:
        return str(self.value)
