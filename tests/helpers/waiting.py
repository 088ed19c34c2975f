"""Waiting on a condition, never on the clock: a loaded machine may take many times
longer than an idle one, so every wait has a generous deadline and ends as soon as
what it waits for is true."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

HANG = 3600
"""The timeout mark of a test that takes minutes even idle (pytest-timeout): only a
hang reaches it. Everyone else has pyproject's `timeout`, also only a hang guard."""

PATIENCE = 120.0
"""How long a wait may take before the test fails: a bound on failure, never on
success (a wait ends as soon as its condition holds). An idle machine needs a few
seconds where one running other work needed many times more."""


def wait_until(predicate: Callable[[], T], timeout: float = PATIENCE, interval: float = 0.05,
               message: str | Callable[[], object] = "") -> T:
    """Call `predicate` until it returns something truthy and return that; fail the
    test after `timeout` seconds, with `message` (or what it returns) as the reason."""
    deadline = time.monotonic() + timeout
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() >= deadline:
            reason = message() if callable(message) else message
            raise AssertionError(f"not true within {timeout} s: {reason}")
        time.sleep(interval)
