from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prize_line import PrizeLine


T = TypeVar("T", bound="PrizeStructure")


@_attrs_define
class PrizeStructure:
    """
    Attributes:
        campaign_id (str):
        name (str):
        currency (str):
        timezone (str):
        starts_at (str):
        ends_at (str): The planned end
        starts_local (str):
        ends_local (str):
        ended_at (None | str): When the campaign actually ended: the moment a PATCH ended it early, else `ends_at` once
            passed; null while it has not ended. The papers (results report, prize structure, fairness reveal) count from it
        ended_local (None | str): `ended_at` in the campaign's time zone, with its offset
        budget (int):
        total_weight (int):
        fallback_segment_id (None | str):
        prizes (list[PrizeLine]):
        prizes_total (int): the rows' `total_value` summed. Each row's quantity is bounded by the budget on its own (as
            if no other prize were won), so together the rows can exceed the budget
        budget_cap (int): the budget: every prize won is paid from it, so all prizes together never pay more, whatever
            the rows add up to
        capped_by_budget (bool): true when `prizes_total` exceeds `budget_cap`, so `total_prize_value` is the budget:
            the prizes cannot all be won
        total_prize_value (int): the most the prizes can pay out together: the lesser of `prizes_total` and `budget_cap`
        seed_commitment (str):
    """

    campaign_id: str
    name: str
    currency: str
    timezone: str
    starts_at: str
    ends_at: str
    starts_local: str
    ends_local: str
    ended_at: None | str
    ended_local: None | str
    budget: int
    total_weight: int
    fallback_segment_id: None | str
    prizes: list[PrizeLine]
    prizes_total: int
    budget_cap: int
    capped_by_budget: bool
    total_prize_value: int
    seed_commitment: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_id = self.campaign_id

        name = self.name

        currency = self.currency

        timezone = self.timezone

        starts_at = self.starts_at

        ends_at = self.ends_at

        starts_local = self.starts_local

        ends_local = self.ends_local

        ended_at: None | str
        ended_at = self.ended_at

        ended_local: None | str
        ended_local = self.ended_local

        budget = self.budget

        total_weight = self.total_weight

        fallback_segment_id: None | str
        fallback_segment_id = self.fallback_segment_id

        prizes = []
        for prizes_item_data in self.prizes:
            prizes_item = prizes_item_data.to_dict()
            prizes.append(prizes_item)

        prizes_total = self.prizes_total

        budget_cap = self.budget_cap

        capped_by_budget = self.capped_by_budget

        total_prize_value = self.total_prize_value

        seed_commitment = self.seed_commitment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_id": campaign_id,
                "name": name,
                "currency": currency,
                "timezone": timezone,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "starts_local": starts_local,
                "ends_local": ends_local,
                "ended_at": ended_at,
                "ended_local": ended_local,
                "budget": budget,
                "total_weight": total_weight,
                "fallback_segment_id": fallback_segment_id,
                "prizes": prizes,
                "prizes_total": prizes_total,
                "budget_cap": budget_cap,
                "capped_by_budget": capped_by_budget,
                "total_prize_value": total_prize_value,
                "seed_commitment": seed_commitment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prize_line import PrizeLine  # noqa: PLC0415

        d = dict(src_dict)
        campaign_id = d.pop("campaign_id")

        name = d.pop("name")

        currency = d.pop("currency")

        timezone = d.pop("timezone")

        starts_at = d.pop("starts_at")

        ends_at = d.pop("ends_at")

        starts_local = d.pop("starts_local")

        ends_local = d.pop("ends_local")

        def _parse_ended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        def _parse_ended_local(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_local = _parse_ended_local(d.pop("ended_local"))

        budget = d.pop("budget")

        total_weight = d.pop("total_weight")

        def _parse_fallback_segment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        fallback_segment_id = _parse_fallback_segment_id(d.pop("fallback_segment_id"))

        prizes = []
        _prizes = d.pop("prizes")
        for prizes_item_data in _prizes:
            prizes_item = PrizeLine.from_dict(prizes_item_data)

            prizes.append(prizes_item)

        prizes_total = d.pop("prizes_total")

        budget_cap = d.pop("budget_cap")

        capped_by_budget = d.pop("capped_by_budget")

        total_prize_value = d.pop("total_prize_value")

        seed_commitment = d.pop("seed_commitment")

        prize_structure = cls(
            campaign_id=campaign_id,
            name=name,
            currency=currency,
            timezone=timezone,
            starts_at=starts_at,
            ends_at=ends_at,
            starts_local=starts_local,
            ends_local=ends_local,
            ended_at=ended_at,
            ended_local=ended_local,
            budget=budget,
            total_weight=total_weight,
            fallback_segment_id=fallback_segment_id,
            prizes=prizes,
            prizes_total=prizes_total,
            budget_cap=budget_cap,
            capped_by_budget=capped_by_budget,
            total_prize_value=total_prize_value,
            seed_commitment=seed_commitment,
        )

        prize_structure.additional_properties = d
        return prize_structure

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
