from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ErasedCounts")


@_attrs_define
class ErasedCounts:
    """
    Attributes:
        gifts (int): Gifts whose recipient contact was removed
        deliveries (int): Deliveries to the recipient that held the contact (webhook attempts hold none)
        events (int): Stored events the contact or player id was removed from
        spins (int): Spins of the player whose id was removed
    """

    gifts: int
    deliveries: int
    events: int
    spins: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gifts = self.gifts

        deliveries = self.deliveries

        events = self.events

        spins = self.spins

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gifts": gifts,
                "deliveries": deliveries,
                "events": events,
                "spins": spins,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gifts = d.pop("gifts")

        deliveries = d.pop("deliveries")

        events = d.pop("events")

        spins = d.pop("spins")

        erased_counts = cls(
            gifts=gifts,
            deliveries=deliveries,
            events=events,
            spins=spins,
        )

        erased_counts.additional_properties = d
        return erased_counts

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
