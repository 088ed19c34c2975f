from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlayLimits")


@_attrs_define
class PlayLimits:
    """Fraud controls on the play endpoints, beside the player's spin limits: the
    partner mints player ids, so one device or address could play as many players.

    Attributes:
        per_player_per_minute (int | None | Unset):
        per_device_per_minute (int | None | Unset):
        per_address_per_minute (int | None | Unset):
        wins_per_device (int | None | Unset):
    """

    per_player_per_minute: int | None | Unset = UNSET
    per_device_per_minute: int | None | Unset = UNSET
    per_address_per_minute: int | None | Unset = UNSET
    wins_per_device: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        per_player_per_minute: int | None | Unset
        if isinstance(self.per_player_per_minute, Unset):
            per_player_per_minute = UNSET
        else:
            per_player_per_minute = self.per_player_per_minute

        per_device_per_minute: int | None | Unset
        if isinstance(self.per_device_per_minute, Unset):
            per_device_per_minute = UNSET
        else:
            per_device_per_minute = self.per_device_per_minute

        per_address_per_minute: int | None | Unset
        if isinstance(self.per_address_per_minute, Unset):
            per_address_per_minute = UNSET
        else:
            per_address_per_minute = self.per_address_per_minute

        wins_per_device: int | None | Unset
        if isinstance(self.wins_per_device, Unset):
            wins_per_device = UNSET
        else:
            wins_per_device = self.wins_per_device

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if per_player_per_minute is not UNSET:
            field_dict["per_player_per_minute"] = per_player_per_minute
        if per_device_per_minute is not UNSET:
            field_dict["per_device_per_minute"] = per_device_per_minute
        if per_address_per_minute is not UNSET:
            field_dict["per_address_per_minute"] = per_address_per_minute
        if wins_per_device is not UNSET:
            field_dict["wins_per_device"] = wins_per_device

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_per_player_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_player_per_minute = _parse_per_player_per_minute(d.pop("per_player_per_minute", UNSET))

        def _parse_per_device_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_device_per_minute = _parse_per_device_per_minute(d.pop("per_device_per_minute", UNSET))

        def _parse_per_address_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_address_per_minute = _parse_per_address_per_minute(d.pop("per_address_per_minute", UNSET))

        def _parse_wins_per_device(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        wins_per_device = _parse_wins_per_device(d.pop("wins_per_device", UNSET))

        play_limits = cls(
            per_player_per_minute=per_player_per_minute,
            per_device_per_minute=per_device_per_minute,
            per_address_per_minute=per_address_per_minute,
            wins_per_device=wins_per_device,
        )

        return play_limits
