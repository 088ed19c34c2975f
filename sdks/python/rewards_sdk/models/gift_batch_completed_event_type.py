from enum import StrEnum


class GiftBatchCompletedEventType(StrEnum):
    GIFT_BATCH_COMPLETED = "gift_batch.completed"

    def __str__(self) -> str:
        return str(self.value)
