from enum import StrEnum


class CampaignCreateCurrency(StrEnum):
    AUD = "AUD"
    CNY = "CNY"
    EUR = "EUR"
    GBP = "GBP"
    HKD = "HKD"
    IDR = "IDR"
    INR = "INR"
    JPY = "JPY"
    KRW = "KRW"
    MYR = "MYR"
    PHP = "PHP"
    SGD = "SGD"
    THB = "THB"
    TWD = "TWD"
    USD = "USD"
    VND = "VND"

    def __str__(self) -> str:
        return str(self.value)
