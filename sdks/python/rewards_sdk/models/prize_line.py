from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prize_line_quantity_basis import PrizeLineQuantityBasis

T = TypeVar("T", bound="PrizeLine")


@_attrs_define
class PrizeLine:
    """
    Attributes:
        segment_id (str):
        label (str):
        value (int):
        quantity (int): how many can be won: the stock, bounded by what the budget pays
        quantity_basis (PrizeLineQuantityBasis):
        stock (int | None):
        total_value (int):
        weight (int):
        probability (float): published odds (weight / total weight)
    """

    segment_id: str
    label: str
    value: int
    quantity: int
    quantity_basis: PrizeLineQuantityBasis
    stock: int | None
    total_value: int
    weight: int
    probability: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment_id = self.segment_id

        label = self.label

        value = self.value

        quantity = self.quantity

        quantity_basis = self.quantity_basis.value

        stock: int | None
        stock = self.stock

        total_value = self.total_value

        weight = self.weight

        probability = self.probability

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment_id": segment_id,
                "label": label,
                "value": value,
                "quantity": quantity,
                "quantity_basis": quantity_basis,
                "stock": stock,
                "total_value": total_value,
                "weight": weight,
                "probability": probability,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment_id = d.pop("segment_id")

        label = d.pop("label")

        value = d.pop("value")

        quantity = d.pop("quantity")

        quantity_basis = PrizeLineQuantityBasis(d.pop("quantity_basis"))

        def _parse_stock(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        stock = _parse_stock(d.pop("stock"))

        total_value = d.pop("total_value")

        weight = d.pop("weight")

        probability = d.pop("probability")

        prize_line = cls(
            segment_id=segment_id,
            label=label,
            value=value,
            quantity=quantity,
            quantity_basis=quantity_basis,
            stock=stock,
            total_value=total_value,
            weight=weight,
            probability=probability,
        )

        prize_line.additional_properties = d
        return prize_line

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
