from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.spin_prize import SpinPrize


T = TypeVar("T", bound="SpinRecord")


@_attrs_define
class SpinRecord:
    """
    Attributes:
        id (str):
        player_id (None | str): Masked (`zal*******567`) unless the API key holds `players:read`: player ids are often
            phone numbers or emails; null once the player's id was erased on request (POST /v1/recipients/erasures)
        segment_id (str):
        drawn_segment_id (str):
        fallback (bool):
        prize (None | SpinPrize):
        client_seed (None | str): The exact client seed the roll used; the player id inside it is masked as `player_id`
            is (a verifier replaying the rolls needs `players:read`, or an unmasked draw-log export); null once the player's
            id was erased
        nonce (int):
        roll (int):
        total_weight (int):
        spun_at (str):
        pick (int | Unset): Envelope games: the envelope opened, which client_seed names
        erased (bool | Unset): The player's id was erased on request: `player_id` and `client_seed` are null because the
            client seed named the player. The roll can no longer be recomputed by anyone; a verifier checks what remains
            (the roll is below total_weight and lands on drawn_segment_id) and reports the spin as erased, not as malformed
            Default: False.
    """

    id: str
    player_id: None | str
    segment_id: str
    drawn_segment_id: str
    fallback: bool
    prize: None | SpinPrize
    client_seed: None | str
    nonce: int
    roll: int
    total_weight: int
    spun_at: str
    pick: int | Unset = UNSET
    erased: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.spin_prize import SpinPrize  # noqa: PLC0415

        id = self.id

        player_id: None | str
        player_id = self.player_id

        segment_id = self.segment_id

        drawn_segment_id = self.drawn_segment_id

        fallback = self.fallback

        prize: dict[str, Any] | None
        if isinstance(self.prize, SpinPrize):
            prize = self.prize.to_dict()
        else:
            prize = self.prize

        client_seed: None | str
        client_seed = self.client_seed

        nonce = self.nonce

        roll = self.roll

        total_weight = self.total_weight

        spun_at = self.spun_at

        pick = self.pick

        erased = self.erased

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "player_id": player_id,
                "segment_id": segment_id,
                "drawn_segment_id": drawn_segment_id,
                "fallback": fallback,
                "prize": prize,
                "client_seed": client_seed,
                "nonce": nonce,
                "roll": roll,
                "total_weight": total_weight,
                "spun_at": spun_at,
            }
        )
        if pick is not UNSET:
            field_dict["pick"] = pick
        if erased is not UNSET:
            field_dict["erased"] = erased

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.spin_prize import SpinPrize  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_player_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        player_id = _parse_player_id(d.pop("player_id"))

        segment_id = d.pop("segment_id")

        drawn_segment_id = d.pop("drawn_segment_id")

        fallback = d.pop("fallback")

        def _parse_prize(data: object) -> None | SpinPrize:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prize_type_0 = SpinPrize.from_dict(data)

                return prize_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpinPrize, data)

        prize = _parse_prize(d.pop("prize"))

        def _parse_client_seed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_seed = _parse_client_seed(d.pop("client_seed"))

        nonce = d.pop("nonce")

        roll = d.pop("roll")

        total_weight = d.pop("total_weight")

        spun_at = d.pop("spun_at")

        pick = d.pop("pick", UNSET)

        erased = d.pop("erased", UNSET)

        spin_record = cls(
            id=id,
            player_id=player_id,
            segment_id=segment_id,
            drawn_segment_id=drawn_segment_id,
            fallback=fallback,
            prize=prize,
            client_seed=client_seed,
            nonce=nonce,
            roll=roll,
            total_weight=total_weight,
            spun_at=spun_at,
            pick=pick,
            erased=erased,
        )

        spin_record.additional_properties = d
        return spin_record

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
