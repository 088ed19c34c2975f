from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_payload_channel import DeliveryPayloadChannel
from ..models.delivery_payload_kind import DeliveryPayloadKind
from ..models.delivery_payload_status import DeliveryPayloadStatus

T = TypeVar("T", bound="DeliveryPayload")


@_attrs_define
class DeliveryPayload:
    """A delivery as `gift.delivery_sent` and `gift.delivery_failed` show it: its
    contact masked.

    Attributes:
        id (str):
        gift_id (str):
        campaign_id (str):
        batch_id (None | str):
        channel (DeliveryPayloadChannel):
        to (str):
        kind (DeliveryPayloadKind):
        status (DeliveryPayloadStatus):
        reason (None | str):
        scheduled_for (None | str):
        sent_at (None | str):
        updated_at (str):
    """

    id: str
    gift_id: str
    campaign_id: str
    batch_id: None | str
    channel: DeliveryPayloadChannel
    to: str
    kind: DeliveryPayloadKind
    status: DeliveryPayloadStatus
    reason: None | str
    scheduled_for: None | str
    sent_at: None | str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        gift_id = self.gift_id

        campaign_id = self.campaign_id

        batch_id: None | str
        batch_id = self.batch_id

        channel = self.channel.value

        to = self.to

        kind = self.kind.value

        status = self.status.value

        reason: None | str
        reason = self.reason

        scheduled_for: None | str
        scheduled_for = self.scheduled_for

        sent_at: None | str
        sent_at = self.sent_at

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "gift_id": gift_id,
                "campaign_id": campaign_id,
                "batch_id": batch_id,
                "channel": channel,
                "to": to,
                "kind": kind,
                "status": status,
                "reason": reason,
                "scheduled_for": scheduled_for,
                "sent_at": sent_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        gift_id = d.pop("gift_id")

        campaign_id = d.pop("campaign_id")

        def _parse_batch_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        batch_id = _parse_batch_id(d.pop("batch_id"))

        channel = DeliveryPayloadChannel(d.pop("channel"))

        to = d.pop("to")

        kind = DeliveryPayloadKind(d.pop("kind"))

        status = DeliveryPayloadStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_scheduled_for(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduled_for"))

        def _parse_sent_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        updated_at = d.pop("updated_at")

        delivery_payload = cls(
            id=id,
            gift_id=gift_id,
            campaign_id=campaign_id,
            batch_id=batch_id,
            channel=channel,
            to=to,
            kind=kind,
            status=status,
            reason=reason,
            scheduled_for=scheduled_for,
            sent_at=sent_at,
            updated_at=updated_at,
        )

        delivery_payload.additional_properties = d
        return delivery_payload

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
