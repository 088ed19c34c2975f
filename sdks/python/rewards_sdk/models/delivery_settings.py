from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.delivery_settings_channels_item import DeliverySettingsChannelsItem
from ..models.delivery_settings_locale_type_0 import DeliverySettingsLocaleType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.send_window import SendWindow


T = TypeVar("T", bound="DeliverySettings")


@_attrs_define
class DeliverySettings:
    """How a campaign's gifts reach their recipients (API.md, "Delivery to the
    recipient"). Absent on a campaign: nothing is sent, the partner uses `gift_url`.

    Attributes:
        channels (list[DeliverySettingsChannelsItem] | Unset): In order of preference: the first one the recipient has a
            contact for is used; `[]` means the partner sends itself, using `gift_url`
        send_window (None | SendWindow | Unset):
        reminder_days_before_expiry (int | None | Unset):
        locale (DeliverySettingsLocaleType0 | None | Unset):
        where_to_use (None | str | Unset):
    """

    channels: list[DeliverySettingsChannelsItem] | Unset = UNSET
    send_window: None | SendWindow | Unset = UNSET
    reminder_days_before_expiry: int | None | Unset = UNSET
    locale: DeliverySettingsLocaleType0 | None | Unset = UNSET
    where_to_use: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.send_window import SendWindow  # noqa: PLC0415

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        send_window: dict[str, Any] | None | Unset
        if isinstance(self.send_window, Unset):
            send_window = UNSET
        elif isinstance(self.send_window, SendWindow):
            send_window = self.send_window.to_dict()
        else:
            send_window = self.send_window

        reminder_days_before_expiry: int | None | Unset
        if isinstance(self.reminder_days_before_expiry, Unset):
            reminder_days_before_expiry = UNSET
        else:
            reminder_days_before_expiry = self.reminder_days_before_expiry

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        elif isinstance(self.locale, DeliverySettingsLocaleType0):
            locale = self.locale.value
        else:
            locale = self.locale

        where_to_use: None | str | Unset
        if isinstance(self.where_to_use, Unset):
            where_to_use = UNSET
        else:
            where_to_use = self.where_to_use

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if channels is not UNSET:
            field_dict["channels"] = channels
        if send_window is not UNSET:
            field_dict["send_window"] = send_window
        if reminder_days_before_expiry is not UNSET:
            field_dict["reminder_days_before_expiry"] = reminder_days_before_expiry
        if locale is not UNSET:
            field_dict["locale"] = locale
        if where_to_use is not UNSET:
            field_dict["where_to_use"] = where_to_use

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.send_window import SendWindow  # noqa: PLC0415

        d = dict(src_dict)
        _channels = d.pop("channels", UNSET)
        channels: list[DeliverySettingsChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = DeliverySettingsChannelsItem(channels_item_data)

                channels.append(channels_item)

        def _parse_send_window(data: object) -> None | SendWindow | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                send_window_type_0 = SendWindow.from_dict(data)

                return send_window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SendWindow | Unset, data)

        send_window = _parse_send_window(d.pop("send_window", UNSET))

        def _parse_reminder_days_before_expiry(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reminder_days_before_expiry = _parse_reminder_days_before_expiry(d.pop("reminder_days_before_expiry", UNSET))

        def _parse_locale(data: object) -> DeliverySettingsLocaleType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locale_type_0 = DeliverySettingsLocaleType0(data)

                return locale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliverySettingsLocaleType0 | None | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        def _parse_where_to_use(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        where_to_use = _parse_where_to_use(d.pop("where_to_use", UNSET))

        delivery_settings = cls(
            channels=channels,
            send_window=send_window,
            reminder_days_before_expiry=reminder_days_before_expiry,
            locale=locale,
            where_to_use=where_to_use,
        )

        return delivery_settings
