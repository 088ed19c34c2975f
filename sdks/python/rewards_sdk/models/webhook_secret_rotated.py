from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookSecretRotated")


@_attrs_define
class WebhookSecretRotated:
    """
    Attributes:
        id (str):
        secret (str): The new secret, shown once
        previous_secrets_expire_at (None | str): Until then the previous secret signs too (a second `v1,` in `webhook-
            signature`, a second `v1=` in `Rewards-Signature`)
    """

    id: str
    secret: str
    previous_secrets_expire_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        secret = self.secret

        previous_secrets_expire_at: None | str
        previous_secrets_expire_at = self.previous_secrets_expire_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "secret": secret,
                "previous_secrets_expire_at": previous_secrets_expire_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        secret = d.pop("secret")

        def _parse_previous_secrets_expire_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_secrets_expire_at = _parse_previous_secrets_expire_at(d.pop("previous_secrets_expire_at"))

        webhook_secret_rotated = cls(
            id=id,
            secret=secret,
            previous_secrets_expire_at=previous_secrets_expire_at,
        )

        webhook_secret_rotated.additional_properties = d
        return webhook_secret_rotated

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
