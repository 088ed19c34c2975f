"""The money path's one optimistic-write helper.

A gift's change (redeem, void, hold, capture, release, reverse) is decided from a
snapshot (this Lambda's cache, so a warm move reads nothing) and written in one
transaction whose conditions say "the items are still as decided from". Two things
can go wrong, and each has one answer here:
- the decision refuses (no balance left, the hold ended) but the snapshot was
  cached: decide again from fresh reads before telling the client no (`decide`);
- the write is cancelled because an item moved: its condition hands the item back
  as it now is (ALL_OLD), and the caller decides again from that (`commit`).
The caller loops over `store.retry.OPTIMISTIC`; every refusal means another writer
committed, so the loop always makes progress.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.core import errors
from chalicelib.store import idempotency
from chalicelib.store.transactions import Cancelled, Txn

D = TypeVar("D")
S = TypeVar("S")
M = TypeVar("M")


def decide(rule: Callable[[S], D], state: S, fresh: bool, reread: Callable[[], S]
           ) -> tuple[D, S]:
    """`rule(state)`, and the state it was decided on. A refusal decided from a
    cached snapshot is decided again from fresh reads (a hold may have ended, a
    reversal refilled the balance); one decided from fresh state stands."""
    try:
        return rule(state), state
    except errors.DomainError:
        if fresh:
            raise
    state = reread()
    return rule(state), state


def commit(txn: Txn, claim: idempotency.Claim, labels: dict[str, type]
           ) -> dict[str, Any] | None:
    """Commit with the idempotency record; None when done, else the current items
    (ALL_OLD; None for one that is gone) of the labelled writes whose conditions
    failed, to decide again. A cancellation on any other write is not ours to
    retry and goes on up."""
    try:
        idempotency.commit(txn, claim)
    except Cancelled as cancelled:
        found = {label: cancelled.old(label, model) for label, model in labels.items()
                 if label in cancelled}
        if not found:
            raise
        return found
    return None


def copy(item: M) -> M:
    """An independent copy of a model item, to compute the state after a change."""
    return type(item).from_raw_data(item.serialize())  # type: ignore[attr-defined]
