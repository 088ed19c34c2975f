from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.gift import Gift
    from ..models.redemption import Redemption


T = TypeVar("T", bound="RedeemResult")


@_attrs_define
class RedeemResult:
    """
    Attributes:
        gift (Gift):
        redemption (Redemption):
    """

    gift: Gift
    redemption: Redemption
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gift = self.gift.to_dict()

        redemption = self.redemption.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gift": gift,
                "redemption": redemption,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.redemption import Redemption  # noqa: PLC0415

        d = dict(src_dict)
        gift = Gift.from_dict(d.pop("gift"))

        redemption = Redemption.from_dict(d.pop("redemption"))

        redeem_result = cls(
            gift=gift,
            redemption=redemption,
        )

        redeem_result.additional_properties = d
        return redeem_result

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
