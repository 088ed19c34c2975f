"""Lists: opaque cursors, and pages merged over a campaign's shards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

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
K = TypeVar("K")
_pool: ThreadPoolExecutor | None = None


def fan_out(fn: Callable[[K], T], keys: Sequence[K]) -> list[T]:
    """`fn` over every key (one DynamoDB call each), a few at a time; order kept.
    Why threads: a campaign's shards are read one call per shard, and waiting for
    them one after another would add their latencies."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="shard-read")
    return list(_pool.map(fn, keys))


class ShardPage(Struct, Generic[T]):
    """What one Query of a shard gave: its items in order, the sort value it read up
    to (`reached`: a filter may put it beyond the last item kept), whether the shard
    has nothing beyond that, where its next Query starts (`resume`, its
    LastEvaluatedKey, opaque here) and how many items it evaluated (None: as many
    as it kept, as without a filter)."""

    items: list[T]
    reached: str | None
    done: bool
    resume: Any = None
    evaluated: int | None = None


def query_page(result: Any, model: type[M], sort_attr: str) -> ShardPage[M]:
    """One Query call of a PynamoDB query, as a ShardPage: the merge decides whether
    a shard is read further, never the iterator."""
    pages = result.page_iter
    try:
        page = next(pages)
    except StopIteration:
        return ShardPage([], None, True)
    items = [model.from_raw_data(raw) for raw in page.get("Items") or []]
    last = pages.last_evaluated_key
    return ShardPage(items, last[sort_attr]["S"] if last else None, last is None, last,
                     int(page.get("ScannedCount", len(items))))


Fetch = Callable[[str, Any, int], ShardPage[T]]
"""(shard key, where to resume: None or a ShardPage's `resume`, items to evaluate)
-> one Query's page. The caller's closure holds the list's cursor and filter."""

MARGIN = 4
"""Items asked of each shard beyond its even share of the page (ceil(limit / shards)).
Issuance spreads items over shards at random, so the page's end falls near each
shard's share but not on it: with a few more per shard the first round covers
most pages alone, and a second round reads only the few shards that bound the
page. A Query is charged per 4 KB it evaluates, at least one step, so a first
page that stays in one step costs nothing more: 100 gifts over 32 shards ask 8
of about 450 bytes each (3.6 KB). Simulated over 32 random shards, a page of 100
takes 32.4 Queries and 16.4 read units (2 more per shard: 35 and 18.7; 6 more:
two steps per Query, 30.6 units); a page of 20, 32.0 Queries."""

MAX_ROUNDS = 6
"""Rounds of Queries one page may take; then it ends short, with a cursor."""

READ_BUDGET = 1000
"""Items one page may evaluate (over all shards; the first round is always made):
past it the page ends short, with a cursor, so a filter that keeps few items
cannot make one request read a whole campaign."""

MAX_PAGE = 1000
"""The most items one Query is asked to evaluate."""


@dataclass
class _Shard(Generic[T]):
    items: list[T] = field(default_factory=list)
    reached: str | None = None
    done: bool = False
    resume: Any = None

    def add(self, page: ShardPage[T]) -> None:
        self.items += page.items
        self.reached, self.done, self.resume = page.reached, page.done, page.resume


def first_size(limit: int, shards: int) -> int:
    """What each shard is asked for first: its even share of the page, plus MARGIN."""
    return -(-limit // shards) + MARGIN


def merged_page(fetch: Fetch[T], shard_keys: Sequence[str], sort_value: Callable[[T], str],
                limit: int, descending: bool, budget: int = READ_BUDGET
                ) -> tuple[list[T], str | None]:
    """One page of a list whose items are spread over shards, in one global order.

    A lazy k-way merge. Each shard is first asked for `first_size` items past the
    cursor. Only items up to the point every unfinished shard has reached are safe
    to return (a shard may hold more before it). While fewer than `limit` are
    safe, the shards that bound the page (unfinished, and reached short of the
    `limit`-th item read so far) are read further from where they stopped, in
    parallel rounds, each asked for its share of what is missing, scaled by how
    many items a filter evaluated per item kept. The page ends full, with every
    shard done, or short (with a cursor) once `budget` items were evaluated (or
    what is left of it would not give each of those shards one) or MAX_ROUNDS
    taken. The cursor is a sort value, the same for every shard: it stays small
    however many shards there are, and since sort values are unique (keys end
    with an id), resuming after it skips and repeats nothing."""

    def later(a: str, b: str) -> bool:
        return a < b if descending else a > b

    shards: list[_Shard[T]] = [_Shard() for _ in shard_keys]
    sizes = dict.fromkeys(range(len(shards)), first_size(limit, len(shards)))
    evaluated = kept = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        asks = list(sizes.items())
        pages = fan_out(lambda ask: fetch(shard_keys[ask[0]], shards[ask[0]].resume, ask[1]),
                        asks)
        for (i, _), page in zip(asks, pages, strict=True):
            shards[i].add(page)
            kept += len(page.items)
            evaluated += len(page.items) if page.evaluated is None else page.evaluated
        read = sorted((x for s in shards for x in s.items), key=sort_value, reverse=descending)
        open_ = [i for i, s in enumerate(shards) if not s.done]
        reached = [cast(str, shards[i].reached) for i in open_]
        bound = (max(reached) if descending else min(reached)) if reached else None
        safe = read if bound is None else [x for x in read if not later(sort_value(x), bound)]
        if len(safe) > limit:
            return safe[:limit], sort_value(safe[limit - 1])
        if len(safe) == limit or bound is None or rounds == MAX_ROUNDS:
            return safe, bound
        if len(read) >= limit:  # shards already past the limit-th item cannot add to the page
            edge = sort_value(read[limit - 1])
            open_ = [i for i in open_ if later(edge, cast(str, shards[i].reached))]
        room = budget - evaluated
        if room < len(open_):  # not even one more item from each shard that bounds it
            return safe, bound
        share = -(-(limit - len(safe)) // len(open_))
        size = min(MAX_PAGE, -(-share * evaluated // max(kept, 1)) + MARGIN, room // len(open_))
        sizes = dict.fromkeys(open_, size)
    raise AssertionError("unreachable")  # pragma: no cover


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
