from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.budget_figures import BudgetFigures


T = TypeVar("T", bound="CampaignBudgetPayload")


@_attrs_define
class CampaignBudgetPayload:
    """
    Attributes:
        id (str):
        name (str):
        status (str):
        currency (str):
        ends_at (None | str):
        ended_at (None | str): When it ended: the PATCH that ended it early, or its ends_at once passed; null while it
            runs
        budget (BudgetFigures):
    """

    id: str
    name: str
    status: str
    currency: str
    ends_at: None | str
    ended_at: None | str
    budget: BudgetFigures
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        status = self.status

        currency = self.currency

        ends_at: None | str
        ends_at = self.ends_at

        ended_at: None | str
        ended_at = self.ended_at

        budget = self.budget.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "currency": currency,
                "ends_at": ends_at,
                "ended_at": ended_at,
                "budget": budget,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_figures import BudgetFigures  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = d.pop("status")

        currency = d.pop("currency")

        def _parse_ends_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))

        def _parse_ended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        budget = BudgetFigures.from_dict(d.pop("budget"))

        campaign_budget_payload = cls(
            id=id,
            name=name,
            status=status,
            currency=currency,
            ends_at=ends_at,
            ended_at=ended_at,
            budget=budget,
        )

        campaign_budget_payload.additional_properties = d
        return campaign_budget_payload

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
