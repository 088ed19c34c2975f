from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.wheel_segment_odds_labels import WheelSegmentOddsLabels


T = TypeVar("T", bound="WheelSegmentOdds")


@_attrs_define
class WheelSegmentOdds:
    """
    Attributes:
        id (str):
        label (str):
        probability (float): weight / total weight, rounded to 6 places
        labels (WheelSegmentOddsLabels | Unset): The label per language, for players who see the wheel in that language
            (`{"vi": "Chúc may mắn lần sau", "en": "Better luck next time"}`); a language not listed shows `label`.
            Optional: a wheel without it reads as before
    """

    id: str
    label: str
    probability: float
    labels: WheelSegmentOddsLabels | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        label = self.label

        probability = self.probability

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "label": label,
                "probability": probability,
            }
        )
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.wheel_segment_odds_labels import WheelSegmentOddsLabels  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        probability = d.pop("probability")

        _labels = d.pop("labels", UNSET)
        labels: WheelSegmentOddsLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = WheelSegmentOddsLabels.from_dict(_labels)

        wheel_segment_odds = cls(
            id=id,
            label=label,
            probability=probability,
            labels=labels,
        )

        wheel_segment_odds.additional_properties = d
        return wheel_segment_odds

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
