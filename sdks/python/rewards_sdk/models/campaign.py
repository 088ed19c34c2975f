from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget import Budget
    from ..models.delivery_settings import DeliverySettings
    from ..models.fairness import Fairness
    from ..models.game_config import GameConfig
    from ..models.play_limits import PlayLimits
    from ..models.wheel_config import WheelConfig


T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign:
    """
    Attributes:
        id (str):
        name (str):
        status (CampaignStatus):
        currency (str):
        budget (Budget):
        starts_at (str):
        ends_at (str): The planned end
        ended_at (None | str): When the campaign actually ended: the moment a PATCH ended it early, else `ends_at` once
            passed; null while it has not ended. The papers (results report, prize structure, fairness reveal) count from it
        gift_expiry_days (int):
        timezone (str):
        wheel (None | WheelConfig):
        fairness (Fairness):
        created_at (str):
        game (GameConfig | Unset):
        play_limits (None | PlayLimits | Unset):
        delivery (DeliverySettings | Unset): How a campaign's gifts reach their recipients (API.md, "Delivery to the
                recipient"). Absent on a campaign: nothing is sent, the partner uses `gift_url`.
    """

    id: str
    name: str
    status: CampaignStatus
    currency: str
    budget: Budget
    starts_at: str
    ends_at: str
    ended_at: None | str
    gift_expiry_days: int
    timezone: str
    wheel: None | WheelConfig
    fairness: Fairness
    created_at: str
    game: GameConfig | Unset = UNSET
    play_limits: None | PlayLimits | Unset = UNSET
    delivery: DeliverySettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.play_limits import PlayLimits  # noqa: PLC0415
        from ..models.wheel_config import WheelConfig  # noqa: PLC0415

        id = self.id

        name = self.name

        status = self.status.value

        currency = self.currency

        budget = self.budget.to_dict()

        starts_at = self.starts_at

        ends_at = self.ends_at

        ended_at: None | str
        ended_at = self.ended_at

        gift_expiry_days = self.gift_expiry_days

        timezone = self.timezone

        wheel: dict[str, Any] | None
        if isinstance(self.wheel, WheelConfig):
            wheel = self.wheel.to_dict()
        else:
            wheel = self.wheel

        fairness = self.fairness.to_dict()

        created_at = self.created_at

        game: dict[str, Any] | Unset = UNSET
        if not isinstance(self.game, Unset):
            game = self.game.to_dict()

        play_limits: dict[str, Any] | None | Unset
        if isinstance(self.play_limits, Unset):
            play_limits = UNSET
        elif isinstance(self.play_limits, PlayLimits):
            play_limits = self.play_limits.to_dict()
        else:
            play_limits = self.play_limits

        delivery: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delivery, Unset):
            delivery = self.delivery.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "currency": currency,
                "budget": budget,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "ended_at": ended_at,
                "gift_expiry_days": gift_expiry_days,
                "timezone": timezone,
                "wheel": wheel,
                "fairness": fairness,
                "created_at": created_at,
            }
        )
        if game is not UNSET:
            field_dict["game"] = game
        if play_limits is not UNSET:
            field_dict["play_limits"] = play_limits
        if delivery is not UNSET:
            field_dict["delivery"] = delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget import Budget  # noqa: PLC0415
        from ..models.delivery_settings import DeliverySettings  # noqa: PLC0415
        from ..models.fairness import Fairness  # noqa: PLC0415
        from ..models.game_config import GameConfig  # noqa: PLC0415
        from ..models.play_limits import PlayLimits  # noqa: PLC0415
        from ..models.wheel_config import WheelConfig  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = CampaignStatus(d.pop("status"))

        currency = d.pop("currency")

        budget = Budget.from_dict(d.pop("budget"))

        starts_at = d.pop("starts_at")

        ends_at = d.pop("ends_at")

        def _parse_ended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        gift_expiry_days = d.pop("gift_expiry_days")

        timezone = d.pop("timezone")

        def _parse_wheel(data: object) -> None | WheelConfig:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wheel_type_0 = WheelConfig.from_dict(data)

                return wheel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WheelConfig, data)

        wheel = _parse_wheel(d.pop("wheel"))

        fairness = Fairness.from_dict(d.pop("fairness"))

        created_at = d.pop("created_at")

        _game = d.pop("game", UNSET)
        game: GameConfig | Unset
        if isinstance(_game, Unset):
            game = UNSET
        else:
            game = GameConfig.from_dict(_game)

        def _parse_play_limits(data: object) -> None | PlayLimits | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                play_limits_type_0 = PlayLimits.from_dict(data)

                return play_limits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlayLimits | Unset, data)

        play_limits = _parse_play_limits(d.pop("play_limits", UNSET))

        _delivery = d.pop("delivery", UNSET)
        delivery: DeliverySettings | Unset
        if isinstance(_delivery, Unset):
            delivery = UNSET
        else:
            delivery = DeliverySettings.from_dict(_delivery)

        campaign = cls(
            id=id,
            name=name,
            status=status,
            currency=currency,
            budget=budget,
            starts_at=starts_at,
            ends_at=ends_at,
            ended_at=ended_at,
            gift_expiry_days=gift_expiry_days,
            timezone=timezone,
            wheel=wheel,
            fairness=fairness,
            created_at=created_at,
            game=game,
            play_limits=play_limits,
            delivery=delivery,
        )

        campaign.additional_properties = d
        return campaign

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
