from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.resend_request_channel_type_0 import ResendRequestChannelType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResendRequest")


@_attrs_define
class ResendRequest:
    """
    Attributes:
        channel (None | ResendRequestChannelType0 | Unset):
        to (None | str | Unset):
    """

    channel: None | ResendRequestChannelType0 | Unset = UNSET
    to: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, ResendRequestChannelType0):
            channel = self.channel.value
        else:
            channel = self.channel

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if channel is not UNSET:
            field_dict["channel"] = channel
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_channel(data: object) -> None | ResendRequestChannelType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = ResendRequestChannelType0(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResendRequestChannelType0 | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        resend_request = cls(
            channel=channel,
            to=to,
        )

        return resend_request
