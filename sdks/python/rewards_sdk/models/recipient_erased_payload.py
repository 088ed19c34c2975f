from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recipient_erased_payload_subject import RecipientErasedPayloadSubject

if TYPE_CHECKING:
    from ..models.erased_counts import ErasedCounts


T = TypeVar("T", bound="RecipientErasedPayload")


@_attrs_define
class RecipientErasedPayload:
    """A data-subject request answered: what was erased, never the contact.

    Attributes:
        id (str): The erasure, `era_…`
        subject (RecipientErasedPayloadSubject):
        erased (ErasedCounts):
        created_at (str):
    """

    id: str
    subject: RecipientErasedPayloadSubject
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

        subject = RecipientErasedPayloadSubject(d.pop("subject"))

        erased = ErasedCounts.from_dict(d.pop("erased"))

        created_at = d.pop("created_at")

        recipient_erased_payload = cls(
            id=id,
            subject=subject,
            erased=erased,
            created_at=created_at,
        )

        recipient_erased_payload.additional_properties = d
        return recipient_erased_payload

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
