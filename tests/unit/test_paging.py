"""Lists merged over shards (`chalicelib.store.paging`): shards read at once and in
order, one order across them, cursors that resume where an unfinished shard
stopped, and edited cursors refused before any storage call."""

from __future__ import annotations

import threading

import pytest

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


def _fetch(pages: dict[str, ShardPage[str]]):
    return pages.__getitem__


def test_a_merged_page_is_in_one_order_across_shards():
    pages = {"s0": ShardPage(["a", "d"], None, True), "s1": ShardPage(["b", "c", "e"], None, True)}

    items, cursor = paging.merged_page(_fetch(pages), ["s0", "s1"], str, 10, descending=False)

    assert items == ["a", "b", "c", "d", "e"]
    assert cursor is None


@pytest.mark.parametrize("descending", [False, True])
def test_a_merged_page_ends_where_an_unfinished_shard_stopped_reading(descending):
    # given shard s1 read up to "c" with more beyond, which may come before s0's "d"
    s0 = ["a", "d"]
    s1 = ["b", "c"]
    if descending:  # the same picture, mirrored: s1 read down to "x"
        s0, s1 = ["z", "w"], ["y", "x"]
    reached = s1[-1]
    pages = {"s0": ShardPage(s0, None, True), "s1": ShardPage(s1, reached, False)}

    # when
    items, cursor = paging.merged_page(_fetch(pages), ["s0", "s1"], str, 10, descending)

    # then nothing past that point is returned yet, and the cursor resumes there
    assert items == sorted([s0[0], *s1], reverse=descending)
    assert cursor == reached


def test_a_full_merged_page_ends_its_cursor_at_its_last_item():
    pages = {"s0": ShardPage(["a", "c", "e"], None, True), "s1": ShardPage(["b", "d"], None, True)}

    items, cursor = paging.merged_page(_fetch(pages), ["s0", "s1"], str, 2, descending=False)

    assert items == ["a", "b"]
    assert paging.cursor_value(paging.next_cursor(cursor)) == "b"


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
