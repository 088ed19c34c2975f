from enum import StrEnum


class GameConfigKind(StrEnum):
    ENVELOPE = "envelope"
    SCRATCH = "scratch"
    WHEEL = "wheel"

    def __str__(self) -> str:
        return str(self.value)
