"""Conflicts and retries: the AWS error codes named once, backoff policies, optimistic
attempts and the request's deadline."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from msgspec import Struct

from chalicelib.core import errors

# ------------------------------------------------------- conflicts and retries
# The AWS error codes the rest of the code needs, named once here.

CONDITION_FAILED = "ConditionalCheckFailedException"

RETRYABLE = frozenset({
    "TransactionCanceledException", "TransactionConflictException", "ThrottlingException",
    "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "InternalServerError"})


def condition_failed(exc: BaseException) -> bool:
    """True when a single conditional write (PutItem, UpdateItem, DeleteItem) was
    refused by its condition: the guard did its job and the caller decides what that
    means (404, 409, someone else got there first). Anything else, a lost answer
    included, is not a refusal and should go on up (a retryable 503)."""
    return errors.aws_code(exc) == CONDITION_FAILED


def transient(exc: BaseException) -> bool:
    """True for the failures worth sending again unchanged: conflicts with a
    concurrent transaction, throttling, and the service's own hiccups."""
    return errors.aws_code(exc) in RETRYABLE


class RetryPolicy(Struct, frozen=True):
    """How long a write keeps retrying conflicts and throttling: full-jitter
    exponential backoff, bounded by a time budget well under API Gateway's 29 s so
    the caller gets a 503 (and retries with its key) rather than a gateway timeout."""

    budget_seconds: float = 4.0
    base_seconds: float = 0.01
    cap_seconds: float = 0.25

    def pauses(self) -> Iterable[float | None]:
        """Yields the pause before each retry; None marks the last attempt. The
        budget never runs past the request's own deadline (`request_deadline`)."""
        deadline = time.monotonic() + self.budget_seconds
        request_ends = _request_ends.get()
        if request_ends is not None:
            deadline = min(deadline, request_ends)
        attempt = 0
        while True:
            pause = random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** attempt))
            if time.monotonic() + pause >= deadline:
                yield None
                return
            yield pause
            attempt += 1


RETRY = RetryPolicy()

_request_ends: ContextVar[float | None] = ContextVar("request_ends", default=None)


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Every retry inside (a transaction's backoff, an optimistic loop's next
    decision) stops once `seconds` have passed since entry. Why: the loops nest (an
    optimistic write retries a transaction that retries throttling), so their own
    bounds multiply; one deadline per request keeps the answer a 503 the client can
    retry, never API Gateway's 504 after 29 s."""
    token = _request_ends.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _request_ends.reset(token)


def past_deadline() -> bool:
    """True once the current request's deadline (if any) has passed."""
    ends = _request_ends.get()
    return ends is not None and time.monotonic() >= ends


class Attempts(Struct, frozen=True):
    """How many times an optimistic write is decided again after its condition
    refused the snapshot it was computed from (a cached gift, a player's counters, a
    campaign's total, a shard's slice).

    Counted, not timed like RetryPolicy, and with no pause: each refusal hands back
    the item as it now is (ALL_OLD) or is followed by a fresh read, so the next
    attempt is decided on current state and may go at once; and each refusal means
    another writer committed, so the loop always makes progress. A write that keeps
    losing is in a crowd the client should back off from: the caller answers 503
    ("retry with the same key") once the attempts run out."""

    limit: int

    def __iter__(self) -> Iterator[int]:
        """Attempt numbers; none is started once the request's deadline has passed
        (the first always is, so a write is tried at least once)."""
        for attempt in range(self.limit):
            if attempt and past_deadline():
                return
            yield attempt

    def exhausted(self, what: str) -> errors.ServiceUnavailable:
        """The answer once every attempt lost its race: `what` (the gift, the
        campaign's budget) is in a crowd, and the client retries with its key."""
        return errors.ServiceUnavailable(
            f"{what} is changing too fast; retry with the same Idempotency-Key")


OPTIMISTIC = Attempts(8)
"""Decisions on one contended item (a gift, a campaign's total, a shard's slice):
losing eight races in a row on one item is a crowd, not bad luck."""

OPTIMISTIC_SPIN = Attempts(25)
"""A spin races on two items at once: its player's counters, where each of the
player's concurrent spins (tabs, a double tap) cancels the others once as it takes
its nonce, and a shard's slice, where a slice that cannot pay costs an attempt to
be refilled. Eight concurrent spins of one player must all land (tests/api/test_scale.py)."""
