from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gift_delivery_sent_event_type import GiftDeliverySentEventType

if TYPE_CHECKING:
    from ..models.delivery_payload import DeliveryPayload


T = TypeVar("T", bound="GiftDeliverySentEvent")


@_attrs_define
class GiftDeliverySentEvent:
    """
    Attributes:
        id (str): `evt_…`, the same on every delivery (`webhook-id`): dedupe by it
        type_ (GiftDeliverySentEventType):
        created_at (str):
        campaign_id (None | str):
        data (DeliveryPayload): A delivery as `gift.delivery_sent` and `gift.delivery_failed` show it: its
                contact masked.
    """

    id: str
    type_: GiftDeliverySentEventType
    created_at: str
    campaign_id: None | str
    data: DeliveryPayload
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        created_at = self.created_at

        campaign_id: None | str
        campaign_id = self.campaign_id

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "created_at": created_at,
                "campaign_id": campaign_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_payload import DeliveryPayload  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = GiftDeliverySentEventType(d.pop("type"))

        created_at = d.pop("created_at")

        def _parse_campaign_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        campaign_id = _parse_campaign_id(d.pop("campaign_id"))

        data = DeliveryPayload.from_dict(d.pop("data"))

        gift_delivery_sent_event = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            campaign_id=campaign_id,
            data=data,
        )

        gift_delivery_sent_event.additional_properties = d
        return gift_delivery_sent_event

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
