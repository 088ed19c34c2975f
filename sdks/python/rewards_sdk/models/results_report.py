from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.count_amount import CountAmount
    from ..models.prize_result import PrizeResult


T = TypeVar("T", bound="ResultsReport")


@_attrs_define
class ResultsReport:
    """
    Attributes:
        campaign_id (str):
        name (str):
        partner_name (str): The partner running the promotion: the business that files the report
        currency (str):
        timezone (str):
        starts_at (str):
        ends_at (str): The planned end
        ended_at (str): When the campaign actually ended (the PATCH that ended it early, else `ends_at`): the period
            reported runs from starts_at to here
        prizes (list[PrizeResult]):
        awarded (CountAmount):
        claimed (CountAmount):
        unclaimed_value (int):
        state_budget_due (int): 50 % of the unclaimed value (rounded up to the đồng)
        state_budget_rate (float):
        final (bool): true once every won gift has expired: unclaimed can no longer shrink
        final_at (str): when the last prize (won at `ended_at`) expires
        report_deadline (str): results report due: ended_at + 45 days
        as_of (str):
    """

    campaign_id: str
    name: str
    partner_name: str
    currency: str
    timezone: str
    starts_at: str
    ends_at: str
    ended_at: str
    prizes: list[PrizeResult]
    awarded: CountAmount
    claimed: CountAmount
    unclaimed_value: int
    state_budget_due: int
    state_budget_rate: float
    final: bool
    final_at: str
    report_deadline: str
    as_of: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_id = self.campaign_id

        name = self.name

        partner_name = self.partner_name

        currency = self.currency

        timezone = self.timezone

        starts_at = self.starts_at

        ends_at = self.ends_at

        ended_at = self.ended_at

        prizes = []
        for prizes_item_data in self.prizes:
            prizes_item = prizes_item_data.to_dict()
            prizes.append(prizes_item)

        awarded = self.awarded.to_dict()

        claimed = self.claimed.to_dict()

        unclaimed_value = self.unclaimed_value

        state_budget_due = self.state_budget_due

        state_budget_rate = self.state_budget_rate

        final = self.final

        final_at = self.final_at

        report_deadline = self.report_deadline

        as_of = self.as_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_id": campaign_id,
                "name": name,
                "partner_name": partner_name,
                "currency": currency,
                "timezone": timezone,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "ended_at": ended_at,
                "prizes": prizes,
                "awarded": awarded,
                "claimed": claimed,
                "unclaimed_value": unclaimed_value,
                "state_budget_due": state_budget_due,
                "state_budget_rate": state_budget_rate,
                "final": final,
                "final_at": final_at,
                "report_deadline": report_deadline,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_amount import CountAmount  # noqa: PLC0415
        from ..models.prize_result import PrizeResult  # noqa: PLC0415

        d = dict(src_dict)
        campaign_id = d.pop("campaign_id")

        name = d.pop("name")

        partner_name = d.pop("partner_name")

        currency = d.pop("currency")

        timezone = d.pop("timezone")

        starts_at = d.pop("starts_at")

        ends_at = d.pop("ends_at")

        ended_at = d.pop("ended_at")

        prizes = []
        _prizes = d.pop("prizes")
        for prizes_item_data in _prizes:
            prizes_item = PrizeResult.from_dict(prizes_item_data)

            prizes.append(prizes_item)

        awarded = CountAmount.from_dict(d.pop("awarded"))

        claimed = CountAmount.from_dict(d.pop("claimed"))

        unclaimed_value = d.pop("unclaimed_value")

        state_budget_due = d.pop("state_budget_due")

        state_budget_rate = d.pop("state_budget_rate")

        final = d.pop("final")

        final_at = d.pop("final_at")

        report_deadline = d.pop("report_deadline")

        as_of = d.pop("as_of")

        results_report = cls(
            campaign_id=campaign_id,
            name=name,
            partner_name=partner_name,
            currency=currency,
            timezone=timezone,
            starts_at=starts_at,
            ends_at=ends_at,
            ended_at=ended_at,
            prizes=prizes,
            awarded=awarded,
            claimed=claimed,
            unclaimed_value=unclaimed_value,
            state_budget_due=state_budget_due,
            state_budget_rate=state_budget_rate,
            final=final,
            final_at=final_at,
            report_deadline=report_deadline,
            as_of=as_of,
        )

        results_report.additional_properties = d
        return results_report

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
