from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MigrationCounts")


@_attrs_define
class MigrationCounts:
    """
    Attributes:
        gifts_sealed (int | Unset):  Default: 0.
        batch_chunks_sealed (int | Unset):  Default: 0.
        spins_sealed (int | Unset):  Default: 0.
        kept_v1 (int | Unset): Spins whose client seed predates the v2 form: left as they are Default: 0.
        skipped (int | Unset): Items written meanwhile (their own write sealed them), or a player erased since Default:
            0.
    """

    gifts_sealed: int | Unset = 0
    batch_chunks_sealed: int | Unset = 0
    spins_sealed: int | Unset = 0
    kept_v1: int | Unset = 0
    skipped: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gifts_sealed = self.gifts_sealed

        batch_chunks_sealed = self.batch_chunks_sealed

        spins_sealed = self.spins_sealed

        kept_v1 = self.kept_v1

        skipped = self.skipped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if gifts_sealed is not UNSET:
            field_dict["gifts_sealed"] = gifts_sealed
        if batch_chunks_sealed is not UNSET:
            field_dict["batch_chunks_sealed"] = batch_chunks_sealed
        if spins_sealed is not UNSET:
            field_dict["spins_sealed"] = spins_sealed
        if kept_v1 is not UNSET:
            field_dict["kept_v1"] = kept_v1
        if skipped is not UNSET:
            field_dict["skipped"] = skipped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gifts_sealed = d.pop("gifts_sealed", UNSET)

        batch_chunks_sealed = d.pop("batch_chunks_sealed", UNSET)

        spins_sealed = d.pop("spins_sealed", UNSET)

        kept_v1 = d.pop("kept_v1", UNSET)

        skipped = d.pop("skipped", UNSET)

        migration_counts = cls(
            gifts_sealed=gifts_sealed,
            batch_chunks_sealed=batch_chunks_sealed,
            spins_sealed=spins_sealed,
            kept_v1=kept_v1,
            skipped=skipped,
        )

        migration_counts.additional_properties = d
        return migration_counts

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
