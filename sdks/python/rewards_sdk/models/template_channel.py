from enum import StrEnum


class TemplateChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    ZALO = "zalo"

    def __str__(self) -> str:
        return str(self.value)
