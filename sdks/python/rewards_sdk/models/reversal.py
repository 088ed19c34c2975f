from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.gift import Gift


T = TypeVar("T", bound="Reversal")


@_attrs_define
class Reversal:
    """
    Attributes:
        id (str):
        redemption_id (str):
        amount (int):
        reason (None | str):
        reversed_at (str):
        gift (Gift):
    """

    id: str
    redemption_id: str
    amount: int
    reason: None | str
    reversed_at: str
    gift: Gift
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        redemption_id = self.redemption_id

        amount = self.amount

        reason: None | str
        reason = self.reason

        reversed_at = self.reversed_at

        gift = self.gift.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "redemption_id": redemption_id,
                "amount": amount,
                "reason": reason,
                "reversed_at": reversed_at,
                "gift": gift,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift import Gift  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        redemption_id = d.pop("redemption_id")

        amount = d.pop("amount")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        reversed_at = d.pop("reversed_at")

        gift = Gift.from_dict(d.pop("gift"))

        reversal = cls(
            id=id,
            redemption_id=redemption_id,
            amount=amount,
            reason=reason,
            reversed_at=reversed_at,
            gift=gift,
        )

        reversal.additional_properties = d
        return reversal

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
