from enum import StrEnum


class DeliverySettingsLocaleType0(StrEnum):
    EN = "en"
    VI = "vi"

    def __str__(self) -> str:
        return str(self.value)
