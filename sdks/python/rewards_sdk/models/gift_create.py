from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gift_create_metadata_type_0 import GiftCreateMetadataType0
    from ..models.recipient import Recipient


T = TypeVar("T", bound="GiftCreate")


@_attrs_define
class GiftCreate:
    """
    Attributes:
        amount (int): Minor units of the currency
        recipient (None | Recipient | Unset):
        metadata (GiftCreateMetadataType0 | None | Unset):
        deliver_at (datetime.datetime | None | Unset):
    """

    amount: int
    recipient: None | Recipient | Unset = UNSET
    metadata: GiftCreateMetadataType0 | None | Unset = UNSET
    deliver_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.gift_create_metadata_type_0 import GiftCreateMetadataType0  # noqa: PLC0415
        from ..models.recipient import Recipient  # noqa: PLC0415

        amount = self.amount

        recipient: dict[str, Any] | None | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        elif isinstance(self.recipient, Recipient):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, GiftCreateMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        deliver_at: None | str | Unset
        if isinstance(self.deliver_at, Unset):
            deliver_at = UNSET
        elif isinstance(self.deliver_at, datetime.datetime):
            deliver_at = self.deliver_at.isoformat()
        else:
            deliver_at = self.deliver_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
            }
        )
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if deliver_at is not UNSET:
            field_dict["deliver_at"] = deliver_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gift_create_metadata_type_0 import GiftCreateMetadataType0  # noqa: PLC0415
        from ..models.recipient import Recipient  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_recipient(data: object) -> None | Recipient | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recipient_type_0 = Recipient.from_dict(data)

                return recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recipient | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        def _parse_metadata(data: object) -> GiftCreateMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = GiftCreateMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GiftCreateMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_deliver_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deliver_at_type_0 = datetime.datetime.fromisoformat(data)

                return deliver_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deliver_at = _parse_deliver_at(d.pop("deliver_at", UNSET))

        gift_create = cls(
            amount=amount,
            recipient=recipient,
            metadata=metadata,
            deliver_at=deliver_at,
        )

        return gift_create
