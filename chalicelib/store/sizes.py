"""An item's size as DynamoDB bills it: every write costs one unit per started KB
(two inside a transaction), so an item kept under 1 KB is half the price of one
just over. Items are in DynamoDB's wire form (`{"name": {"S": "..."}}`, as
`Model.serialize()` gives and the client returns)."""

from __future__ import annotations

from typing import Any

KB = 1024


def value_size(value: dict[str, Any]) -> int:
    """DynamoDB's rules, closely enough for 1 KB rounding: a String counts its UTF-8
    bytes, a Binary its raw bytes, a Number about one byte per two digits plus one
    (rounded up here), a map or list 3 bytes plus each element and 1 byte apiece."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "B":
        return len(v)
    if kind == "N":
        return len(v.lstrip("-").replace(".", "")) // 2 + 2
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + value_size(x) + 1 for k, x in v.items())
    if kind == "L":
        return 3 + sum(value_size(x) + 1 for x in v)
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: x}) for x in v)
    return 8


def item_size(item: dict[str, Any] | None) -> int:
    """The item's attribute names and values, in bytes."""
    return sum(len(k.encode()) + value_size(v) for k, v in (item or {}).items())
