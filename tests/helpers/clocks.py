"""The service's clock under the tests' control (every module reads the time through
`chalicelib.core.clock.now()`): a test moves it instead of waiting, so nothing it
checks can expire on a slow machine before it looks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class StoppedClock:
    """A service clock that stands still until the test moves it with `tick`."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, seconds: float = 1) -> None:
        self.at += timedelta(seconds=seconds)
