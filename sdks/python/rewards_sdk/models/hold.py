from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hold_status import HoldStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Hold")


@_attrs_define
class Hold:
    """
    Attributes:
        id (str):
        status (HoldStatus): `expired`: it reached expires_at uncaptured and holds nothing
        amount (int):
        expires_at (str):
        created_at (str):
        gift_id (str):
        location (None | str | Unset):
        reference (None | str | Unset):
        captured_amount (int | None | Unset):
        redemption_id (None | str | Unset):
    """

    id: str
    status: HoldStatus
    amount: int
    expires_at: str
    created_at: str
    gift_id: str
    location: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    captured_amount: int | None | Unset = UNSET
    redemption_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        amount = self.amount

        expires_at = self.expires_at

        created_at = self.created_at

        gift_id = self.gift_id

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        captured_amount: int | None | Unset
        if isinstance(self.captured_amount, Unset):
            captured_amount = UNSET
        else:
            captured_amount = self.captured_amount

        redemption_id: None | str | Unset
        if isinstance(self.redemption_id, Unset):
            redemption_id = UNSET
        else:
            redemption_id = self.redemption_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "amount": amount,
                "expires_at": expires_at,
                "created_at": created_at,
                "gift_id": gift_id,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location
        if reference is not UNSET:
            field_dict["reference"] = reference
        if captured_amount is not UNSET:
            field_dict["captured_amount"] = captured_amount
        if redemption_id is not UNSET:
            field_dict["redemption_id"] = redemption_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = HoldStatus(d.pop("status"))

        amount = d.pop("amount")

        expires_at = d.pop("expires_at")

        created_at = d.pop("created_at")

        gift_id = d.pop("gift_id")

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_captured_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        captured_amount = _parse_captured_amount(d.pop("captured_amount", UNSET))

        def _parse_redemption_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redemption_id = _parse_redemption_id(d.pop("redemption_id", UNSET))

        hold = cls(
            id=id,
            status=status,
            amount=amount,
            expires_at=expires_at,
            created_at=created_at,
            gift_id=gift_id,
            location=location,
            reference=reference,
            captured_amount=captured_amount,
            redemption_id=redemption_id,
        )

        hold.additional_properties = d
        return hold

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
