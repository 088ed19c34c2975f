from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BlockedPlays")


@_attrs_define
class BlockedPlays:
    """
    Attributes:
        velocity (int): plays refused 429 over a `play_limits` rate
        blocklist (int): plays refused 403: player or device denied
        wins_cap (int): plays refused 403: the device won its cap
    """

    velocity: int
    blocklist: int
    wins_cap: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        velocity = self.velocity

        blocklist = self.blocklist

        wins_cap = self.wins_cap

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "velocity": velocity,
                "blocklist": blocklist,
                "wins_cap": wins_cap,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        velocity = d.pop("velocity")

        blocklist = d.pop("blocklist")

        wins_cap = d.pop("wins_cap")

        blocked_plays = cls(
            velocity=velocity,
            blocklist=blocklist,
            wins_cap=wins_cap,
        )

        blocked_plays.additional_properties = d
        return blocked_plays

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
