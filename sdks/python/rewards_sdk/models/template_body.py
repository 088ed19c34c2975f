from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_body_zalo_params_type_0 import TemplateBodyZaloParamsType0


T = TypeVar("T", bound="TemplateBody")


@_attrs_define
class TemplateBody:
    """One template; which fields apply depends on the channel (email: subject, html,
    text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?).

    Attributes:
        subject (None | str | Unset):
        html (None | str | Unset):
        text (None | str | Unset):
        transliterate (bool | None | Unset):
        zalo_template_id (None | str | Unset):
        zalo_params (None | TemplateBodyZaloParamsType0 | Unset):
    """

    subject: None | str | Unset = UNSET
    html: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    transliterate: bool | None | Unset = UNSET
    zalo_template_id: None | str | Unset = UNSET
    zalo_params: None | TemplateBodyZaloParamsType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_body_zalo_params_type_0 import TemplateBodyZaloParamsType0  # noqa: PLC0415

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        html: None | str | Unset
        if isinstance(self.html, Unset):
            html = UNSET
        else:
            html = self.html

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        transliterate: bool | None | Unset
        if isinstance(self.transliterate, Unset):
            transliterate = UNSET
        else:
            transliterate = self.transliterate

        zalo_template_id: None | str | Unset
        if isinstance(self.zalo_template_id, Unset):
            zalo_template_id = UNSET
        else:
            zalo_template_id = self.zalo_template_id

        zalo_params: dict[str, Any] | None | Unset
        if isinstance(self.zalo_params, Unset):
            zalo_params = UNSET
        elif isinstance(self.zalo_params, TemplateBodyZaloParamsType0):
            zalo_params = self.zalo_params.to_dict()
        else:
            zalo_params = self.zalo_params

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject
        if html is not UNSET:
            field_dict["html"] = html
        if text is not UNSET:
            field_dict["text"] = text
        if transliterate is not UNSET:
            field_dict["transliterate"] = transliterate
        if zalo_template_id is not UNSET:
            field_dict["zalo_template_id"] = zalo_template_id
        if zalo_params is not UNSET:
            field_dict["zalo_params"] = zalo_params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_body_zalo_params_type_0 import TemplateBodyZaloParamsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_html(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        html = _parse_html(d.pop("html", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_transliterate(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        transliterate = _parse_transliterate(d.pop("transliterate", UNSET))

        def _parse_zalo_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zalo_template_id = _parse_zalo_template_id(d.pop("zalo_template_id", UNSET))

        def _parse_zalo_params(data: object) -> None | TemplateBodyZaloParamsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                zalo_params_type_0 = TemplateBodyZaloParamsType0.from_dict(data)

                return zalo_params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateBodyZaloParamsType0 | Unset, data)

        zalo_params = _parse_zalo_params(d.pop("zalo_params", UNSET))

        template_body = cls(
            subject=subject,
            html=html,
            text=text,
            transliterate=transliterate,
            zalo_template_id=zalo_template_id,
            zalo_params=zalo_params,
        )

        return template_body
