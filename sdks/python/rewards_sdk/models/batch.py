from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_status import BatchStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_progress import DeliveryProgress


T = TypeVar("T", bound="Batch")


@_attrs_define
class Batch:
    """
    Attributes:
        id (str):
        status (BatchStatus):
        campaign_id (str):
        count (int):
        total_amount (int):
        issued (int): Gifts written so far (progress)
        created_at (str):
        completed_at (None | str | Unset):
        delivery (DeliveryProgress | Unset): A batch's deliveries so far.
    """

    id: str
    status: BatchStatus
    campaign_id: str
    count: int
    total_amount: int
    issued: int
    created_at: str
    completed_at: None | str | Unset = UNSET
    delivery: DeliveryProgress | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        campaign_id = self.campaign_id

        count = self.count

        total_amount = self.total_amount

        issued = self.issued

        created_at = self.created_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        delivery: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delivery, Unset):
            delivery = self.delivery.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "campaign_id": campaign_id,
                "count": count,
                "total_amount": total_amount,
                "issued": issued,
                "created_at": created_at,
            }
        )
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if delivery is not UNSET:
            field_dict["delivery"] = delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_progress import DeliveryProgress  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = BatchStatus(d.pop("status"))

        campaign_id = d.pop("campaign_id")

        count = d.pop("count")

        total_amount = d.pop("total_amount")

        issued = d.pop("issued")

        created_at = d.pop("created_at")

        def _parse_completed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        _delivery = d.pop("delivery", UNSET)
        delivery: DeliveryProgress | Unset
        if isinstance(_delivery, Unset):
            delivery = UNSET
        else:
            delivery = DeliveryProgress.from_dict(_delivery)

        batch = cls(
            id=id,
            status=status,
            campaign_id=campaign_id,
            count=count,
            total_amount=total_amount,
            issued=issued,
            created_at=created_at,
            completed_at=completed_at,
            delivery=delivery,
        )

        batch.additional_properties = d
        return batch

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
