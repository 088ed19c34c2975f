from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.zalo_template_ids import ZaloTemplateIds


T = TypeVar("T", bound="ZaloSettings")


@_attrs_define
class ZaloSettings:
    """
    Attributes:
        oa_access_token (str): The partner's Official Account access token; stored sealed, never shown again
        template_ids (ZaloTemplateIds):
    """

    oa_access_token: str
    template_ids: ZaloTemplateIds

    def to_dict(self) -> dict[str, Any]:
        oa_access_token = self.oa_access_token

        template_ids = self.template_ids.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "oa_access_token": oa_access_token,
                "template_ids": template_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.zalo_template_ids import ZaloTemplateIds  # noqa: PLC0415

        d = dict(src_dict)
        oa_access_token = d.pop("oa_access_token")

        template_ids = ZaloTemplateIds.from_dict(d.pop("template_ids"))

        zalo_settings = cls(
            oa_access_token=oa_access_token,
            template_ids=template_ids,
        )

        return zalo_settings
