from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.campaign_create_currency import CampaignCreateCurrency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_settings import DeliverySettings
    from ..models.game_config import GameConfig
    from ..models.play_limits import PlayLimits
    from ..models.wheel_config import WheelConfig


T = TypeVar("T", bound="CampaignCreate")


@_attrs_define
class CampaignCreate:
    """
    Attributes:
        name (str):
        currency (CampaignCreateCurrency):
        budget (int):
        ends_at (datetime.datetime): RFC 3339, with a time zone
        starts_at (datetime.datetime | None | Unset):
        gift_expiry_days (int | Unset): A gift stays valid through the whole local day (in `timezone`) this many days
            after issue Default: 30.
        timezone (str | Unset): IANA zone for days (limits, expiry) Default: 'Asia/Ho_Chi_Minh'.
        wheel (None | Unset | WheelConfig):
        game (GameConfig | None | Unset):
        play_limits (None | PlayLimits | Unset):
        delivery (DeliverySettings | None | Unset):
    """

    name: str
    currency: CampaignCreateCurrency
    budget: int
    ends_at: datetime.datetime
    starts_at: datetime.datetime | None | Unset = UNSET
    gift_expiry_days: int | Unset = 30
    timezone: str | Unset = "Asia/Ho_Chi_Minh"
    wheel: None | Unset | WheelConfig = UNSET
    game: GameConfig | None | Unset = UNSET
    play_limits: None | PlayLimits | Unset = UNSET
    delivery: DeliverySettings | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_settings import DeliverySettings  # noqa: PLC0415
        from ..models.game_config import GameConfig  # noqa: PLC0415
        from ..models.play_limits import PlayLimits  # noqa: PLC0415
        from ..models.wheel_config import WheelConfig  # noqa: PLC0415

        name = self.name

        currency = self.currency.value

        budget = self.budget

        ends_at = self.ends_at.isoformat()

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        gift_expiry_days = self.gift_expiry_days

        timezone = self.timezone

        wheel: dict[str, Any] | None | Unset
        if isinstance(self.wheel, Unset):
            wheel = UNSET
        elif isinstance(self.wheel, WheelConfig):
            wheel = self.wheel.to_dict()
        else:
            wheel = self.wheel

        game: dict[str, Any] | None | Unset
        if isinstance(self.game, Unset):
            game = UNSET
        elif isinstance(self.game, GameConfig):
            game = self.game.to_dict()
        else:
            game = self.game

        play_limits: dict[str, Any] | None | Unset
        if isinstance(self.play_limits, Unset):
            play_limits = UNSET
        elif isinstance(self.play_limits, PlayLimits):
            play_limits = self.play_limits.to_dict()
        else:
            play_limits = self.play_limits

        delivery: dict[str, Any] | None | Unset
        if isinstance(self.delivery, Unset):
            delivery = UNSET
        elif isinstance(self.delivery, DeliverySettings):
            delivery = self.delivery.to_dict()
        else:
            delivery = self.delivery

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "currency": currency,
                "budget": budget,
                "ends_at": ends_at,
            }
        )
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if gift_expiry_days is not UNSET:
            field_dict["gift_expiry_days"] = gift_expiry_days
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if wheel is not UNSET:
            field_dict["wheel"] = wheel
        if game is not UNSET:
            field_dict["game"] = game
        if play_limits is not UNSET:
            field_dict["play_limits"] = play_limits
        if delivery is not UNSET:
            field_dict["delivery"] = delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_settings import DeliverySettings  # noqa: PLC0415
        from ..models.game_config import GameConfig  # noqa: PLC0415
        from ..models.play_limits import PlayLimits  # noqa: PLC0415
        from ..models.wheel_config import WheelConfig  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        currency = CampaignCreateCurrency(d.pop("currency"))

        budget = d.pop("budget")

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        gift_expiry_days = d.pop("gift_expiry_days", UNSET)

        timezone = d.pop("timezone", UNSET)

        def _parse_wheel(data: object) -> None | Unset | WheelConfig:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wheel_type_0 = WheelConfig.from_dict(data)

                return wheel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WheelConfig, data)

        wheel = _parse_wheel(d.pop("wheel", UNSET))

        def _parse_game(data: object) -> GameConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                game_type_0 = GameConfig.from_dict(data)

                return game_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GameConfig | None | Unset, data)

        game = _parse_game(d.pop("game", UNSET))

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

        def _parse_delivery(data: object) -> DeliverySettings | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                delivery_type_0 = DeliverySettings.from_dict(data)

                return delivery_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliverySettings | None | Unset, data)

        delivery = _parse_delivery(d.pop("delivery", UNSET))

        campaign_create = cls(
            name=name,
            currency=currency,
            budget=budget,
            ends_at=ends_at,
            starts_at=starts_at,
            gift_expiry_days=gift_expiry_days,
            timezone=timezone,
            wheel=wheel,
            game=game,
            play_limits=play_limits,
            delivery=delivery,
        )

        return campaign_create
