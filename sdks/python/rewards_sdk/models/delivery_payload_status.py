from enum import StrEnum


class DeliveryPayloadStatus(StrEnum):
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    DELIVERED = "delivered"
    FAILED = "failed"
    QUEUED = "queued"
    SCHEDULED = "scheduled"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
