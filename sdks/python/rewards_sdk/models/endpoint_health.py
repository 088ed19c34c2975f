from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.endpoint_health_state import EndpointHealthState
from ..types import UNSET, Unset

T = TypeVar("T", bound="EndpointHealth")


@_attrs_define
class EndpointHealth:
    """
    Attributes:
        state (EndpointHealthState): `healthy`; `degraded`: its last attempt failed or answered slowly, so its
            deliveries share a few senders with your other troubled endpoints until `degraded_until`; `open`: it failed 5
            times in a row, so deliveries wait (no attempt is made or recorded) until `breaker_open_until`, then a probe
            goes, and a success makes it healthy
        consecutive_failures (int):
        degraded_until (None | str | Unset):
        breaker_open_until (None | str | Unset):
    """

    state: EndpointHealthState
    consecutive_failures: int
    degraded_until: None | str | Unset = UNSET
    breaker_open_until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        consecutive_failures = self.consecutive_failures

        degraded_until: None | str | Unset
        if isinstance(self.degraded_until, Unset):
            degraded_until = UNSET
        else:
            degraded_until = self.degraded_until

        breaker_open_until: None | str | Unset
        if isinstance(self.breaker_open_until, Unset):
            breaker_open_until = UNSET
        else:
            breaker_open_until = self.breaker_open_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "consecutive_failures": consecutive_failures,
            }
        )
        if degraded_until is not UNSET:
            field_dict["degraded_until"] = degraded_until
        if breaker_open_until is not UNSET:
            field_dict["breaker_open_until"] = breaker_open_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = EndpointHealthState(d.pop("state"))

        consecutive_failures = d.pop("consecutive_failures")

        def _parse_degraded_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        degraded_until = _parse_degraded_until(d.pop("degraded_until", UNSET))

        def _parse_breaker_open_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        breaker_open_until = _parse_breaker_open_until(d.pop("breaker_open_until", UNSET))

        endpoint_health = cls(
            state=state,
            consecutive_failures=consecutive_failures,
            degraded_until=degraded_until,
            breaker_open_until=breaker_open_until,
        )

        endpoint_health.additional_properties = d
        return endpoint_health

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
