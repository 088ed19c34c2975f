from enum import StrEnum


class OperatorHealthStatus(StrEnum):
    MISCONFIGURED = "misconfigured"
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
