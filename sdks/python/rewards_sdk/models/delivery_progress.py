from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeliveryProgress")


@_attrs_define
class DeliveryProgress:
    """A batch's deliveries so far.

    Attributes:
        queued (int): Planned, scheduled or on their way
        sent (int): Taken by the channel (delivered included)
        failed (int): Failed, bounced or suppressed
    """

    queued: int
    sent: int
    failed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        queued = self.queued

        sent = self.sent

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "queued": queued,
                "sent": sent,
                "failed": failed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queued = d.pop("queued")

        sent = d.pop("sent")

        failed = d.pop("failed")

        delivery_progress = cls(
            queued=queued,
            sent=sent,
            failed=failed,
        )

        delivery_progress.additional_properties = d
        return delivery_progress

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
