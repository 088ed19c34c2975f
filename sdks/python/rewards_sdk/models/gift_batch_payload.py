from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GiftBatchPayload")


@_attrs_define
class GiftBatchPayload:
    """
    Attributes:
        id (str):
        campaign_id (str):
        status (str):
        count (int):
        total_amount (int):
        issued (int):
        created_at (str):
        completed_at (None | str):
    """

    id: str
    campaign_id: str
    status: str
    count: int
    total_amount: int
    issued: int
    created_at: str
    completed_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        campaign_id = self.campaign_id

        status = self.status

        count = self.count

        total_amount = self.total_amount

        issued = self.issued

        created_at = self.created_at

        completed_at: None | str
        completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "campaign_id": campaign_id,
                "status": status,
                "count": count,
                "total_amount": total_amount,
                "issued": issued,
                "created_at": created_at,
                "completed_at": completed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        campaign_id = d.pop("campaign_id")

        status = d.pop("status")

        count = d.pop("count")

        total_amount = d.pop("total_amount")

        issued = d.pop("issued")

        created_at = d.pop("created_at")

        def _parse_completed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        gift_batch_payload = cls(
            id=id,
            campaign_id=campaign_id,
            status=status,
            count=count,
            total_amount=total_amount,
            issued=issued,
            created_at=created_at,
            completed_at=completed_at,
        )

        gift_batch_payload.additional_properties = d
        return gift_batch_payload

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
