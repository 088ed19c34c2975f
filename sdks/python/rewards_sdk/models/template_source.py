from enum import StrEnum


class TemplateSource(StrEnum):
    DEFAULT = "default"
    PARTNER = "partner"

    def __str__(self) -> str:
        return str(self.value)
