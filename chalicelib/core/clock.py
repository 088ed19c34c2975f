"""The one wall clock of the service, and the timestamp format every module shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """RFC 3339 UTC with second precision: sorts as text, so conditions can compare it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _system_clock() -> datetime:
    return datetime.now(UTC)


source: Callable[[], datetime] = _system_clock
"""Where the wall-clock time comes from. Every module reads the time through `now()`
(never `datetime.now` or `time.time`), so a test that replaces this one name (the
`later` fixture) moves time for all of them at once."""


def now() -> datetime:
    """The current moment, UTC: the one wall clock of the service."""
    return source()


def timestamp() -> float:
    """`now()` as POSIX seconds, for the places that count in seconds (rate-limit
    windows, queue due times, webhook signatures)."""
    return source().timestamp()
