from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SampleValues")


@_attrs_define
class SampleValues:
    """
    Attributes:
        recipient_name (None | str | Unset):
        amount (None | str | Unset):
        expires_on (None | str | Unset):
        gift_url (None | str | Unset):
        partner_name (None | str | Unset):
    """

    recipient_name: None | str | Unset = UNSET
    amount: None | str | Unset = UNSET
    expires_on: None | str | Unset = UNSET
    gift_url: None | str | Unset = UNSET
    partner_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recipient_name: None | str | Unset
        if isinstance(self.recipient_name, Unset):
            recipient_name = UNSET
        else:
            recipient_name = self.recipient_name

        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        expires_on: None | str | Unset
        if isinstance(self.expires_on, Unset):
            expires_on = UNSET
        else:
            expires_on = self.expires_on

        gift_url: None | str | Unset
        if isinstance(self.gift_url, Unset):
            gift_url = UNSET
        else:
            gift_url = self.gift_url

        partner_name: None | str | Unset
        if isinstance(self.partner_name, Unset):
            partner_name = UNSET
        else:
            partner_name = self.partner_name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if recipient_name is not UNSET:
            field_dict["recipient_name"] = recipient_name
        if amount is not UNSET:
            field_dict["amount"] = amount
        if expires_on is not UNSET:
            field_dict["expires_on"] = expires_on
        if gift_url is not UNSET:
            field_dict["gift_url"] = gift_url
        if partner_name is not UNSET:
            field_dict["partner_name"] = partner_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_recipient_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient_name = _parse_recipient_name(d.pop("recipient_name", UNSET))

        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_expires_on(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expires_on = _parse_expires_on(d.pop("expires_on", UNSET))

        def _parse_gift_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gift_url = _parse_gift_url(d.pop("gift_url", UNSET))

        def _parse_partner_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        partner_name = _parse_partner_name(d.pop("partner_name", UNSET))

        sample_values = cls(
            recipient_name=recipient_name,
            amount=amount,
            expires_on=expires_on,
            gift_url=gift_url,
            partner_name=partner_name,
        )

        return sample_values
