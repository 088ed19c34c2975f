"""The per-Lambda cache type: bounded, least recently used out first, ages from an
injected clock, safe across threads, and every cache cleared by one call."""

from __future__ import annotations

import gc
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import cache
from chalicelib.core.cache import Cache


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ the bound


def test_a_full_cache_evicts_the_least_recently_used_entry():
    c: Cache[str, int] = Cache("test", 2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1  # "a" is now the most recently used

    c.put("c", 3)

    assert (c.get("a"), c.get("b"), c.get("c")) == (1, None, 3)
    assert len(c) == 2


def test_putting_a_known_key_replaces_it_without_evicting_another():
    c: Cache[str, int] = Cache("test", 2)
    c.put("a", 1)
    c.put("b", 2)

    c.put("a", 10)

    assert (c.get("a"), c.get("b")) == (10, 2)


def test_a_cache_must_hold_at_least_one_entry():
    with pytest.raises(ValueError):
        Cache("test", 0)


OPS = st.lists(st.tuples(st.sampled_from(["put", "get", "pop", "update"]),
                         st.integers(0, 4)), max_size=60)


@given(max_entries=st.integers(1, 4), ops=OPS)
def test_every_sequence_of_calls_behaves_as_a_bounded_lru(max_entries, ops):
    # the reference: keys from least to most recently used, at most max_entries
    c: Cache[int, int] = Cache("test", max_entries)
    model: dict[int, int] = {}
    for step, (op, key) in enumerate(ops):
        if op == "put":
            c.put(key, step)
            model.pop(key, None)
            model[key] = step
        elif op == "update":
            c.update(key, lambda current, step=step: step if current is None else current + 1)
            value = step if key not in model else model.pop(key) + 1
            model[key] = value
        elif op == "pop":
            assert c.pop(key) == model.pop(key, None)
        else:
            assert c.get(key) == model.get(key)
            if key in model:
                model[key] = model.pop(key)
        while len(model) > max_entries:
            del model[next(iter(model))]
        assert len(c) == len(model) <= max_entries
    assert all(c.get(k) == v for k, v in list(model.items()))


def test_threads_racing_on_put_and_get_never_exceed_the_bound():
    c: Cache[tuple[int, int], int] = Cache("test", 100)
    seen: list[int] = []
    start = threading.Barrier(9)

    def writer(n: int) -> None:
        start.wait()
        for i in range(2000):
            c.put((n, i), i)
            c.get((n, i - 50))

    def watcher() -> None:
        start.wait()
        for _ in range(2000):
            seen.append(len(c))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    threads.append(threading.Thread(target=watcher))
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert max(seen) <= 100
    assert len(c) == 100


def test_threads_racing_on_update_lose_no_change():
    c: Cache[str, int] = Cache("test", 10)

    def add() -> None:
        for _ in range(1000):
            c.update("n", lambda current: (current or 0) + 1)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert c.get("n") == 8000


# ------------------------------------------------------------------ ages


def test_an_entry_expires_once_its_ttl_has_passed():
    clock = FakeClock()
    c: Cache[str, str] = Cache("test", 10, ttl=30, clock=clock)
    c.put("k", "v")

    clock.now += 29.9
    assert c.get("k") == "v"
    clock.now += 0.1
    assert c.get("k") is None
    assert len(c) == 0  # an expired entry is dropped, not kept taking room


def test_putting_again_restarts_an_entrys_age():
    clock = FakeClock()
    c: Cache[str, str] = Cache("test", 10, ttl=30, clock=clock)
    c.put("k", "old")
    clock.now += 20

    c.put("k", "new")
    clock.now += 20

    assert c.get("k") == "new"


def test_a_call_may_ask_for_a_younger_entry_than_the_ttl_and_others_still_get_it():
    clock = FakeClock()
    c: Cache[str, str] = Cache("test", 10, ttl=30, clock=clock)
    c.put("k", "v")
    clock.now += 3

    assert c.get("k", max_age=3) is None
    assert c.get("k", max_age=10) == "v"
    assert c.get("k") == "v"


def test_the_ttl_bounds_an_entrys_age_even_when_a_call_allows_more():
    clock = FakeClock()
    c: Cache[str, str] = Cache("test", 10, ttl=3, clock=clock)
    c.put("k", "v")
    clock.now += 3

    assert c.get("k", max_age=10) is None


def test_without_a_ttl_only_the_bound_and_max_age_forget_an_entry():
    clock = FakeClock()
    c: Cache[str, str] = Cache("test", 10, clock=clock)
    c.put("k", "v")
    clock.now += 10**9

    assert c.get("k") == "v"
    assert c.get("k", max_age=60) is None


def test_update_of_an_expired_entry_starts_from_nothing():
    clock = FakeClock()
    c: Cache[str, int] = Cache("test", 10, ttl=5, clock=clock)
    c.put("n", 41)
    clock.now += 5

    assert c.update("n", lambda current: (current or 0) + 1) == 1


# ------------------------------------------------------------------ forgetting


def test_pop_forgets_one_entry_and_returns_it():
    c: Cache[str, int] = Cache("test", 10)
    c.put("a", 1)
    c.put("b", 2)

    assert c.pop("a") == 1
    assert c.pop("a") is None
    assert (c.get("a"), c.get("b")) == (None, 2)


def test_clear_all_empties_every_cache_including_the_modules():
    from chalicelib.access import auth
    from chalicelib.money import campaigns, gifts
    from chalicelib.play import spins

    mine: Cache[str, int] = Cache("test.mine", 10)
    theirs: Cache[str, int] = Cache("test.theirs", 10, ttl=60)
    mine.put("a", 1)
    theirs.put("b", 2)
    spins._players.put("cmp_x#p", spins.Counters(1, None, 1))

    cache.clear_all()

    assert len(mine) == len(theirs) == 0
    assert spins._players.get("cmp_x#p") is None
    for module_cache in (auth._cache, campaigns._terms, gifts._snapshots, spins._players):
        assert module_cache in cache.registered()


def test_a_cache_nobody_holds_leaves_the_registry():
    c: Cache[str, int] = Cache("test.dropped", 10)
    assert "test.dropped" in {x.name for x in cache.registered()}

    del c
    gc.collect()

    assert "test.dropped" not in {x.name for x in cache.registered()}
