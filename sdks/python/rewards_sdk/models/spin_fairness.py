from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpinFairness")


@_attrs_define
class SpinFairness:
    """
    Attributes:
        client_seed (str): The exact client seed the roll used: the player id's length in UTF-8 bytes, ':', the player
            id, ':', and the client_seed the player sent (empty if none)
        nonce (int): The player's spin number in this campaign, from 0
        roll (int):
        total_weight (int | Unset):
        server_seed_commitment (str | Unset):
    """

    client_seed: str
    nonce: int
    roll: int
    total_weight: int | Unset = UNSET
    server_seed_commitment: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_seed = self.client_seed

        nonce = self.nonce

        roll = self.roll

        total_weight = self.total_weight

        server_seed_commitment = self.server_seed_commitment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_seed": client_seed,
                "nonce": nonce,
                "roll": roll,
            }
        )
        if total_weight is not UNSET:
            field_dict["total_weight"] = total_weight
        if server_seed_commitment is not UNSET:
            field_dict["server_seed_commitment"] = server_seed_commitment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_seed = d.pop("client_seed")

        nonce = d.pop("nonce")

        roll = d.pop("roll")

        total_weight = d.pop("total_weight", UNSET)

        server_seed_commitment = d.pop("server_seed_commitment", UNSET)

        spin_fairness = cls(
            client_seed=client_seed,
            nonce=nonce,
            roll=roll,
            total_weight=total_weight,
            server_seed_commitment=server_seed_commitment,
        )

        spin_fairness.additional_properties = d
        return spin_fairness

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
