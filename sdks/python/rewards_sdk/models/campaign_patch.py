from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.campaign_patch_status import CampaignPatchStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_settings import DeliverySettings


T = TypeVar("T", bound="CampaignPatch")


@_attrs_define
class CampaignPatch:
    """
    Attributes:
        status (CampaignPatchStatus | Unset): `ended` is final. `active` on a campaign whose starts_at is still ahead
            keeps it `scheduled` until then
        name (str | Unset):
        ends_at (datetime.datetime | Unset): RFC 3339, with a time zone
        delivery (DeliverySettings | Unset): How a campaign's gifts reach their recipients (API.md, "Delivery to the
                recipient"). Absent on a campaign: nothing is sent, the partner uses `gift_url`.
    """

    status: CampaignPatchStatus | Unset = UNSET
    name: str | Unset = UNSET
    ends_at: datetime.datetime | Unset = UNSET
    delivery: DeliverySettings | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        name = self.name

        ends_at: str | Unset = UNSET
        if not isinstance(self.ends_at, Unset):
            ends_at = self.ends_at.isoformat()

        delivery: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delivery, Unset):
            delivery = self.delivery.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if name is not UNSET:
            field_dict["name"] = name
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if delivery is not UNSET:
            field_dict["delivery"] = delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_settings import DeliverySettings  # noqa: PLC0415

        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: CampaignPatchStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = CampaignPatchStatus(_status)

        name = d.pop("name", UNSET)

        _ends_at = d.pop("ends_at", UNSET)
        ends_at: datetime.datetime | Unset
        if isinstance(_ends_at, Unset):
            ends_at = UNSET
        else:
            ends_at = datetime.datetime.fromisoformat(_ends_at)

        _delivery = d.pop("delivery", UNSET)
        delivery: DeliverySettings | Unset
        if isinstance(_delivery, Unset):
            delivery = UNSET
        else:
            delivery = DeliverySettings.from_dict(_delivery)

        campaign_patch = cls(
            status=status,
            name=name,
            ends_at=ends_at,
            delivery=delivery,
        )

        return campaign_patch
