from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_endpoint_patch_status import WebhookEndpointPatchStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointPatch")


@_attrs_define
class WebhookEndpointPatch:
    """
    Attributes:
        url (str | Unset): https on deployed stages; the host must resolve only to public addresses (the local stack
            also allows loopback http)
        events (list[str] | Unset):
        status (WebhookEndpointPatchStatus | Unset):
        description (None | str | Unset):
    """

    url: str | Unset = UNSET
    events: list[str] | Unset = UNSET
    status: WebhookEndpointPatchStatus | Unset = UNSET
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = self.events

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
        if status is not UNSET:
            field_dict["status"] = status
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        events = cast(list[str], d.pop("events", UNSET))

        _status = d.pop("status", UNSET)
        status: WebhookEndpointPatchStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = WebhookEndpointPatchStatus(_status)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        webhook_endpoint_patch = cls(
            url=url,
            events=events,
            status=status,
            description=description,
        )

        return webhook_endpoint_patch
