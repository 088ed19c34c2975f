"""The storage layer's own rules (`chalicelib.store`): DynamoDB faults answered as a
retryable 503 with Retry-After (never a 500), throttling retried within the request,
a cancelled transaction read back by label, lists merged over shards with small
cursors, the one conflict helper and the named retry policies (`condition_failed`,
`transient`, `OPTIMISTIC`). Faults are injected at the DynamoDB client (botocore's
`BaseClient._make_api_call`), never by mocking domain functions."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from botocore.client import BaseClient
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from pynamodb.exceptions import PutError

from chalicelib.core import errors
from chalicelib.money import budget_shards
from chalicelib.store import paging, retry
from chalicelib.store.models import CampaignModel, GiftModel, PartnerModel, PlayerModel
from chalicelib.store.paging import PageKey, ShardPage
from chalicelib.store.transactions import Cancelled, Txn
from tests.conftest import ADMIN, assert_problem, header, stored_gifts
from tests.test_spins import player_token, spin, wheel_campaign


@pytest.fixture
def campaign(api, partner) -> dict:
    return api.campaign(partner["key"])



def lost_answer() -> Exception:
    """The write may have happened; the answer never came back (no response at all)."""
    return ConnectionClosedError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def read_timeout() -> Exception:
    return ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def unreachable() -> Exception:
    return EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def throttled() -> Exception:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                       "TransactWriteItems")


def assert_retryable(response) -> dict:
    body = assert_problem(response, 503, "service_unavailable")
    assert header(response, "Retry-After") == "1"
    return body


# ----------------------------------------------------- faults: 503, never a 500


@pytest.mark.parametrize("fault", [lost_answer, read_timeout, unreachable, throttled])
def test_gift_issue_whose_transaction_answer_is_lost_is_503_with_retry_after(
        api, partner, campaign, dynamodb_faults, fault):
    # given DynamoDB that takes the transaction but whose answer never arrives
    dynamodb_faults["TransactWriteItems"] = fault

    # when
    r = api.issue(partner["key"], campaign["id"], idem="lost-1")

    # then: retryable with the same key, and the retry works once DynamoDB answers
    assert_retryable(r)
    del dynamodb_faults["TransactWriteItems"]
    retry = api.issue(partner["key"], campaign["id"], idem="lost-1")
    assert retry.status_code == 201, retry.body


def test_redeem_whose_answer_is_lost_is_503_and_the_retry_redeems_once(
        api, partner, campaign, dynamodb_faults):
    code = api.issue(partner["key"], campaign["id"], 30_000).json_body["code"]
    dynamodb_faults["TransactWriteItems"] = lost_answer

    r = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000}, key=partner["key"],
                 idem="till-1")

    assert_retryable(r)
    del dynamodb_faults["TransactWriteItems"]
    retry = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-1")
    assert retry.status_code == 200, retry.body
    assert retry.json_body["gift"]["balance"] == 20_000


@pytest.mark.parametrize("fault", [lost_answer, read_timeout])
def test_batch_whose_idempotency_claim_answer_is_lost_is_503_not_500(
        api, partner, campaign, dynamodb_faults, fault):
    # given the batch's claim (a conditional PutItem) loses its answer
    dynamodb_faults["PutItem"] = fault

    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                 {"items": [{"amount": 1_000}]}, key=partner["key"], idem="batch-lost")

    assert_retryable(r)


def test_business_error_that_cannot_be_remembered_is_503_not_500(
        api, partner, dynamodb_faults):
    # given a campaign whose budget cannot cover the gift, so the 409 must be remembered
    small = api.campaign(partner["key"], budget=10)
    dynamodb_faults["PutItem"] = lost_answer

    r = api.issue(partner["key"], small["id"], 50_000, idem="too-big")

    assert_retryable(r)


def test_partner_creation_with_a_lost_answer_is_503(api, dynamodb_faults):
    dynamodb_faults["TransactWriteItems"] = lost_answer

    r = api.call("POST", "/v1/admin/partners", {"name": "Acme"},
                 headers={**ADMIN, "Idempotency-Key": str(uuid.uuid4())})

    assert_retryable(r)


def test_revocation_with_a_lost_answer_is_503(api, partner, dynamodb_faults):
    dynamodb_faults["UpdateItem"] = lost_answer

    r = api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/{partner['key_id']}",
                 headers=ADMIN)

    assert_retryable(r)


def test_api_key_lookup_during_an_outage_is_503_with_retry_after(api, partner,
                                                                 dynamodb_faults):
    from chalicelib.core import cache

    cache.clear_all()
    dynamodb_faults["GetItem"] = unreachable

    assert_retryable(api.call("GET", "/v1/campaigns", key=partner["key"]))


def test_every_5xx_answer_carries_retry_after(api, partner, campaign, dynamodb_faults):
    for operation in ("GetItem", "Query", "TransactWriteItems", "PutItem"):
        dynamodb_faults[operation] = lost_answer
    requests = [
        api.issue(partner["key"], campaign["id"]),
        api.call("GET", f"/v1/campaigns/{campaign['id']}", key=partner["key"]),
        api.call("GET", f"/v1/campaigns/{campaign['id']}/report", key=partner["key"]),
        api.call("POST", "/v1/admin/partners", {"name": "x"}, headers=ADMIN),
    ]

    for r in requests:
        assert r.status_code >= 500, r.body
        assert header(r, "Retry-After") == "1", r.body


def test_a_throttle_that_clears_is_retried_within_the_request(api, partner, campaign,
                                                              dynamodb_faults):
    # given DynamoDB throttling the first two attempts of the transaction
    left = {"n": 2}

    def throttled_twice() -> Exception:
        left["n"] -= 1
        if left["n"] == 0:
            del dynamodb_faults["TransactWriteItems"]
        return throttled()
    dynamodb_faults["TransactWriteItems"] = throttled_twice

    # when a gift is issued
    r = api.issue(partner["key"], campaign["id"])

    # then the retry policy absorbs it: one gift, no 503
    assert r.status_code == 201, r.body
    assert left["n"] == 0
    assert len(stored_gifts(campaign_id=campaign["id"])) == 1


def test_a_request_past_its_deadline_answers_503_instead_of_retrying_on(
        api, partner, campaign, dynamodb_faults, monkeypatch):
    # given a request deadline that has already passed, and DynamoDB throttling
    from chalicelib.edge import http

    monkeypatch.setattr(http, "REQUEST_SECONDS", 0.0)
    attempts: list[int] = []

    def counted() -> Exception:
        attempts.append(1)
        return throttled()
    dynamodb_faults["TransactWriteItems"] = counted

    # when a gift is issued
    r = api.issue(partner["key"], campaign["id"], idem="deadline-1")

    # then the one attempt is not followed by the 4 s of backoff: 503, nothing written
    assert_retryable(r)
    assert len(attempts) == 1
    assert stored_gifts(campaign_id=campaign["id"]) == []


def test_retries_nested_in_one_request_share_its_deadline():
    # inside a request whose deadline has passed, a transaction's backoff makes its
    # one attempt the last, and an optimistic loop decides once
    with retry.request_deadline(0.0):
        assert next(iter(retry.RetryPolicy(budget_seconds=60).pauses())) is None
        assert list(retry.OPTIMISTIC) == [0]
    # outside any request (a worker), only each policy's own bound applies
    assert list(retry.OPTIMISTIC) == list(range(retry.OPTIMISTIC.limit))
    assert next(iter(retry.RetryPolicy(budget_seconds=60).pauses())) is not None


# --------------------------------------------------------------- transactions


def _partner(pid: str, name: str) -> PartnerModel:
    return PartnerModel(id=pid, name=name, created_at="2030-01-01T00:00:00Z")


def test_a_cancelled_transaction_names_the_failed_operation_and_hands_back_its_item(aws):
    # given a stored item, and a transaction whose second operation is conditioned on
    # its absence (PynamoDB sends puts before updates, so labels, not positions)
    taken, fresh = f"ptn_{uuid.uuid4().hex}", f"ptn_{uuid.uuid4().hex}"
    _partner(taken, "Kept").save()
    txn = Txn()
    txn.update("rename", _partner(fresh, "New"), [PartnerModel.name.set("Renamed")])
    txn.put("create", _partner(taken, "Other"), PartnerModel.id.does_not_exist())

    # when
    with pytest.raises(Cancelled) as cancelled:
        txn.commit()

    # then the cancellation says which operation failed and what the item was, with
    # no extra read, and no operation of the transaction was written
    assert "create" in cancelled.value and "rename" not in cancelled.value
    assert cancelled.value.old("create", PartnerModel).name == "Kept"
    assert cancelled.value.old("rename", PartnerModel) is None
    assert PartnerModel.get(taken, consistent_read=True).name == "Kept"
    assert PartnerModel.count(fresh, consistent_read=True) == 0


def test_a_transaction_that_meets_its_conditions_writes_every_operation(aws):
    first, second = f"ptn_{uuid.uuid4().hex}", f"ptn_{uuid.uuid4().hex}"
    txn = Txn().put("a", _partner(first, "A"), PartnerModel.id.does_not_exist())
    txn.put("b", _partner(second, "B"), PartnerModel.id.does_not_exist())

    txn.commit()

    assert len(txn) == 2
    assert [PartnerModel.get(p).name for p in (first, second)] == ["A", "B"]


# -------------------------------------------------------------- shards and lists


def test_fan_out_keeps_the_order_of_its_keys():
    keys = [f"cmp_x#{n:02d}" for n in range(20)]

    assert paging.fan_out(str.upper, keys) == [k.upper() for k in keys]


def test_fan_out_reads_shards_at_the_same_time():
    # four calls that each wait for the other three: only concurrent calls finish
    meeting = threading.Barrier(4, timeout=30)

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


# ------------------------------------------------ conflicts and retry policies


def aws_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "PutItem")


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
    assert retry.condition_failed(refused.value)
    assert not retry.transient(refused.value)


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
        snap = budget_shards.snapshot(c["id"], shards)

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
    assert len(writes) == retry.OPTIMISTIC.limit
    again = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-busy")
    assert again.status_code == 200, again.body
    assert again.json_body["gift"]["balance"] == 20_000


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
    assert len(writes) == retry.OPTIMISTIC_SPIN.limit
    again = spin(api, token, idem="tab-busy")
    assert again.status_code == 201, again.body
    assert again.json_body["fairness"]["nonce"] == retry.OPTIMISTIC_SPIN.limit
