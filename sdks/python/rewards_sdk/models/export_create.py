from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.export_create_kind import ExportCreateKind

T = TypeVar("T", bound="ExportCreate")


@_attrs_define
class ExportCreate:
    """
    Attributes:
        kind (ExportCreateKind):
    """

    kind: ExportCreateKind

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ExportCreateKind(d.pop("kind"))

        export_create = cls(
            kind=kind,
        )

        return export_create
