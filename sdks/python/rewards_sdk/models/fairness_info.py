from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FairnessInfo")


@_attrs_define
class FairnessInfo:
    """
    Attributes:
        seed_commitment (str):
        server_seed (None | str): Revealed once the campaign has ended
        ended_at (None | str): When the campaign ended and so the seed was revealed; null while it runs
        algorithm (str): hmac-sha256-rejection-v2: seed_commitment = hex SHA-256 of the ASCII bytes of server_seed (its
            64 hex characters, not the bytes they encode). T = sum of the wheel's segment weights; L = floor(2^64 / T) * T.
            For round = 0, 1, 2, ...: block = HMAC-SHA256(key = ASCII bytes of server_seed, message = UTF-8 of client_seed +
            ':' + nonce + ':' + round, integers in plain decimal); read block as four unsigned 64-bit big-endian integers x
            in order; the first x < L gives roll = x mod T. The drawn segment is the first, in the wheel's listed order,
            whose running sum of weights exceeds roll. client_seed and nonce are the spin's recorded fairness.client_seed
            and fairness.nonce; client_seed is the length of the player id in UTF-8 bytes, ':', the player id, ':', and the
            seed the player sent (empty if none), so it names its player without ambiguity; in an envelope game the seed is
            preceded by 'pick=', the envelope's number and ':'.
        procedure (str): How to recompute every roll from (server_seed, client_seed, nonce)
    """

    seed_commitment: str
    server_seed: None | str
    ended_at: None | str
    algorithm: str
    procedure: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seed_commitment = self.seed_commitment

        server_seed: None | str
        server_seed = self.server_seed

        ended_at: None | str
        ended_at = self.ended_at

        algorithm = self.algorithm

        procedure = self.procedure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seed_commitment": seed_commitment,
                "server_seed": server_seed,
                "ended_at": ended_at,
                "algorithm": algorithm,
                "procedure": procedure,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seed_commitment = d.pop("seed_commitment")

        def _parse_server_seed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        server_seed = _parse_server_seed(d.pop("server_seed"))

        def _parse_ended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        algorithm = d.pop("algorithm")

        procedure = d.pop("procedure")

        fairness_info = cls(
            seed_commitment=seed_commitment,
            server_seed=server_seed,
            ended_at=ended_at,
            algorithm=algorithm,
            procedure=procedure,
        )

        fairness_info.additional_properties = d
        return fairness_info

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
