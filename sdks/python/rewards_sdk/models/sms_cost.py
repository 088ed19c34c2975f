from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sms_cost_encoding import SmsCostEncoding

T = TypeVar("T", bound="SmsCost")


@_attrs_define
class SmsCost:
    """
    Attributes:
        encoding (SmsCostEncoding):
        length (int): Characters in that encoding's units
        segments (int): SMS parts it is sent (and billed) as
    """

    encoding: SmsCostEncoding
    length: int
    segments: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        encoding = self.encoding.value

        length = self.length

        segments = self.segments

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "encoding": encoding,
                "length": length,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        encoding = SmsCostEncoding(d.pop("encoding"))

        length = d.pop("length")

        segments = d.pop("segments")

        sms_cost = cls(
            encoding=encoding,
            length=length,
            segments=segments,
        )

        sms_cost.additional_properties = d
        return sms_cost

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
