from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gift_detail_status import GiftDetailStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gift_detail_metadata_type_0 import GiftDetailMetadataType0
    from ..models.recipient import Recipient
    from ..models.redemption import Redemption


T = TypeVar("T", bound="GiftDetail")


@_attrs_define
class GiftDetail:
    """
    Attributes:
        id (str):
        code (str):
        campaign_id (str):
        amount (int):
        balance (int):
        available (int): What a redemption or a new hold may take now: the balance minus the active, unexpired holds (0
            when the gift is not active)
        currency (str):
        status (GiftDetailStatus):
        issued_at (str):
        expires_at (str): The local midnight (campaign timezone) that ends the day gift_expiry_days after issue
        recipient (None | Recipient):
        metadata (GiftDetailMetadataType0 | None):
        gift_url (str): The gift's hosted page (`GET /g/{token}`), for its recipient: unguessable, never the code.
            Replaced by `POST /v1/gifts/{code}/link-rotations` (the old link then answers 404); a replayed answer shows the
            current link
        voided_at (None | str | Unset):
        redemptions (list[Redemption] | Unset):
    """

    id: str
    code: str
    campaign_id: str
    amount: int
    balance: int
    available: int
    currency: str
    status: GiftDetailStatus
    issued_at: str
    expires_at: str
    recipient: None | Recipient
    metadata: GiftDetailMetadataType0 | None
    gift_url: str
    voided_at: None | str | Unset = UNSET
    redemptions: list[Redemption] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.gift_detail_metadata_type_0 import GiftDetailMetadataType0  # noqa: PLC0415
        from ..models.recipient import Recipient  # noqa: PLC0415

        id = self.id

        code = self.code

        campaign_id = self.campaign_id

        amount = self.amount

        balance = self.balance

        available = self.available

        currency = self.currency

        status = self.status.value

        issued_at = self.issued_at

        expires_at = self.expires_at

        recipient: dict[str, Any] | None
        if isinstance(self.recipient, Recipient):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient

        metadata: dict[str, Any] | None
        if isinstance(self.metadata, GiftDetailMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        gift_url = self.gift_url

        voided_at: None | str | Unset
        if isinstance(self.voided_at, Unset):
            voided_at = UNSET
        else:
            voided_at = self.voided_at

        redemptions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.redemptions, Unset):
            redemptions = []
            for redemptions_item_data in self.redemptions:
                redemptions_item = redemptions_item_data.to_dict()
                redemptions.append(redemptions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "campaign_id": campaign_id,
                "amount": amount,
                "balance": balance,
                "available": available,
                "currency": currency,
                "status": status,
                "issued_at": issued_at,
                "expires_at": expires_at,
                "recipient": recipient,
                "metadata": metadata,
                "gift_url": gift_url,
            }
        )
        if voided_at is not UNSET:
            field_dict["voided_at"] = voided_at
        if redemptions is not UNSET:
            field_dict["redemptions"] = redemptions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift_detail_metadata_type_0 import GiftDetailMetadataType0  # noqa: PLC0415
        from ..models.recipient import Recipient  # noqa: PLC0415
        from ..models.redemption import Redemption  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        code = d.pop("code")

        campaign_id = d.pop("campaign_id")

        amount = d.pop("amount")

        balance = d.pop("balance")

        available = d.pop("available")

        currency = d.pop("currency")

        status = GiftDetailStatus(d.pop("status"))

        issued_at = d.pop("issued_at")

        expires_at = d.pop("expires_at")

        def _parse_recipient(data: object) -> None | Recipient:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recipient_type_0 = Recipient.from_dict(data)

                return recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recipient, data)

        recipient = _parse_recipient(d.pop("recipient"))

        def _parse_metadata(data: object) -> GiftDetailMetadataType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = GiftDetailMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GiftDetailMetadataType0 | None, data)

        metadata = _parse_metadata(d.pop("metadata"))

        gift_url = d.pop("gift_url")

        def _parse_voided_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        voided_at = _parse_voided_at(d.pop("voided_at", UNSET))

        _redemptions = d.pop("redemptions", UNSET)
        redemptions: list[Redemption] | Unset = UNSET
        if _redemptions is not UNSET:
            redemptions = []
            for redemptions_item_data in _redemptions:
                redemptions_item = Redemption.from_dict(redemptions_item_data)

                redemptions.append(redemptions_item)

        gift_detail = cls(
            id=id,
            code=code,
            campaign_id=campaign_id,
            amount=amount,
            balance=balance,
            available=available,
            currency=currency,
            status=status,
            issued_at=issued_at,
            expires_at=expires_at,
            recipient=recipient,
            metadata=metadata,
            gift_url=gift_url,
            voided_at=voided_at,
            redemptions=redemptions,
        )

        gift_detail.additional_properties = d
        return gift_detail

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
