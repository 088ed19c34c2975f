from enum import StrEnum


class ExportCreateKind(StrEnum):
    DRAW_LOG = "draw_log"
    GIFTS = "gifts"
    RESULTS = "results"

    def __str__(self) -> str:
        return str(self.value)
