from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gift import Gift
    from ..models.spin_fairness import SpinFairness
    from ..models.spin_prize import SpinPrize


T = TypeVar("T", bound="Spin")


@_attrs_define
class Spin:
    """
    Attributes:
        id (str):
        segment_id (str): Where the wheel lands (the fallback segment when the drawn prize was unavailable)
        drawn_segment_id (str): What the fair draw picked
        fallback (bool):
        prize (None | SpinPrize):
        gift (Gift | None):
        fairness (SpinFairness):
        spun_at (str):
        spins_left (int | None | Unset): Spins this player has left after this one (null: unlimited)
        spins_left_today (int | None | Unset): Spins left today in the campaign's time zone (null: unlimited)
        pick (int | Unset): Envelope games: the envelope opened
    """

    id: str
    segment_id: str
    drawn_segment_id: str
    fallback: bool
    prize: None | SpinPrize
    gift: Gift | None
    fairness: SpinFairness
    spun_at: str
    spins_left: int | None | Unset = UNSET
    spins_left_today: int | None | Unset = UNSET
    pick: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.spin_prize import SpinPrize  # noqa: PLC0415

        id = self.id

        segment_id = self.segment_id

        drawn_segment_id = self.drawn_segment_id

        fallback = self.fallback

        prize: dict[str, Any] | None
        if isinstance(self.prize, SpinPrize):
            prize = self.prize.to_dict()
        else:
            prize = self.prize

        gift: dict[str, Any] | None
        if isinstance(self.gift, Gift):
            gift = self.gift.to_dict()
        else:
            gift = self.gift

        fairness = self.fairness.to_dict()

        spun_at = self.spun_at

        spins_left: int | None | Unset
        if isinstance(self.spins_left, Unset):
            spins_left = UNSET
        else:
            spins_left = self.spins_left

        spins_left_today: int | None | Unset
        if isinstance(self.spins_left_today, Unset):
            spins_left_today = UNSET
        else:
            spins_left_today = self.spins_left_today

        pick = self.pick

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "segment_id": segment_id,
                "drawn_segment_id": drawn_segment_id,
                "fallback": fallback,
                "prize": prize,
                "gift": gift,
                "fairness": fairness,
                "spun_at": spun_at,
            }
        )
        if spins_left is not UNSET:
            field_dict["spins_left"] = spins_left
        if spins_left_today is not UNSET:
            field_dict["spins_left_today"] = spins_left_today
        if pick is not UNSET:
            field_dict["pick"] = pick

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.spin_fairness import SpinFairness  # noqa: PLC0415
        from ..models.spin_prize import SpinPrize  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

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

        def _parse_gift(data: object) -> Gift | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gift_type_0 = Gift.from_dict(data)

                return gift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gift | None, data)

        gift = _parse_gift(d.pop("gift"))

        fairness = SpinFairness.from_dict(d.pop("fairness"))

        spun_at = d.pop("spun_at")

        def _parse_spins_left(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spins_left = _parse_spins_left(d.pop("spins_left", UNSET))

        def _parse_spins_left_today(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spins_left_today = _parse_spins_left_today(d.pop("spins_left_today", UNSET))

        pick = d.pop("pick", UNSET)

        spin = cls(
            id=id,
            segment_id=segment_id,
            drawn_segment_id=drawn_segment_id,
            fallback=fallback,
            prize=prize,
            gift=gift,
            fairness=fairness,
            spun_at=spun_at,
            spins_left=spins_left,
            spins_left_today=spins_left_today,
            pick=pick,
        )

        spin.additional_properties = d
        return spin

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
