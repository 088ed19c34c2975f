from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operator_health_status import OperatorHealthStatus

if TYPE_CHECKING:
    from ..models.secret_problem import SecretProblem


T = TypeVar("T", bound="OperatorHealth")


@_attrs_define
class OperatorHealth:
    """
    Attributes:
        status (OperatorHealthStatus): `misconfigured` when a secret is missing or cannot be used: requests that need it
            fail until it is fixed
        problems (list[SecretProblem]):
    """

    status: OperatorHealthStatus
    problems: list[SecretProblem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "problems": problems,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.secret_problem import SecretProblem  # noqa: PLC0415

        d = dict(src_dict)
        status = OperatorHealthStatus(d.pop("status"))

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = SecretProblem.from_dict(problems_item_data)

            problems.append(problems_item)

        operator_health = cls(
            status=status,
            problems=problems,
        )

        operator_health.additional_properties = d
        return operator_health

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
