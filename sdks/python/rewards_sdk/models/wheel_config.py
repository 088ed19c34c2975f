from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.limits import Limits
    from ..models.segment import Segment


T = TypeVar("T", bound="WheelConfig")


@_attrs_define
class WheelConfig:
    """
    Attributes:
        segments (list[Segment]):
        fallback_segment_id (str):
        limits (Limits | None | Unset):
    """

    segments: list[Segment]
    fallback_segment_id: str
    limits: Limits | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.limits import Limits  # noqa: PLC0415

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        fallback_segment_id = self.fallback_segment_id

        limits: dict[str, Any] | None | Unset
        if isinstance(self.limits, Unset):
            limits = UNSET
        elif isinstance(self.limits, Limits):
            limits = self.limits.to_dict()
        else:
            limits = self.limits

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "segments": segments,
                "fallback_segment_id": fallback_segment_id,
            }
        )
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits import Limits  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415

        d = dict(src_dict)
        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = Segment.from_dict(segments_item_data)

            segments.append(segments_item)

        fallback_segment_id = d.pop("fallback_segment_id")

        def _parse_limits(data: object) -> Limits | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                limits_type_0 = Limits.from_dict(data)

                return limits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Limits | None | Unset, data)

        limits = _parse_limits(d.pop("limits", UNSET))

        wheel_config = cls(
            segments=segments,
            fallback_segment_id=fallback_segment_id,
            limits=limits,
        )

        return wheel_config
