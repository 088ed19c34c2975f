from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GiftPayload")


@_attrs_define
class GiftPayload:
    """A gift as events show it: never its code, only `masked_code`.

    Attributes:
        id (str):
        masked_code (None | str): The code's last group (`****-****-****-7KQ2`) for support look-ups; match gifts by
            `id`
        campaign_id (str):
        amount (int):
        balance (int):
        currency (str):
        status (str):
        issued_at (str):
        expires_at (None | str):
        voided_at (None | str):
        batch_id (None | str):
        spin_id (None | str):
        reference (None | str):
        gift_url (None | str): The gift's hosted page as it was when the event was made (send it to the recipient
            yourself when the campaign's `delivery.channels` is `[]`); null when it could not be made (and absent on events
            made before gift pages existed)
    """

    id: str
    masked_code: None | str
    campaign_id: str
    amount: int
    balance: int
    currency: str
    status: str
    issued_at: str
    expires_at: None | str
    voided_at: None | str
    batch_id: None | str
    spin_id: None | str
    reference: None | str
    gift_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        masked_code: None | str
        masked_code = self.masked_code

        campaign_id = self.campaign_id

        amount = self.amount

        balance = self.balance

        currency = self.currency

        status = self.status

        issued_at = self.issued_at

        expires_at: None | str
        expires_at = self.expires_at

        voided_at: None | str
        voided_at = self.voided_at

        batch_id: None | str
        batch_id = self.batch_id

        spin_id: None | str
        spin_id = self.spin_id

        reference: None | str
        reference = self.reference

        gift_url: None | str
        gift_url = self.gift_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "masked_code": masked_code,
                "campaign_id": campaign_id,
                "amount": amount,
                "balance": balance,
                "currency": currency,
                "status": status,
                "issued_at": issued_at,
                "expires_at": expires_at,
                "voided_at": voided_at,
                "batch_id": batch_id,
                "spin_id": spin_id,
                "reference": reference,
                "gift_url": gift_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_masked_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        masked_code = _parse_masked_code(d.pop("masked_code"))

        campaign_id = d.pop("campaign_id")

        amount = d.pop("amount")

        balance = d.pop("balance")

        currency = d.pop("currency")

        status = d.pop("status")

        issued_at = d.pop("issued_at")

        def _parse_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_voided_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        voided_at = _parse_voided_at(d.pop("voided_at"))

        def _parse_batch_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        batch_id = _parse_batch_id(d.pop("batch_id"))

        def _parse_spin_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        spin_id = _parse_spin_id(d.pop("spin_id"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        def _parse_gift_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gift_url = _parse_gift_url(d.pop("gift_url"))

        gift_payload = cls(
            id=id,
            masked_code=masked_code,
            campaign_id=campaign_id,
            amount=amount,
            balance=balance,
            currency=currency,
            status=status,
            issued_at=issued_at,
            expires_at=expires_at,
            voided_at=voided_at,
            batch_id=batch_id,
            spin_id=spin_id,
            reference=reference,
            gift_url=gift_url,
        )

        gift_payload.additional_properties = d
        return gift_payload

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
