"""Lists merged over shards (`chalicelib.store.paging`): shards read at once and in
order, one order across them, each shard read only as far as the page needs,
cursors that resume where an unfinished shard stopped, and edited cursors
refused before any storage call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core import errors
from chalicelib.store import paging
from chalicelib.store.paging import PageKey, ShardPage


def test_fan_out_keeps_the_order_of_its_keys():
    keys = [f"cmp_x#{n:02d}" for n in range(20)]

    assert paging.fan_out(str.upper, keys) == [k.upper() for k in keys]


def test_fan_out_reads_shards_at_the_same_time():
    # four calls that each wait for the other three: only concurrent calls finish
    meeting = threading.Barrier(4, timeout=300)  # waits for its threads; fails only on a hang

    def meet(key: str) -> str:
        meeting.wait()
        return key

    assert paging.fan_out(meet, ["a", "b", "c", "d"]) == ["a", "b", "c", "d"]


class Shards:
    """Shards as DynamoDB serves them: a Query evaluates up to `size` items past the
    cursor (and past `resume`), keeps those the filter passes, and returns a
    LastEvaluatedKey whenever it stopped at its limit, even with nothing left."""

    def __init__(self, shards: dict[str, list[str]], descending: bool = False,
                 keep: Callable[[str], bool] = lambda item: True) -> None:
        self.shards = {k: sorted(v, reverse=descending) for k, v in shards.items()}
        self.descending, self.keep = descending, keep
        self.calls: list[tuple[str, int]] = []
        self.evaluated = 0

    def fetch(self, cursor: str | None) -> paging.Fetch[str]:
        def past(item: str, point: str | None) -> bool:
            return point is None or (item < point if self.descending else item > point)

        def one(key: str, resume: str | None, size: int) -> ShardPage[str]:
            assert size >= 1
            self.calls.append((key, size))
            page = [x for x in self.shards[key] if past(x, cursor) and past(x, resume)][:size]
            self.evaluated += len(page)
            last = page[-1] if len(page) == size else None
            return ShardPage([x for x in page if self.keep(x)], last, last is None, last,
                             len(page))
        return one

    def page(self, cursor: str | None, limit: int, **kw: int) -> tuple[list[str], str | None]:
        self.calls, self.evaluated = [], 0
        return paging.merged_page(self.fetch(cursor), list(self.shards), str, limit,
                                  self.descending, **kw)

    def pages(self, limit: int, **kw: int) -> Iterator[list[str]]:
        cursor = None
        for _ in range(sum(map(len, self.shards.values())) + 2):  # each page moves on
            items, cursor = self.page(cursor, limit, **kw)
            yield items
            if cursor is None:
                return
        raise AssertionError("paging did not move on")


def test_a_merged_page_is_in_one_order_across_shards():
    shards = Shards({"s0": ["a", "d"], "s1": ["b", "c", "e"]})

    items, cursor = shards.page(None, 10)

    assert items == ["a", "b", "c", "d", "e"]
    assert cursor is None


def test_a_full_merged_page_ends_its_cursor_at_its_last_item():
    shards = Shards({"s0": ["a", "c", "e"], "s1": ["b", "d"]})

    items, cursor = shards.page(None, 2)

    assert items == ["a", "b"]
    assert paging.cursor_value(paging.next_cursor(cursor)) == "b"


def test_each_shard_is_first_asked_for_its_share_of_the_page_and_a_margin():
    shards = Shards({f"s{n}": [f"{n}-{i:03d}" for i in range(100)] for n in range(4)})

    shards.page(None, 10)

    assert shards.calls[:4] == [(f"s{n}", 3 + paging.MARGIN) for n in range(4)]


def test_only_the_shards_that_bound_the_page_are_read_again():
    # given s0 holds the oldest items: its first page ends before the page does, and
    # the others' first pages reach past the page's end
    shards = Shards({name: [f"{name}-{i:02d}" for i in range(20)] for name in ("s0", "s1", "s2")})

    # when
    items, _ = shards.page(None, 12)

    # then only s0 was read again, from where it stopped
    assert items == [f"s0-{i:02d}" for i in range(12)]
    assert [key for key, _ in shards.calls[3:]] == ["s0"]


@pytest.mark.parametrize("descending", [False, True])
def test_a_page_ends_short_at_the_safe_point_when_its_read_budget_is_spent(descending):
    # given a filter that keeps nothing of s1, which holds many items
    s1 = [f"b{i:03d}" for i in range(200)]
    shards = Shards({"s0": ["a", "z"], "s1": s1}, descending, keep=lambda x: x in ("a", "z"))

    # when
    items, cursor = shards.page(None, 2, budget=50)

    # then the page holds what is safe so far, and the cursor resumes where s1 stopped
    read = sorted(s1, reverse=descending)[:shards.evaluated - 2]
    assert shards.evaluated <= 50 + 2
    assert items == (["a"] if not descending else ["z"])
    assert cursor == read[-1]


def _spread(draw: st.DrawFn, shards: int, even: bool) -> dict[str, list[str]]:
    n = draw(st.integers(0, 120))
    keys = [f"s{i}" for i in range(shards)]
    out: dict[str, list[str]] = {k: [] for k in keys}
    for i in range(n):
        shard = i % shards if even else draw(st.integers(0, shards - 1))
        out[keys[shard]].append(f"{i:04d}")
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_paging_through_yields_every_item_once_in_the_global_order(data):
    # given random shard contents, a filter, a limit, an order and a read budget
    count = data.draw(st.integers(1, 9), "shards")
    contents = _spread(data.draw, count, even=False)
    kept = data.draw(st.sets(st.integers(0, 119)) | st.just(set(range(120))), "kept")
    shards = Shards(contents, data.draw(st.booleans(), "descending"),
                    keep=lambda x: int(x) in kept)
    limit = data.draw(st.integers(1, 30), "limit")
    budget = data.draw(st.integers(1, 200), "budget")

    # when
    pages = list(shards.pages(limit, budget=budget))

    # then
    everything = sorted((x for v in contents.values() for x in v if int(x) in kept),
                        reverse=shards.descending)
    assert [x for page in pages for x in page] == everything
    assert all(len(page) <= limit for page in pages)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_evenly_spread_items_cost_one_query_per_shard_and_a_margin_per_page(data):
    count = data.draw(st.integers(1, 32), "shards")
    shards = Shards(_spread(data.draw, count, even=True), data.draw(st.booleans()))
    limit = data.draw(st.integers(1, 100), "limit")
    cursor = None
    while True:
        _, cursor = shards.page(cursor, limit)

        assert len(shards.calls) <= count
        assert shards.evaluated <= limit + count * (paging.MARGIN + 1)
        if cursor is None:
            break


PAGE_KEY = PageKey("partner_id", {"at": ("created_at", "S"), "n": ("sequence", "N")})


def test_a_page_key_takes_its_hash_from_the_caller_never_from_the_cursor():
    start = PAGE_KEY.start("ptn_me", {"at": "2030-01-01T00:00:00Z", "n": 7})

    assert start == {"partner_id": {"S": "ptn_me"}, "created_at": {"S": "2030-01-01T00:00:00Z"},
                     "sequence": {"N": "7"}}
    assert PAGE_KEY.next(start) == {"at": "2030-01-01T00:00:00Z", "n": 7}
    assert PAGE_KEY.start("ptn_me", None) is None and PAGE_KEY.next(None) is None


@pytest.mark.parametrize("cursor", [
    {}, {"at": "x"}, {"at": "x", "n": 1, "partner_id": "ptn_other"}, {"at": "", "n": 1},
    {"at": "x" * 1025, "n": 1}, {"at": 5, "n": 1}, {"at": "x", "n": "1"},
    {"at": "x", "n": True}, {"at": "x", "n": -1}, {"at": "x", "n": 10**15},
])
def test_an_edited_cursor_is_invalid_cursor_before_any_storage_call(cursor):
    with pytest.raises(errors.InvalidCursor):
        PAGE_KEY.start("ptn_me", cursor)


@pytest.mark.parametrize("cursor", [{}, {"after": ""}, {"after": 1}, {"after": "x", "n": 1},
                                    {"before": "x"}])
def test_an_edited_merged_list_cursor_is_invalid_cursor(cursor):
    with pytest.raises(errors.InvalidCursor):
        paging.cursor_value(cursor)
