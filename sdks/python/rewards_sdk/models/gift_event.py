from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gift_event_type import GiftEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="GiftEvent")


@_attrs_define
class GiftEvent:
    """
    Attributes:
        id (str):
        type_ (GiftEventType):
        amount (int):
        balance_after (int): issued and reversed add `amount`, redeemed and captured take it away; held, released and
            voided leave the balance as it was
        at (str):
        location (None | str | Unset):
        ref (None | str | Unset): The hold (hld_), redemption (red_) or reversal (rev_) it was
        reason (None | str | Unset):
    """

    id: str
    type_: GiftEventType
    amount: int
    balance_after: int
    at: str
    location: None | str | Unset = UNSET
    ref: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        amount = self.amount

        balance_after = self.balance_after

        at = self.at

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        ref: None | str | Unset
        if isinstance(self.ref, Unset):
            ref = UNSET
        else:
            ref = self.ref

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "amount": amount,
                "balance_after": balance_after,
                "at": at,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location
        if ref is not UNSET:
            field_dict["ref"] = ref
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = GiftEventType(d.pop("type"))

        amount = d.pop("amount")

        balance_after = d.pop("balance_after")

        at = d.pop("at")

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ref = _parse_ref(d.pop("ref", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        gift_event = cls(
            id=id,
            type_=type_,
            amount=amount,
            balance_after=balance_after,
            at=at,
            location=location,
            ref=ref,
            reason=reason,
        )

        gift_event.additional_properties = d
        return gift_event

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
