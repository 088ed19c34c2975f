from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.count_amount import CountAmount


T = TypeVar("T", bound="SeriesPoint")


@_attrs_define
class SeriesPoint:
    """
    Attributes:
        period_start (str): the period's start in the campaign's time zone, with its offset
        issued (CountAmount):
        redeemed (CountAmount):
        reversed_ (CountAmount):
        spins (int):
        wins (int):
        players (int): distinct players who spun in the period
    """

    period_start: str
    issued: CountAmount
    redeemed: CountAmount
    reversed_: CountAmount
    spins: int
    wins: int
    players: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period_start = self.period_start

        issued = self.issued.to_dict()

        redeemed = self.redeemed.to_dict()

        reversed_ = self.reversed_.to_dict()

        spins = self.spins

        wins = self.wins

        players = self.players

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period_start": period_start,
                "issued": issued,
                "redeemed": redeemed,
                "reversed": reversed_,
                "spins": spins,
                "wins": wins,
                "players": players,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_amount import CountAmount  # noqa: PLC0415

        d = dict(src_dict)
        period_start = d.pop("period_start")

        issued = CountAmount.from_dict(d.pop("issued"))

        redeemed = CountAmount.from_dict(d.pop("redeemed"))

        reversed_ = CountAmount.from_dict(d.pop("reversed"))

        spins = d.pop("spins")

        wins = d.pop("wins")

        players = d.pop("players")

        series_point = cls(
            period_start=period_start,
            issued=issued,
            redeemed=redeemed,
            reversed_=reversed_,
            spins=spins,
            wins=wins,
            players=players,
        )

        series_point.additional_properties = d
        return series_point

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
