from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ZaloTemplateIds")


@_attrs_define
class ZaloTemplateIds:
    """
    Attributes:
        gift (str):
        reminder (None | str | Unset):
    """

    gift: str
    reminder: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        gift = self.gift

        reminder: None | str | Unset
        if isinstance(self.reminder, Unset):
            reminder = UNSET
        else:
            reminder = self.reminder

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "gift": gift,
            }
        )
        if reminder is not UNSET:
            field_dict["reminder"] = reminder

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gift = d.pop("gift")

        def _parse_reminder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reminder = _parse_reminder(d.pop("reminder", UNSET))

        zalo_template_ids = cls(
            gift=gift,
            reminder=reminder,
        )

        return zalo_template_ids
