from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.preview_channel import PreviewChannel
from ..models.preview_kind import PreviewKind
from ..models.preview_locale import PreviewLocale
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preview_zalo_params_type_0 import PreviewZaloParamsType0
    from ..models.sms_cost import SmsCost


T = TypeVar("T", bound="Preview")


@_attrs_define
class Preview:
    """
    Attributes:
        channel (PreviewChannel):
        locale (PreviewLocale):
        kind (PreviewKind):
        to (str):
        text (str):
        subject (None | str | Unset):
        html (None | str | Unset):
        zalo_template_id (None | str | Unset):
        zalo_params (None | PreviewZaloParamsType0 | Unset):
        sms (None | SmsCost | Unset):
    """

    channel: PreviewChannel
    locale: PreviewLocale
    kind: PreviewKind
    to: str
    text: str
    subject: None | str | Unset = UNSET
    html: None | str | Unset = UNSET
    zalo_template_id: None | str | Unset = UNSET
    zalo_params: None | PreviewZaloParamsType0 | Unset = UNSET
    sms: None | SmsCost | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.preview_zalo_params_type_0 import PreviewZaloParamsType0  # noqa: PLC0415
        from ..models.sms_cost import SmsCost  # noqa: PLC0415

        channel = self.channel.value

        locale = self.locale.value

        kind = self.kind.value

        to = self.to

        text = self.text

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

        zalo_template_id: None | str | Unset
        if isinstance(self.zalo_template_id, Unset):
            zalo_template_id = UNSET
        else:
            zalo_template_id = self.zalo_template_id

        zalo_params: dict[str, Any] | None | Unset
        if isinstance(self.zalo_params, Unset):
            zalo_params = UNSET
        elif isinstance(self.zalo_params, PreviewZaloParamsType0):
            zalo_params = self.zalo_params.to_dict()
        else:
            zalo_params = self.zalo_params

        sms: dict[str, Any] | None | Unset
        if isinstance(self.sms, Unset):
            sms = UNSET
        elif isinstance(self.sms, SmsCost):
            sms = self.sms.to_dict()
        else:
            sms = self.sms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "locale": locale,
                "kind": kind,
                "to": to,
                "text": text,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject
        if html is not UNSET:
            field_dict["html"] = html
        if zalo_template_id is not UNSET:
            field_dict["zalo_template_id"] = zalo_template_id
        if zalo_params is not UNSET:
            field_dict["zalo_params"] = zalo_params
        if sms is not UNSET:
            field_dict["sms"] = sms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_zalo_params_type_0 import PreviewZaloParamsType0  # noqa: PLC0415
        from ..models.sms_cost import SmsCost  # noqa: PLC0415

        d = dict(src_dict)
        channel = PreviewChannel(d.pop("channel"))

        locale = PreviewLocale(d.pop("locale"))

        kind = PreviewKind(d.pop("kind"))

        to = d.pop("to")

        text = d.pop("text")

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

        def _parse_zalo_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zalo_template_id = _parse_zalo_template_id(d.pop("zalo_template_id", UNSET))

        def _parse_zalo_params(data: object) -> None | PreviewZaloParamsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                zalo_params_type_0 = PreviewZaloParamsType0.from_dict(data)

                return zalo_params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreviewZaloParamsType0 | Unset, data)

        zalo_params = _parse_zalo_params(d.pop("zalo_params", UNSET))

        def _parse_sms(data: object) -> None | SmsCost | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sms_type_0 = SmsCost.from_dict(data)

                return sms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmsCost | Unset, data)

        sms = _parse_sms(d.pop("sms", UNSET))

        preview = cls(
            channel=channel,
            locale=locale,
            kind=kind,
            to=to,
            text=text,
            subject=subject,
            html=html,
            zalo_template_id=zalo_template_id,
            zalo_params=zalo_params,
            sms=sms,
        )

        preview.additional_properties = d
        return preview

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
