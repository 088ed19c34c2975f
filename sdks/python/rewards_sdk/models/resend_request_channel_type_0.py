from enum import StrEnum


class ResendRequestChannelType0(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    ZALO = "zalo"

    def __str__(self) -> str:
        return str(self.value)
