from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.segment_count import SegmentCount


T = TypeVar("T", bound="SpinFigures")


@_attrs_define
class SpinFigures:
    """
    Attributes:
        count (int):
        wins (int):
        by_segment (list[SegmentCount]):
    """

    count: int
    wins: int
    by_segment: list[SegmentCount]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        wins = self.wins

        by_segment = []
        for by_segment_item_data in self.by_segment:
            by_segment_item = by_segment_item_data.to_dict()
            by_segment.append(by_segment_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "wins": wins,
                "by_segment": by_segment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.segment_count import SegmentCount  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        wins = d.pop("wins")

        by_segment = []
        _by_segment = d.pop("by_segment")
        for by_segment_item_data in _by_segment:
            by_segment_item = SegmentCount.from_dict(by_segment_item_data)

            by_segment.append(by_segment_item)

        spin_figures = cls(
            count=count,
            wins=wins,
            by_segment=by_segment,
        )

        spin_figures.additional_properties = d
        return spin_figures

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
