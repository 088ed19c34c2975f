from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_channel import TemplateChannel
from ..models.template_kind import TemplateKind
from ..models.template_locale import TemplateLocale
from ..models.template_source import TemplateSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_zalo_params_type_0 import TemplateZaloParamsType0


T = TypeVar("T", bound="Template")


@_attrs_define
class Template:
    """
    Attributes:
        channel (TemplateChannel):
        locale (TemplateLocale):
        kind (TemplateKind):
        source (TemplateSource): `default` until the partner sets its own
        subject (None | str | Unset):
        html (None | str | Unset):
        text (None | str | Unset):
        transliterate (bool | None | Unset):
        zalo_template_id (None | str | Unset):
        zalo_params (None | TemplateZaloParamsType0 | Unset):
        updated_at (None | str | Unset):
    """

    channel: TemplateChannel
    locale: TemplateLocale
    kind: TemplateKind
    source: TemplateSource
    subject: None | str | Unset = UNSET
    html: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    transliterate: bool | None | Unset = UNSET
    zalo_template_id: None | str | Unset = UNSET
    zalo_params: None | TemplateZaloParamsType0 | Unset = UNSET
    updated_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_zalo_params_type_0 import TemplateZaloParamsType0  # noqa: PLC0415

        channel = self.channel.value

        locale = self.locale.value

        kind = self.kind.value

        source = self.source.value

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
        elif isinstance(self.zalo_params, TemplateZaloParamsType0):
            zalo_params = self.zalo_params.to_dict()
        else:
            zalo_params = self.zalo_params

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "locale": locale,
                "kind": kind,
                "source": source,
            }
        )
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
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_zalo_params_type_0 import TemplateZaloParamsType0  # noqa: PLC0415

        d = dict(src_dict)
        channel = TemplateChannel(d.pop("channel"))

        locale = TemplateLocale(d.pop("locale"))

        kind = TemplateKind(d.pop("kind"))

        source = TemplateSource(d.pop("source"))

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

        def _parse_zalo_params(data: object) -> None | TemplateZaloParamsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                zalo_params_type_0 = TemplateZaloParamsType0.from_dict(data)

                return zalo_params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateZaloParamsType0 | Unset, data)

        zalo_params = _parse_zalo_params(d.pop("zalo_params", UNSET))

        def _parse_updated_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        template = cls(
            channel=channel,
            locale=locale,
            kind=kind,
            source=source,
            subject=subject,
            html=html,
            text=text,
            transliterate=transliterate,
            zalo_template_id=zalo_template_id,
            zalo_params=zalo_params,
            updated_at=updated_at,
        )

        template.additional_properties = d
        return template

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
