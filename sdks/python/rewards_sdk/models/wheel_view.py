from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.wheel_view_status import WheelViewStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fairness import Fairness
    from ..models.game_config import GameConfig
    from ..models.wheel_segment_odds import WheelSegmentOdds


T = TypeVar("T", bound="WheelView")


@_attrs_define
class WheelView:
    """
    Attributes:
        campaign_id (str):
        segments (list[WheelSegmentOdds]):
        spins_left (int | None): null when unlimited; 0 once the campaign has ended
        spins_left_today (int | None): null when unlimited; 0 once the campaign has ended
        fairness (Fairness):
        status (WheelViewStatus): Whether the player can spin now: only while `active`. `paused` and `scheduled` may
            change; `ended` is final (show the player it is over, not a button)
        ends_at (str): The campaign's planned end
        timezone (str | Unset): The campaign's IANA time zone: days (daily limits, gift expiry) end at its midnight, so
            show the player times in it Default: 'Asia/Ho_Chi_Minh'.
        game (GameConfig | Unset):
    """

    campaign_id: str
    segments: list[WheelSegmentOdds]
    spins_left: int | None
    spins_left_today: int | None
    fairness: Fairness
    status: WheelViewStatus
    ends_at: str
    timezone: str | Unset = "Asia/Ho_Chi_Minh"
    game: GameConfig | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_id = self.campaign_id

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        spins_left: int | None
        spins_left = self.spins_left

        spins_left_today: int | None
        spins_left_today = self.spins_left_today

        fairness = self.fairness.to_dict()

        status = self.status.value

        ends_at = self.ends_at

        timezone = self.timezone

        game: dict[str, Any] | Unset = UNSET
        if not isinstance(self.game, Unset):
            game = self.game.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaign_id": campaign_id,
                "segments": segments,
                "spins_left": spins_left,
                "spins_left_today": spins_left_today,
                "fairness": fairness,
                "status": status,
                "ends_at": ends_at,
            }
        )
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if game is not UNSET:
            field_dict["game"] = game

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fairness import Fairness  # noqa: PLC0415
        from ..models.game_config import GameConfig  # noqa: PLC0415
        from ..models.wheel_segment_odds import WheelSegmentOdds  # noqa: PLC0415

        d = dict(src_dict)
        campaign_id = d.pop("campaign_id")

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = WheelSegmentOdds.from_dict(segments_item_data)

            segments.append(segments_item)

        def _parse_spins_left(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        spins_left = _parse_spins_left(d.pop("spins_left"))

        def _parse_spins_left_today(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        spins_left_today = _parse_spins_left_today(d.pop("spins_left_today"))

        fairness = Fairness.from_dict(d.pop("fairness"))

        status = WheelViewStatus(d.pop("status"))

        ends_at = d.pop("ends_at")

        timezone = d.pop("timezone", UNSET)

        _game = d.pop("game", UNSET)
        game: GameConfig | Unset
        if isinstance(_game, Unset):
            game = UNSET
        else:
            game = GameConfig.from_dict(_game)

        wheel_view = cls(
            campaign_id=campaign_id,
            segments=segments,
            spins_left=spins_left,
            spins_left_today=spins_left_today,
            fairness=fairness,
            status=status,
            ends_at=ends_at,
            timezone=timezone,
            game=game,
        )

        wheel_view.additional_properties = d
        return wheel_view

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
