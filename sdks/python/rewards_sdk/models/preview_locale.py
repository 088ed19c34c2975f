from enum import StrEnum


class PreviewLocale(StrEnum):
    EN = "en"
    VI = "vi"

    def __str__(self) -> str:
        return str(self.value)
