"""The named retry rules (`chalicelib.store.retry`): what is a condition failure, what
is transient and retried, and one deadline shared by the retries of a request."""

from __future__ import annotations

import pytest

from chalicelib.store import retry
from tests.helpers import aws_error, lost_answer


def test_retries_nested_in_one_request_share_its_deadline():
    # inside a request whose deadline has passed, a transaction's backoff makes its
    # one attempt the last, and an optimistic loop decides once
    with retry.request_deadline(0.0):
        assert next(iter(retry.RetryPolicy(budget_seconds=60).pauses())) is None
        assert list(retry.OPTIMISTIC) == [0]
    # outside any request (a worker), only each policy's own bound applies
    assert list(retry.OPTIMISTIC) == list(range(retry.OPTIMISTIC.limit))
    assert next(iter(retry.RetryPolicy(budget_seconds=60).pauses())) is not None


@pytest.mark.parametrize("fault", [
    lambda: aws_error("ThrottlingException"),
    lambda: aws_error("InternalServerError"),
    lost_answer,
])
def test_throttling_a_service_error_or_a_lost_answer_is_no_condition_failure(fault):
    assert not retry.condition_failed(fault())


@pytest.mark.parametrize("code", ["ThrottlingException", "TransactionConflictException",
                                  "InternalServerError"])
def test_throttling_conflicts_and_service_errors_are_transient(code):
    assert retry.transient(aws_error(code))


def test_a_lost_answer_is_not_transient_the_write_may_have_happened():
    assert not retry.transient(lost_answer())
