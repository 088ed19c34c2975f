from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.erasure_subject import ErasureSubject

if TYPE_CHECKING:
    from ..models.erased_counts import ErasedCounts


T = TypeVar("T", bound="Erasure")


@_attrs_define
class Erasure:
    """
    Attributes:
        id (str):
        subject (ErasureSubject):
        erased (ErasedCounts):
        created_at (str):
    """

    id: str
    subject: ErasureSubject
    erased: ErasedCounts
    created_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        subject = self.subject.value

        erased = self.erased.to_dict()

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "subject": subject,
                "erased": erased,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.erased_counts import ErasedCounts  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        subject = ErasureSubject(d.pop("subject"))

        erased = ErasedCounts.from_dict(d.pop("erased"))

        created_at = d.pop("created_at")

        erasure = cls(
            id=id,
            subject=subject,
            erased=erased,
            created_at=created_at,
        )

        erasure.additional_properties = d
        return erasure

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
