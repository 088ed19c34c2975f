"""Identifiers and timestamps, the two formats every module shares."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"  # random ids here, derived ids in batches


def new_id(prefix: str, length: int = 22) -> str:
    """Opaque id with a readable prefix; ~113 bits, so ids are also unguessable."""
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def iso(moment: datetime) -> str:
    """RFC 3339 UTC with second precision: sorts as text, so conditions can compare it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)
