from enum import StrEnum


class EndpointHealthState(StrEnum):
    DEGRADED = "degraded"
    HEALTHY = "healthy"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
