"""Identifiers and timestamps, the two formats every module shares."""

from __future__ import annotations

import secrets
from collections.abc import Callable
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


def _system_clock() -> datetime:
    return datetime.now(UTC)


clock: Callable[[], datetime] = _system_clock
"""Where the wall-clock time comes from. Every module reads the time through `now()`
(never `datetime.now` or `time.time`), so a test that replaces this one name (the
`later` fixture) moves time for all of them at once."""


def now() -> datetime:
    """The current moment, UTC: the one wall clock of the service."""
    return clock()


def timestamp() -> float:
    """`now()` as POSIX seconds, for the places that count in seconds (rate-limit
    windows, queue due times, webhook signatures)."""
    return clock().timestamp()
