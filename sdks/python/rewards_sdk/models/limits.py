from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """
    Attributes:
        spins_per_player (int | None | Unset):
        spins_per_player_per_day (int | None | Unset):
    """

    spins_per_player: int | None | Unset = UNSET
    spins_per_player_per_day: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        spins_per_player: int | None | Unset
        if isinstance(self.spins_per_player, Unset):
            spins_per_player = UNSET
        else:
            spins_per_player = self.spins_per_player

        spins_per_player_per_day: int | None | Unset
        if isinstance(self.spins_per_player_per_day, Unset):
            spins_per_player_per_day = UNSET
        else:
            spins_per_player_per_day = self.spins_per_player_per_day

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if spins_per_player is not UNSET:
            field_dict["spins_per_player"] = spins_per_player
        if spins_per_player_per_day is not UNSET:
            field_dict["spins_per_player_per_day"] = spins_per_player_per_day

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_spins_per_player(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spins_per_player = _parse_spins_per_player(d.pop("spins_per_player", UNSET))

        def _parse_spins_per_player_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spins_per_player_per_day = _parse_spins_per_player_per_day(d.pop("spins_per_player_per_day", UNSET))

        limits = cls(
            spins_per_player=spins_per_player,
            spins_per_player_per_day=spins_per_player_per_day,
        )

        return limits
