from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_channel import DeliveryChannel
from ..models.delivery_kind import DeliveryKind
from ..models.delivery_status import DeliveryStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """
    Attributes:
        id (str): `dlv_…`
        channel (DeliveryChannel):
        to (str): The contact it goes to, masked (a phone's last 3 digits, an email's first letter and domain)
        kind (DeliveryKind):
        status (DeliveryStatus):
        reason (None | str | Unset): Why it failed or bounced (`suppressed`, `unconfirmed`, `gift_voided`, the channel's
            reason, ...)
        scheduled_for (None | str | Unset): When it is due: `deliver_at`, the send window's opening, a reminder's day
        sent_at (None | str | Unset):
        updated_at (str | Unset):  Default: ''.
    """

    id: str
    channel: DeliveryChannel
    to: str
    kind: DeliveryKind
    status: DeliveryStatus
    reason: None | str | Unset = UNSET
    scheduled_for: None | str | Unset = UNSET
    sent_at: None | str | Unset = UNSET
    updated_at: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        channel = self.channel.value

        to = self.to

        kind = self.kind.value

        status = self.status.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        scheduled_for: None | str | Unset
        if isinstance(self.scheduled_for, Unset):
            scheduled_for = UNSET
        else:
            scheduled_for = self.scheduled_for

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        else:
            sent_at = self.sent_at

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "channel": channel,
                "to": to,
                "kind": kind,
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if scheduled_for is not UNSET:
            field_dict["scheduled_for"] = scheduled_for
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        channel = DeliveryChannel(d.pop("channel"))

        to = d.pop("to")

        kind = DeliveryKind(d.pop("kind"))

        status = DeliveryStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_scheduled_for(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduled_for", UNSET))

        def _parse_sent_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        updated_at = d.pop("updated_at", UNSET)

        delivery = cls(
            id=id,
            channel=channel,
            to=to,
            kind=kind,
            status=status,
            reason=reason,
            scheduled_for=scheduled_for,
            sent_at=sent_at,
            updated_at=updated_at,
        )

        delivery.additional_properties = d
        return delivery

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
