"""The storage layer's own rules (`chalicelib.store`) against moto: DynamoDB faults
answered as a retryable 503 with Retry-After (never a 500), throttling retried within
the request, a cancelled transaction read back by label, a refused condition told
apart from a transient error, and the optimistic retry policies under concurrent
writers. Faults are injected at the DynamoDB client (tests.helpers.dynamo), never
by mocking domain functions; the pure rules (merged lists, cursors, which errors are
transient) are in the unit tier (test_paging, test_retry)."""

from __future__ import annotations

import uuid

import pytest
from pynamodb.exceptions import PutError

from chalicelib.money import budget_shards
from chalicelib.store import retry
from chalicelib.store.models import CampaignModel, GiftModel, PartnerModel, PlayerModel
from chalicelib.store.transactions import Cancelled, Txn
from tests.helpers import (
    ADMIN,
    assert_problem,
    aws_error,
    header,
    lost_answer,
    patched_dynamodb,
    read_timeout,
    stored_gifts,
    throttled,
    unreachable,
)


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


# ------------------------------------------------ conflicts and retry policies


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
    with patched_dynamodb() as dynamodb:
        dynamodb.before["TransactGetItems"] = fail_once
        snap = budget_shards.snapshot(c["id"], shards)

    # then it was sent again under RETRY, not answered 503
    assert dynamodb.sent.count("TransactGetItems") == 2
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
    with patched_dynamodb() as dynamodb:
        dynamodb.before["TransactWriteItems"] = other_till
        r = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-busy")

    # then each attempt was decided again on the gift as it then was, until they ran out
    assert_problem(r, 503, "service_unavailable")
    assert header(r, "Retry-After") == "1"
    assert dynamodb.sent.count("TransactWriteItems") == retry.OPTIMISTIC.limit
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
    c = api.wheel_campaign(partner["key"], NO_PRIZE)
    token = api.player_token(partner["key"], c["id"], "zalo:84900000001")

    from chalicelib.money import campaigns

    pk = campaigns.player_key(partner["id"], c["id"], "zalo:84900000001")

    def other_tab() -> None:
        PlayerModel(pk=pk).update(actions=[PlayerModel.spins.add(1)])

    # when
    with patched_dynamodb() as dynamodb:
        dynamodb.before["TransactWriteItems"] = other_tab
        r = api.spin(token, idem="tab-busy")

    # then each attempt drew again on the new nonce, until they ran out
    assert_problem(r, 503, "service_unavailable")
    assert header(r, "Retry-After") == "1"
    assert dynamodb.sent.count("TransactWriteItems") == retry.OPTIMISTIC_SPIN.limit
    again = api.spin(token, idem="tab-busy")
    assert again.status_code == 201, again.body
    assert again.json_body["fairness"]["nonce"] == retry.OPTIMISTIC_SPIN.limit
