from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BlocklistEntry")


@_attrs_define
class BlocklistEntry:
    """
    Attributes:
        campaign_id (str):
        entry (str): The player id, or `device:<Rewards-Device-Id>`
        blocked (bool):
        added_at (str):
    """

    campaign_id: str
    entry: str
    blocked: bool
    added_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_id = self.campaign_id

        entry = self.entry

        blocked = self.blocked

        added_at = self.added_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_id": campaign_id,
                "entry": entry,
                "blocked": blocked,
                "added_at": added_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        campaign_id = d.pop("campaign_id")

        entry = d.pop("entry")

        blocked = d.pop("blocked")

        added_at = d.pop("added_at")

        blocklist_entry = cls(
            campaign_id=campaign_id,
            entry=entry,
            blocked=blocked,
            added_at=added_at,
        )

        blocklist_entry.additional_properties = d
        return blocklist_entry

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
