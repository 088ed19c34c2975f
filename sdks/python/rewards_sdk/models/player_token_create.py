from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlayerTokenCreate")


@_attrs_define
class PlayerTokenCreate:
    """
    Attributes:
        player_id (str): The partner's own id for the player
        ttl_seconds (int | Unset):  Default: 900.
    """

    player_id: str
    ttl_seconds: int | Unset = 900

    def to_dict(self) -> dict[str, Any]:
        player_id = self.player_id

        ttl_seconds = self.ttl_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "player_id": player_id,
            }
        )
        if ttl_seconds is not UNSET:
            field_dict["ttl_seconds"] = ttl_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        player_id = d.pop("player_id")

        ttl_seconds = d.pop("ttl_seconds", UNSET)

        player_token_create = cls(
            player_id=player_id,
            ttl_seconds=ttl_seconds,
        )

        return player_token_create
