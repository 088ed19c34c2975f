from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.count_amount import CountAmount


T = TypeVar("T", bound="GiftFigures")


@_attrs_define
class GiftFigures:
    """
    Attributes:
        issued (CountAmount):
        redeemed (CountAmount):
        voided (CountAmount):
        expired (CountAmount):
        reversed_ (CountAmount | Unset):
        held (CountAmount | Unset):
    """

    issued: CountAmount
    redeemed: CountAmount
    voided: CountAmount
    expired: CountAmount
    reversed_: CountAmount | Unset = UNSET
    held: CountAmount | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        issued = self.issued.to_dict()

        redeemed = self.redeemed.to_dict()

        voided = self.voided.to_dict()

        expired = self.expired.to_dict()

        reversed_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reversed_, Unset):
            reversed_ = self.reversed_.to_dict()

        held: dict[str, Any] | Unset = UNSET
        if not isinstance(self.held, Unset):
            held = self.held.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "issued": issued,
                "redeemed": redeemed,
                "voided": voided,
                "expired": expired,
            }
        )
        if reversed_ is not UNSET:
            field_dict["reversed"] = reversed_
        if held is not UNSET:
            field_dict["held"] = held

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_amount import CountAmount  # noqa: PLC0415

        d = dict(src_dict)
        issued = CountAmount.from_dict(d.pop("issued"))

        redeemed = CountAmount.from_dict(d.pop("redeemed"))

        voided = CountAmount.from_dict(d.pop("voided"))

        expired = CountAmount.from_dict(d.pop("expired"))

        _reversed_ = d.pop("reversed", UNSET)
        reversed_: CountAmount | Unset
        if isinstance(_reversed_, Unset):
            reversed_ = UNSET
        else:
            reversed_ = CountAmount.from_dict(_reversed_)

        _held = d.pop("held", UNSET)
        held: CountAmount | Unset
        if isinstance(_held, Unset):
            held = UNSET
        else:
            held = CountAmount.from_dict(_held)

        gift_figures = cls(
            issued=issued,
            redeemed=redeemed,
            voided=voided,
            expired=expired,
            reversed_=reversed_,
            held=held,
        )

        gift_figures.additional_properties = d
        return gift_figures

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
