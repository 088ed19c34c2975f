from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.count_amount import CountAmount


T = TypeVar("T", bound="PrizeResult")


@_attrs_define
class PrizeResult:
    """
    Attributes:
        segment_id (str):
        label (str):
        value (int):
        awarded (CountAmount):
        claimed (CountAmount):
        unclaimed_value (int):
    """

    segment_id: str
    label: str
    value: int
    awarded: CountAmount
    claimed: CountAmount
    unclaimed_value: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment_id = self.segment_id

        label = self.label

        value = self.value

        awarded = self.awarded.to_dict()

        claimed = self.claimed.to_dict()

        unclaimed_value = self.unclaimed_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment_id": segment_id,
                "label": label,
                "value": value,
                "awarded": awarded,
                "claimed": claimed,
                "unclaimed_value": unclaimed_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_amount import CountAmount  # noqa: PLC0415

        d = dict(src_dict)
        segment_id = d.pop("segment_id")

        label = d.pop("label")

        value = d.pop("value")

        awarded = CountAmount.from_dict(d.pop("awarded"))

        claimed = CountAmount.from_dict(d.pop("claimed"))

        unclaimed_value = d.pop("unclaimed_value")

        prize_result = cls(
            segment_id=segment_id,
            label=label,
            value=value,
            awarded=awarded,
            claimed=claimed,
            unclaimed_value=unclaimed_value,
        )

        prize_result.additional_properties = d
        return prize_result

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
