from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prize import Prize
    from ..models.segment_labels import SegmentLabels


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """
    Attributes:
        id (str):
        label (str): Shown to players, and on the papers (prize structure, results report)
        weight (int):
        prize (None | Prize | Unset):
        inventory (int | None | Unset):
        labels (SegmentLabels | Unset): The label per language, for players who see the wheel in that language (`{"vi":
            "Chúc may mắn lần sau", "en": "Better luck next time"}`); a language not listed shows `label`. Optional: a wheel
            without it reads as before
    """

    id: str
    label: str
    weight: int
    prize: None | Prize | Unset = UNSET
    inventory: int | None | Unset = UNSET
    labels: SegmentLabels | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.prize import Prize  # noqa: PLC0415

        id = self.id

        label = self.label

        weight = self.weight

        prize: dict[str, Any] | None | Unset
        if isinstance(self.prize, Unset):
            prize = UNSET
        elif isinstance(self.prize, Prize):
            prize = self.prize.to_dict()
        else:
            prize = self.prize

        inventory: int | None | Unset
        if isinstance(self.inventory, Unset):
            inventory = UNSET
        else:
            inventory = self.inventory

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "label": label,
                "weight": weight,
            }
        )
        if prize is not UNSET:
            field_dict["prize"] = prize
        if inventory is not UNSET:
            field_dict["inventory"] = inventory
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prize import Prize  # noqa: PLC0415
        from ..models.segment_labels import SegmentLabels  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        weight = d.pop("weight")

        def _parse_prize(data: object) -> None | Prize | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prize_type_0 = Prize.from_dict(data)

                return prize_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Prize | Unset, data)

        prize = _parse_prize(d.pop("prize", UNSET))

        def _parse_inventory(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        inventory = _parse_inventory(d.pop("inventory", UNSET))

        _labels = d.pop("labels", UNSET)
        labels: SegmentLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = SegmentLabels.from_dict(_labels)

        segment = cls(
            id=id,
            label=label,
            weight=weight,
            prize=prize,
            inventory=inventory,
            labels=labels,
        )

        return segment
