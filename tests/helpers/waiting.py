"""Waiting on a condition, never on the clock: a loaded machine may take many times
longer than an idle one, so every wait has a generous deadline and ends as soon as
what it waits for is true."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 60, interval: float = 0.05,
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
