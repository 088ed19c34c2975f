"""Per-Lambda caches: one bounded, thread-safe type, and one registry of them all.

Why caches at all: a warm Lambda serves many requests, and most of what a money
move reads either never changes (a campaign's currency and wheel) or is re-checked
by the write's own condition (a gift's snapshot, a player's spin counters, a
sold-out hint). Keeping those in the process makes the warm path one write call.
Why per Lambda, with nothing shared: a stale entry only ever costs a cancelled
write and a fresh read, or is bounded in age (API keys, secrets), so no instance
needs to hear about another's changes.

Why bounded: a Lambda stays warm for hours and may meet millions of codes and
players; an unbounded dict grows until the instance runs out of memory. When a
cache is full the least recently used entry goes, so one burst of new keys does
not make every hot entry cold at once.

Why a registry: a test (or a benchmark of a cold start) must begin as a fresh
Lambda would. Every cache registers itself when it is made, so `clear_all()`
reaches each one and a new cache cannot be left out of a hand-kept list.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Clock = Callable[[], float]
"""Seconds from an arbitrary origin that never goes back (`time.monotonic`)."""


class Cache(Generic[K, V]):
    """At most `max_entries` entries, least recently used evicted first.

    `ttl` (seconds, optional) is the age past which an entry is never returned;
    `get(..., max_age=)` may ask for a younger one on a single call (a money move
    trusts a cached API key for less time than a read does). Ages are read from
    `clock`, which tests replace to travel in time. `None` is never a cached value:
    it is what a miss returns."""

    def __init__(self, name: str, max_entries: int, ttl: float | None = None,
                 clock: Clock = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError("a cache holds at least one entry")
        self.name = name
        self.max_entries = max_entries
        self.ttl = ttl
        self.clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        _register(self)

    def __repr__(self) -> str:
        return f"Cache({self.name!r}, {len(self)}/{self.max_entries})"

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _live(self, key: K, max_age: float | None) -> V | None:
        """The entry if it is young enough; lock held. Past `ttl` it is dropped;
        past only this call's `max_age` it stays, for callers that accept it."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        age = self.clock() - entry[0]
        if self.ttl is not None and age >= self.ttl:
            del self._entries[key]
            return None
        if max_age is not None and age >= max_age:
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def _store(self, key: K, value: V) -> None:
        """Lock held."""
        self._entries[key] = (self.clock(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def get(self, key: K, max_age: float | None = None) -> V | None:
        """The cached value, or None when it is missing or older than `ttl` or
        `max_age` seconds (whichever is shorter)."""
        with self._lock:
            return self._live(key, max_age)

    def put(self, key: K, value: V) -> None:
        """Stored as of now (its age starts again), evicting the least recently used
        entry when the cache is full."""
        with self._lock:
            self._store(key, value)

    def update(self, key: K, change: Callable[[V | None], V]) -> V:
        """Store `change(current)` atomically, current being None when there is no
        live entry; returns what was stored. `change` runs under the cache's lock:
        keep it quick and do not touch this cache from it."""
        with self._lock:
            value = change(self._live(key, None))
            self._store(key, value)
            return value

    def pop(self, key: K) -> V | None:
        """Forget one entry (this Lambda has just changed what it cached)."""
        with self._lock:
            entry = self._entries.pop(key, None)
        return None if entry is None else entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Weak: a cache that is no longer referenced (one a test made) leaves the registry
# by itself; the module-level caches of chalicelib live as long as the process.
_registry: weakref.WeakSet[Cache] = weakref.WeakSet()
_registry_lock = threading.Lock()


def _register(cache: Cache) -> None:
    with _registry_lock:
        _registry.add(cache)


def registered() -> list[Cache]:
    """Every cache alive in this process."""
    with _registry_lock:
        return list(_registry)


def clear_all() -> None:
    """Empty every cache, leaving the process as a fresh Lambda would start."""
    for cache in registered():
        cache.clear()
