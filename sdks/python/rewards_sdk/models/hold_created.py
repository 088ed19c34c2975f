from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hold_created_status import HoldCreatedStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gift import Gift


T = TypeVar("T", bound="HoldCreated")


@_attrs_define
class HoldCreated:
    """
    Attributes:
        id (str):
        status (HoldCreatedStatus): `expired`: it reached expires_at uncaptured and holds nothing
        amount (int):
        expires_at (str):
        created_at (str):
        gift_id (str):
        location (None | str | Unset):
        reference (None | str | Unset):
        captured_amount (int | None | Unset):
        redemption_id (None | str | Unset):
        gift (Gift | None | Unset):
    """

    id: str
    status: HoldCreatedStatus
    amount: int
    expires_at: str
    created_at: str
    gift_id: str
    location: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    captured_amount: int | None | Unset = UNSET
    redemption_id: None | str | Unset = UNSET
    gift: Gift | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.gift import Gift  # noqa: PLC0415

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

        gift: dict[str, Any] | None | Unset
        if isinstance(self.gift, Unset):
            gift = UNSET
        elif isinstance(self.gift, Gift):
            gift = self.gift.to_dict()
        else:
            gift = self.gift

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
        if gift is not UNSET:
            field_dict["gift"] = gift

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift import Gift  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = HoldCreatedStatus(d.pop("status"))

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

        def _parse_gift(data: object) -> Gift | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gift_type_0 = Gift.from_dict(data)

                return gift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gift | None | Unset, data)

        gift = _parse_gift(d.pop("gift", UNSET))

        hold_created = cls(
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
            gift=gift,
        )

        hold_created.additional_properties = d
        return hold_created

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
