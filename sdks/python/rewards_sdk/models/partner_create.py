from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PartnerCreate")


@_attrs_define
class PartnerCreate:
    """
    Attributes:
        name (str):
        contact_retention_days (int | None | Unset):
    """

    name: str
    contact_retention_days: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        contact_retention_days: int | None | Unset
        if isinstance(self.contact_retention_days, Unset):
            contact_retention_days = UNSET
        else:
            contact_retention_days = self.contact_retention_days

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if contact_retention_days is not UNSET:
            field_dict["contact_retention_days"] = contact_retention_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_contact_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        contact_retention_days = _parse_contact_retention_days(d.pop("contact_retention_days", UNSET))

        partner_create = cls(
            name=name,
            contact_retention_days=contact_retention_days,
        )

        return partner_create
