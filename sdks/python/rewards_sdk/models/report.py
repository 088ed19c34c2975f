from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_granularity_type_0 import ReportGranularityType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.blocked_plays import BlockedPlays
    from ..models.budget import Budget
    from ..models.gift_figures import GiftFigures
    from ..models.series_point import SeriesPoint
    from ..models.spin_figures import SpinFigures


T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """
    Attributes:
        campaign_id (str):
        currency (str):
        budget (Budget):
        gifts (GiftFigures):
        spins (SpinFigures):
        redemption_rate (float): redeemed amount / issued amount
        as_of (str):
        timezone (None | str | Unset):
        plays_blocked (BlockedPlays | Unset):
        granularity (None | ReportGranularityType0 | Unset):
        series (list[SeriesPoint] | None | Unset): with ?granularity=day|hour (&from=&to=): the figures per period. One
            rule for the totals and the series: `redeemed.count` counts redemptions (each partial redemption or capture
            once), `redeemed.amount` is what was redeemed net of reversals, and `reversed` gives the reversals on their own
            (count, and the amount given back to gifts). A reversal counts when it happens, so a period with more reversed
            than redeemed has a negative `redeemed.amount`, and the series' periods add up to the totals
    """

    campaign_id: str
    currency: str
    budget: Budget
    gifts: GiftFigures
    spins: SpinFigures
    redemption_rate: float
    as_of: str
    timezone: None | str | Unset = UNSET
    plays_blocked: BlockedPlays | Unset = UNSET
    granularity: None | ReportGranularityType0 | Unset = UNSET
    series: list[SeriesPoint] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_id = self.campaign_id

        currency = self.currency

        budget = self.budget.to_dict()

        gifts = self.gifts.to_dict()

        spins = self.spins.to_dict()

        redemption_rate = self.redemption_rate

        as_of = self.as_of

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        plays_blocked: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plays_blocked, Unset):
            plays_blocked = self.plays_blocked.to_dict()

        granularity: None | str | Unset
        if isinstance(self.granularity, Unset):
            granularity = UNSET
        elif isinstance(self.granularity, ReportGranularityType0):
            granularity = self.granularity.value
        else:
            granularity = self.granularity

        series: list[dict[str, Any]] | None | Unset
        if isinstance(self.series, Unset):
            series = UNSET
        elif isinstance(self.series, list):
            series = []
            for series_type_0_item_data in self.series:
                series_type_0_item = series_type_0_item_data.to_dict()
                series.append(series_type_0_item)

        else:
            series = self.series

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_id": campaign_id,
                "currency": currency,
                "budget": budget,
                "gifts": gifts,
                "spins": spins,
                "redemption_rate": redemption_rate,
                "as_of": as_of,
            }
        )
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if plays_blocked is not UNSET:
            field_dict["plays_blocked"] = plays_blocked
        if granularity is not UNSET:
            field_dict["granularity"] = granularity
        if series is not UNSET:
            field_dict["series"] = series

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.blocked_plays import BlockedPlays  # noqa: PLC0415
        from ..models.budget import Budget  # noqa: PLC0415
        from ..models.gift_figures import GiftFigures  # noqa: PLC0415
        from ..models.series_point import SeriesPoint  # noqa: PLC0415
        from ..models.spin_figures import SpinFigures  # noqa: PLC0415

        d = dict(src_dict)
        campaign_id = d.pop("campaign_id")

        currency = d.pop("currency")

        budget = Budget.from_dict(d.pop("budget"))

        gifts = GiftFigures.from_dict(d.pop("gifts"))

        spins = SpinFigures.from_dict(d.pop("spins"))

        redemption_rate = d.pop("redemption_rate")

        as_of = d.pop("as_of")

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        _plays_blocked = d.pop("plays_blocked", UNSET)
        plays_blocked: BlockedPlays | Unset
        if isinstance(_plays_blocked, Unset):
            plays_blocked = UNSET
        else:
            plays_blocked = BlockedPlays.from_dict(_plays_blocked)

        def _parse_granularity(data: object) -> None | ReportGranularityType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                granularity_type_0 = ReportGranularityType0(data)

                return granularity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReportGranularityType0 | Unset, data)

        granularity = _parse_granularity(d.pop("granularity", UNSET))

        def _parse_series(data: object) -> list[SeriesPoint] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                series_type_0 = []
                _series_type_0 = data
                for series_type_0_item_data in _series_type_0:
                    series_type_0_item = SeriesPoint.from_dict(series_type_0_item_data)

                    series_type_0.append(series_type_0_item)

                return series_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SeriesPoint] | None | Unset, data)

        series = _parse_series(d.pop("series", UNSET))

        report = cls(
            campaign_id=campaign_id,
            currency=currency,
            budget=budget,
            gifts=gifts,
            spins=spins,
            redemption_rate=redemption_rate,
            as_of=as_of,
            timezone=timezone,
            plays_blocked=plays_blocked,
            granularity=granularity,
            series=series,
        )

        report.additional_properties = d
        return report

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
