from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.game_config_kind import GameConfigKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="GameConfig")


@_attrs_define
class GameConfig:
    """
    Attributes:
        kind (GameConfigKind | Unset): How the player plays the same wheel of segments: `wheel` spins it, `scratch`
            reveals one card per play, `envelope` lets the player pick one of `envelopes` envelopes (the pick is part of the
            draw's input). Fixed at creation Default: GameConfigKind.WHEEL.
        envelopes (int | None | Unset):
    """

    kind: GameConfigKind | Unset = GameConfigKind.WHEEL
    envelopes: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        envelopes: int | None | Unset
        if isinstance(self.envelopes, Unset):
            envelopes = UNSET
        else:
            envelopes = self.envelopes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kind is not UNSET:
            field_dict["kind"] = kind
        if envelopes is not UNSET:
            field_dict["envelopes"] = envelopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _kind = d.pop("kind", UNSET)
        kind: GameConfigKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = GameConfigKind(_kind)

        def _parse_envelopes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        envelopes = _parse_envelopes(d.pop("envelopes", UNSET))

        game_config = cls(
            kind=kind,
            envelopes=envelopes,
        )

        return game_config
