from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SendWindow")


@_attrs_define
class SendWindow:
    """Hours of the campaign's local day when messages may go out; a message due
    outside them waits for the next opening. `from` after `to` spans midnight.

    Attributes:
        from_ (str): Opens at (inclusive)
        to (str): Closes at (exclusive)
    """

    from_: str
    to: str

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        send_window = cls(
            from_=from_,
            to=to,
        )

        return send_window
