"""store's conflict helper and retry policies: what a refused condition, a transient
failure and a write that keeps losing its race each come to. Faults are injected at
the DynamoDB client (botocore's `BaseClient._make_api_call`), as in test_hardening."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError, ConnectionClosedError
from pynamodb.exceptions import PutError

from chalicelib import budget, store
from chalicelib.store import CampaignModel, GiftModel, PlayerModel
from tests.conftest import assert_problem, header, stored_gifts
from tests.test_spins import player_token, spin, wheel_campaign


def aws_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "PutItem")


def lost_answer() -> Exception:
    return ConnectionClosedError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


@contextlib.contextmanager
def before_each(operation: str, act: Callable[[], None]) -> Iterator[list[str]]:
    """While open, `act()` runs just before every `operation` any DynamoDB client
    sends (as a concurrent writer would; an exception it raises fails the call);
    yields the list those calls are appended to."""
    original = BaseClient._make_api_call
    seen: list[str] = []

    def make_api_call(self: BaseClient, op: str, params: dict) -> dict:
        if op == operation:
            seen.append(op)
            act()
        return original(self, op, params)

    BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


# ------------------------------------------------------------ condition_failed


def test_a_put_refused_by_its_condition_is_a_condition_failure_not_transient(aws):
    # given an item that exists
    item = PlayerModel(pk=f"cmp_{uuid.uuid4().hex}#zalo:1")
    item.save(condition=PlayerModel.pk.does_not_exist())

    # when the same conditional put runs again
    with pytest.raises(PutError) as refused:
        item.save(condition=PlayerModel.pk.does_not_exist())

    # then the guard refused it: the caller decides, nothing is sent again
    assert store.condition_failed(refused.value)
    assert not store.transient(refused.value)


@pytest.mark.parametrize("fault", [
    lambda: aws_error("ThrottlingException"),
    lambda: aws_error("InternalServerError"),
    lost_answer,
])
def test_throttling_a_service_error_or_a_lost_answer_is_no_condition_failure(fault):
    assert not store.condition_failed(fault())


@pytest.mark.parametrize("code", ["ThrottlingException", "TransactionConflictException",
                                  "InternalServerError"])
def test_throttling_conflicts_and_service_errors_are_transient(code):
    assert store.transient(aws_error(code))


def test_a_lost_answer_is_not_transient_the_write_may_have_happened():
    assert not store.transient(lost_answer())


# ---------------------------------------------------------------- RetryPolicy


def test_a_budget_snapshot_retries_a_transient_service_error(api, partner):
    # given a campaign, and DynamoDB failing the snapshot's first TransactGetItems
    c = api.campaign(partner["key"], budget=70_000)
    shards = int(CampaignModel.get(c["id"], consistent_read=True).shards)
    failures = [aws_error("InternalServerError")]

    def fail_once() -> None:
        if failures:
            raise failures.pop()

    # when
    with before_each("TransactGetItems", fail_once) as reads:
        snap = budget.snapshot(c["id"], shards)

    # then it was sent again under RETRY, not answered 503
    assert len(reads) == 2
    assert snap.available() == 70_000


# ------------------------------------------------------------------- Attempts


def test_a_redeem_that_loses_every_race_is_503_after_the_optimistic_attempts(
        api, partner):
    # given a gift that another till changes just before each of our writes
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 30_000).json_body["code"]
    (stored,) = stored_gifts(campaign_id=c["id"])

    def other_till() -> None:
        GiftModel(code_hash=stored.code_hash).update(actions=[GiftModel.seq.add(1)])

    # when
    with before_each("TransactWriteItems", other_till) as writes:
        r = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-busy")

    # then each attempt was decided again on the gift as it then was, until they ran out
    assert_problem(r, 503, "service_unavailable")
    assert header(r, "Retry-After") == "1"
    assert len(writes) == store.OPTIMISTIC.limit
    retry = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-busy")
    assert retry.status_code == 200, retry.body
    assert retry.json_body["gift"]["balance"] == 20_000


NO_PRIZE = {"segments": [
    {"id": "prize", "label": "1.000d", "weight": 0, "prize": {"amount": 1_000}},
    {"id": "none", "label": "Next time", "weight": 1, "prize": None}],
    "fallback_segment_id": "none"}


def test_a_spin_that_loses_every_race_for_its_nonce_is_503_after_the_spin_attempts(
        api, partner):
    # given a player whose other tab spins just before each of our writes
    c = wheel_campaign(api, partner["key"], NO_PRIZE)
    token = player_token(api, partner["key"], c["id"], "zalo:84900000001")

    def other_tab() -> None:
        PlayerModel(pk=f"{c['id']}#zalo:84900000001").update(
            actions=[PlayerModel.spins.add(1)])

    # when
    with before_each("TransactWriteItems", other_tab) as writes:
        r = spin(api, token, idem="tab-busy")

    # then each attempt drew again on the new nonce, until they ran out
    assert_problem(r, 503, "service_unavailable")
    assert header(r, "Retry-After") == "1"
    assert len(writes) == store.OPTIMISTIC_SPIN.limit
    retry = spin(api, token, idem="tab-busy")
    assert retry.status_code == 201, retry.body
    assert retry.json_body["fairness"]["nonce"] == store.OPTIMISTIC_SPIN.limit
