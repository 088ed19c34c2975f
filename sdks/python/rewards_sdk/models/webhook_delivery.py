from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_delivery_status import WebhookDeliveryStatus

T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """
    Attributes:
        id (str):
        event_id (str):
        event_type (str):
        attempt (int):
        status (WebhookDeliveryStatus):
        response_code (int | None):
        duration_ms (int):
        error (None | str):
        attempted_at (str):
        next_attempt_at (None | str):
    """

    id: str
    event_id: str
    event_type: str
    attempt: int
    status: WebhookDeliveryStatus
    response_code: int | None
    duration_ms: int
    error: None | str
    attempted_at: str
    next_attempt_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id = self.event_id

        event_type = self.event_type

        attempt = self.attempt

        status = self.status.value

        response_code: int | None
        response_code = self.response_code

        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        attempted_at = self.attempted_at

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event_id": event_id,
                "event_type": event_type,
                "attempt": attempt,
                "status": status,
                "response_code": response_code,
                "duration_ms": duration_ms,
                "error": error,
                "attempted_at": attempted_at,
                "next_attempt_at": next_attempt_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        attempt = d.pop("attempt")

        status = WebhookDeliveryStatus(d.pop("status"))

        def _parse_response_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_code = _parse_response_code(d.pop("response_code"))

        duration_ms = d.pop("duration_ms")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        attempted_at = d.pop("attempted_at")

        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        webhook_delivery = cls(
            id=id,
            event_id=event_id,
            event_type=event_type,
            attempt=attempt,
            status=status,
            response_code=response_code,
            duration_ms=duration_ms,
            error=error,
            attempted_at=attempted_at,
            next_attempt_at=next_attempt_at,
        )

        webhook_delivery.additional_properties = d
        return webhook_delivery

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
