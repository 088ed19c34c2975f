from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.migration_counts import MigrationCounts


T = TypeVar("T", bound="MigrationProgress")


@_attrs_define
class MigrationProgress:
    """
    Attributes:
        phase (str): gifts, batch_rows, spins, or done
        done (bool):
        counts (MigrationCounts):
        started_at (str):
        finished_at (None | str | Unset):
    """

    phase: str
    done: bool
    counts: MigrationCounts
    started_at: str
    finished_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        phase = self.phase

        done = self.done

        counts = self.counts.to_dict()

        started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phase": phase,
                "done": done,
                "counts": counts,
                "started_at": started_at,
            }
        )
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.migration_counts import MigrationCounts  # noqa: PLC0415

        d = dict(src_dict)
        phase = d.pop("phase")

        done = d.pop("done")

        counts = MigrationCounts.from_dict(d.pop("counts"))

        started_at = d.pop("started_at")

        def _parse_finished_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        migration_progress = cls(
            phase=phase,
            done=done,
            counts=counts,
            started_at=started_at,
            finished_at=finished_at,
        )

        migration_progress.additional_properties = d
        return migration_progress

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
