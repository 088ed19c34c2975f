"""Lists: opaque cursors, and pages merged over a campaign's shards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from msgspec import Struct

from chalicelib.core import errors
from chalicelib.store.transactions import M


def _key_value_ok(value: Any, kind: str) -> bool:
    """What DynamoDB accepts in a key, checked here so an edited cursor is a 400, not
    a ValidationException (503) from the service: non-empty strings, numbers it can hold."""
    if kind == "N":
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**15
    return isinstance(value, str) and 0 < len(value) <= 1024


class PageKey(Struct, frozen=True):
    """How a list's opaque cursor maps to DynamoDB's ExclusiveStartKey and back.

    The hash key never comes from the cursor but from the caller's own scope, so a
    cursor (decoded, edited, replayed by another partner) cannot reach other items.
    """

    hash_attr: str
    fields: dict[str, tuple[str, str]]  # cursor name -> (attribute, "S" | "N")

    def start(self, hash_value: str, cursor: dict[str, Any] | None) -> dict | None:
        if cursor is None:
            return None
        if set(cursor) != set(self.fields) or not all(
                _key_value_ok(cursor[name], kind) for name, (_, kind) in self.fields.items()):
            raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned")
        key = {self.hash_attr: {"S": hash_value}}
        for name, (attr, kind) in self.fields.items():
            key[attr] = {kind: str(cursor[name])}
        return key

    def next(self, last: dict | None) -> dict[str, Any] | None:
        if not last:
            return None
        return {name: int(last[attr][kind]) if kind == "N" else last[attr][kind]
                for name, (attr, kind) in self.fields.items()}


T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None


def fan_out(fn: Callable[[str], T], keys: Sequence[str]) -> list[T]:
    """`fn` over every key (one DynamoDB call each), a few at a time; order kept.
    Why threads: a campaign's shards are read one call per shard, and waiting for
    them one after another would add their latencies."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="shard-read")
    return list(_pool.map(fn, keys))


class ShardPage(Struct, Generic[T]):
    """What one shard's Query gave: its items in order, the sort value it read up
    to, and whether it has nothing beyond that."""

    items: list[T]
    reached: str | None
    done: bool


def first_page(result: Any, model: type[M], sort_attr: str) -> ShardPage[M]:
    """One shard's first page of a (filtered) Query: the items it holds, and the sort
    value read up to, which a filter may put beyond the last item kept."""
    pages = result.page_iter
    try:
        page = next(pages)
    except StopIteration:
        return ShardPage([], None, True)
    items = [model.from_raw_data(raw) for raw in page.get("Items") or []]
    last = pages.last_evaluated_key
    return ShardPage(items, last[sort_attr]["S"] if last else None, last is None)


def merged_page(fetch: Callable[[str], ShardPage[T]], shard_keys: Sequence[str],
                sort_value: Callable[[T], str], limit: int, descending: bool
                ) -> tuple[list[T], str | None]:
    """One page of a list whose items are spread over shards, in one global order.

    Each shard is read past the cursor; only items up to the point every unfinished
    shard has reached are safe to return (a shard may hold more before it), so the
    page ends there and the cursor is that point. The cursor is a sort value, the
    same for every shard, so it stays small however many shards there are."""
    pages = fan_out(fetch, shard_keys)
    reached = [p.reached for p in pages if not p.done and p.reached is not None]
    bound = (max(reached) if descending else min(reached)) if reached else None
    items = [i for p in pages for i in p.items]
    if bound is not None:
        items = [i for i in items
                 if (sort_value(i) >= bound if descending else sort_value(i) <= bound)]
    items.sort(key=sort_value, reverse=descending)
    if len(items) > limit:
        items = items[:limit]
        return items, sort_value(items[-1])
    return items, bound


def cursor_value(cursor: dict[str, Any] | None) -> str | None:
    """The sort value a merged list's cursor holds ({"after": value})."""
    if cursor is None:
        return None
    value = cursor.get("after") if isinstance(cursor, dict) and len(cursor) == 1 else None
    if not _key_value_ok(value, "S"):
        raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned")
    return value


def next_cursor(value: str | None) -> dict[str, Any] | None:
    return None if value is None else {"after": value}


def chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
