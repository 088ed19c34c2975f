from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sample_values import SampleValues
    from ..models.template_body import TemplateBody


T = TypeVar("T", bound="PreviewRequest")


@_attrs_define
class PreviewRequest:
    """
    Attributes:
        values (None | SampleValues | Unset):
        template (None | TemplateBody | Unset):
    """

    values: None | SampleValues | Unset = UNSET
    template: None | TemplateBody | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.sample_values import SampleValues  # noqa: PLC0415
        from ..models.template_body import TemplateBody  # noqa: PLC0415

        values: dict[str, Any] | None | Unset
        if isinstance(self.values, Unset):
            values = UNSET
        elif isinstance(self.values, SampleValues):
            values = self.values.to_dict()
        else:
            values = self.values

        template: dict[str, Any] | None | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        elif isinstance(self.template, TemplateBody):
            template = self.template.to_dict()
        else:
            template = self.template

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if values is not UNSET:
            field_dict["values"] = values
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sample_values import SampleValues  # noqa: PLC0415
        from ..models.template_body import TemplateBody  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_values(data: object) -> None | SampleValues | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                values_type_0 = SampleValues.from_dict(data)

                return values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SampleValues | Unset, data)

        values = _parse_values(d.pop("values", UNSET))

        def _parse_template(data: object) -> None | TemplateBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_0 = TemplateBody.from_dict(data)

                return template_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateBody | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        preview_request = cls(
            values=values,
            template=template,
        )

        return preview_request
