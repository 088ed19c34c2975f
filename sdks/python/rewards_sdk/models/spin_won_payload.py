from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.won_prize import WonPrize


T = TypeVar("T", bound="SpinWonPayload")


@_attrs_define
class SpinWonPayload:
    """
    Attributes:
        id (str):
        campaign_id (str):
        player_id (None | str): null once the player's id was erased on request (POST /v1/recipients/erasures)
        segment_id (str):
        prize (WonPrize):
        spun_at (str):
    """

    id: str
    campaign_id: str
    player_id: None | str
    segment_id: str
    prize: WonPrize
    spun_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        campaign_id = self.campaign_id

        player_id: None | str
        player_id = self.player_id

        segment_id = self.segment_id

        prize = self.prize.to_dict()

        spun_at = self.spun_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "campaign_id": campaign_id,
                "player_id": player_id,
                "segment_id": segment_id,
                "prize": prize,
                "spun_at": spun_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.won_prize import WonPrize  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        campaign_id = d.pop("campaign_id")

        def _parse_player_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        player_id = _parse_player_id(d.pop("player_id"))

        segment_id = d.pop("segment_id")

        prize = WonPrize.from_dict(d.pop("prize"))

        spun_at = d.pop("spun_at")

        spin_won_payload = cls(
            id=id,
            campaign_id=campaign_id,
            player_id=player_id,
            segment_id=segment_id,
            prize=prize,
            spun_at=spun_at,
        )

        spin_won_payload.additional_properties = d
        return spin_won_payload

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
