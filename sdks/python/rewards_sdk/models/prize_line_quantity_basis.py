from enum import StrEnum


class PrizeLineQuantityBasis(StrEnum):
    BUDGET = "budget"
    STOCK = "stock"

    def __str__(self) -> str:
        return str(self.value)
