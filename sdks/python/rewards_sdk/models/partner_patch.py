from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PartnerPatch")


@_attrs_define
class PartnerPatch:
    """
    Attributes:
        contact_retention_days (int): Days a recipient's phone, email and name are kept after their gift expires; then
            they are deleted (default 90)
    """

    contact_retention_days: int

    def to_dict(self) -> dict[str, Any]:
        contact_retention_days = self.contact_retention_days

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "contact_retention_days": contact_retention_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact_retention_days = d.pop("contact_retention_days")

        partner_patch = cls(
            contact_retention_days=contact_retention_days,
        )

        return partner_patch
