from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpinRequest")


@_attrs_define
class SpinRequest:
    """
    Attributes:
        client_seed (None | str | Unset):
        pick (int | None | Unset):
    """

    client_seed: None | str | Unset = UNSET
    pick: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_seed: None | str | Unset
        if isinstance(self.client_seed, Unset):
            client_seed = UNSET
        else:
            client_seed = self.client_seed

        pick: int | None | Unset
        if isinstance(self.pick, Unset):
            pick = UNSET
        else:
            pick = self.pick

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if client_seed is not UNSET:
            field_dict["client_seed"] = client_seed
        if pick is not UNSET:
            field_dict["pick"] = pick

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_client_seed(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_seed = _parse_client_seed(d.pop("client_seed", UNSET))

        def _parse_pick(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pick = _parse_pick(d.pop("pick", UNSET))

        spin_request = cls(
            client_seed=client_seed,
            pick=pick,
        )

        return spin_request
