from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_endpoint_status import WebhookEndpointStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.endpoint_health import EndpointHealth


T = TypeVar("T", bound="WebhookEndpoint")


@_attrs_define
class WebhookEndpoint:
    """
    Attributes:
        id (str):
        url (str):
        events (list[str]):
        description (None | str):
        status (WebhookEndpointStatus):
        disabled_reason (None | str):
        created_at (str):
        updated_at (str):
        health (EndpointHealth):
        secret (None | str | Unset): `whsec_<base64 of a 32-byte key>`: only in the answer that creates the endpoint;
            keep it to verify `webhook-signature` (Standard Webhooks) or `Rewards-Signature`
    """

    id: str
    url: str
    events: list[str]
    description: None | str
    status: WebhookEndpointStatus
    disabled_reason: None | str
    created_at: str
    updated_at: str
    health: EndpointHealth
    secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        events = self.events

        description: None | str
        description = self.description

        status = self.status.value

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        created_at = self.created_at

        updated_at = self.updated_at

        health = self.health.to_dict()

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "events": events,
                "description": description,
                "status": status,
                "disabled_reason": disabled_reason,
                "created_at": created_at,
                "updated_at": updated_at,
                "health": health,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.endpoint_health import EndpointHealth  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        events = cast(list[str], d.pop("events"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        status = WebhookEndpointStatus(d.pop("status"))

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        health = EndpointHealth.from_dict(d.pop("health"))

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        webhook_endpoint = cls(
            id=id,
            url=url,
            events=events,
            description=description,
            status=status,
            disabled_reason=disabled_reason,
            created_at=created_at,
            updated_at=updated_at,
            health=health,
            secret=secret,
        )

        webhook_endpoint.additional_properties = d
        return webhook_endpoint

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
