from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.zalo_status_template_ids import ZaloStatusTemplateIds


T = TypeVar("T", bound="ZaloStatus")


@_attrs_define
class ZaloStatus:
    """
    Attributes:
        partner_id (str):
        oa_access_token (str): Masked: only its last 4 characters
        token_set (bool):
        template_ids (ZaloStatusTemplateIds):
        updated_at (str):
    """

    partner_id: str
    oa_access_token: str
    token_set: bool
    template_ids: ZaloStatusTemplateIds
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        partner_id = self.partner_id

        oa_access_token = self.oa_access_token

        token_set = self.token_set

        template_ids = self.template_ids.to_dict()

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "partner_id": partner_id,
                "oa_access_token": oa_access_token,
                "token_set": token_set,
                "template_ids": template_ids,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.zalo_status_template_ids import ZaloStatusTemplateIds  # noqa: PLC0415

        d = dict(src_dict)
        partner_id = d.pop("partner_id")

        oa_access_token = d.pop("oa_access_token")

        token_set = d.pop("token_set")

        template_ids = ZaloStatusTemplateIds.from_dict(d.pop("template_ids"))

        updated_at = d.pop("updated_at")

        zalo_status = cls(
            partner_id=partner_id,
            oa_access_token=oa_access_token,
            token_set=token_set,
            template_ids=template_ids,
            updated_at=updated_at,
        )

        zalo_status.additional_properties = d
        return zalo_status

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
