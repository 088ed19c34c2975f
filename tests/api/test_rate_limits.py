"""Each API key has its own rate limit: one partner cannot take a stage's quota."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import ADMIN, DynamoPatch, assert_problem, header, patched_dynamodb, throttled


def _key(api, partner_id: str, rate_limit: int) -> str:
    r = api.call("POST", f"/v1/admin/partners/{partner_id}/api-keys",
                 {"rate_limit": rate_limit}, headers=ADMIN)
    assert r.status_code == 201, r.body
    assert r.json_body["rate_limit"] == rate_limit
    return r.json_body["key"]


def test_a_key_over_its_limit_is_429_with_retry_after_and_others_go_on(api, partner,
                                                                       stopped_clock):
    # given a key limited to 3 requests a second, all in one second
    slow = _key(api, partner["id"], 3)

    # when it makes a fourth
    answers = [api.call("GET", "/v1/campaigns", key=slow) for _ in range(4)]

    # then the fourth is refused, saying when to retry, and another key is unaffected
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    body = assert_problem(answers[3], 429, "rate_limited")
    assert header(answers[3], "Retry-After") == "1" and body["limit"] == 3
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    # and the next second it may go on
    stopped_clock.tick(1)
    assert api.call("GET", "/v1/campaigns", key=slow).status_code == 200


def test_a_refused_money_move_changes_nothing_and_its_retry_works(api, partner,
                                                                  stopped_clock):
    key = _key(api, partner["id"], 2)
    c = api.campaign(key)  # the first request of the second
    first = api.issue(key, c["id"], 1_000, idem="rl-1")
    refused = api.issue(key, c["id"], 1_000, idem="rl-2")

    assert first.status_code == 201
    assert_problem(refused, 429, "rate_limited")
    stopped_clock.tick(1)
    got = api.call("GET", f"/v1/campaigns/{c['id']}", key=key).json_body
    assert got["budget"]["spent"] == 1_000
    retry = api.issue(key, c["id"], 1_000, idem="rl-2")
    assert retry.status_code == 201 and retry.headers.get("Idempotent-Replayed") is None



# ------------------------------------------------------------- leases, not a write a request


def _lease_writes(faults: DynamoPatch, since: int) -> list[str]:
    return [op for op, table in faults.every_call[since:] if table.endswith("-rate-limits")]


def test_a_warm_key_leases_a_few_times_a_second_rather_than_writing_every_request(
        api, partner, stopped_clock, dynamodb_faults):
    key = _key(api, partner["id"], 1_000)

    def burst() -> list[str]:
        since = len(dynamodb_faults.every_call)
        answers = [api.call("GET", "/v1/campaigns", key=key) for _ in range(100)]
        assert {a.status_code for a in answers} == {200}
        return _lease_writes(dynamodb_faults, since)

    # a first busy second grows its lease from the smallest block (10, 10, 20, 40, 80)
    first = burst()
    assert set(first) == {"UpdateItem"} and len(first) <= 6
    # the next second leases the previous second's pace at once
    stopped_clock.tick(1)
    assert burst() == ["UpdateItem"]


def test_a_warm_issue_and_a_warm_redeem_make_one_dynamodb_call_each(
        api, stopped_clock, partner, dynamodb_faults, monkeypatch):
    from chalicelib.money import budget_shards
    from chalicelib.store.keys import shard_key

    key = partner["key"]
    c = api.campaign(key)
    # every issue pays from one budget slice, so only the first refills it
    monkeypatch.setattr(budget_shards, "pick", lambda cid, n: shard_key(cid, 0))
    assert api.issue(key, c["id"], 1_000).status_code == 201  # key, campaign, slice warm

    since = len(dynamodb_faults.every_call)
    issued = api.issue(key, c["id"], 1_000)
    issue_calls = dynamodb_faults.every_call[since:]
    code = issued.json_body["code"]
    assert api.call("GET", f"/v1/gifts/{code}", key=key).status_code == 200  # the till looks
    since = len(dynamodb_faults.every_call)
    redeemed = api.redeem(key, code)
    redeem_calls = dynamodb_faults.every_call[since:]

    assert issued.status_code == 201 and redeemed.status_code == 200
    assert [op for op, _ in issue_calls] == ["TransactWriteItems"]
    assert [op for op, _ in redeem_calls] == ["TransactWriteItems"]


def test_a_limiter_that_cannot_count_lets_the_request_through(api, partner, stopped_clock,
                                                              dynamodb_faults, caplog):
    key = _key(api, partner["id"], 5)
    dynamodb_faults["UpdateItem"] = throttled

    r = api.call("GET", "/v1/campaigns", key=key)

    assert r.status_code == 200
    assert "rate limit not counted" in caplog.text


def test_a_new_second_starts_a_new_window_with_a_lease_at_the_last_ones_pace(
        aws, stopped_clock):
    from chalicelib.access import ratelimit
    from chalicelib.core import errors

    limiter, key_id = ratelimit.Limiter(), f"key_{uuid.uuid4().hex}"
    # from idle: leases of 1, 1 and the 1 left (a small limit's smallest lease is 1);
    # what is left counts the slot's room as the lease saw it
    assert [limiter.admit(key_id, 3).remaining for _ in range(3)] == [2, 1, 0]
    with pytest.raises(errors.RateLimited) as refused:
        limiter.admit(key_id, 3)
    assert refused.value.headers == {"Retry-After": "1",
                                     "RateLimit-Policy": '"default";q=3;w=1',
                                     "RateLimit": '"default";r=0;t=1'}

    stopped_clock.tick(1)
    decisions = [limiter.admit(key_id, 3) for _ in range(3)]

    # three used last second: one lease of three, counted down in memory
    assert decisions == [ratelimit.Decision(limit=3, remaining=n, reset_seconds=1)
                         for n in (2, 1, 0)]
    with pytest.raises(errors.RateLimited):
        limiter.admit(key_id, 3)


@pytest.mark.parametrize("limit", [300, 1_200])  # one slot; three slots of 400
def test_threads_racing_on_one_key_in_two_instances_admit_exactly_the_limit(
        aws, stopped_clock, limit):
    from chalicelib.access import ratelimit
    from chalicelib.core import errors

    # given two instances (each its own leases) sharing the table, four threads each
    instances = [ratelimit.Limiter(), ratelimit.Limiter()]
    key_id = f"key_{uuid.uuid4().hex}"
    slots = len(ratelimit.slot_caps(limit))

    def client(limiter: ratelimit.Limiter) -> tuple[int, int]:
        """Requests until refused once per slot: by then the instance knows every
        slot is full, so nothing it leased is left unused."""
        admitted = refused = 0
        for _ in range(limit * 2):
            try:
                limiter.admit(key_id, limit)
                admitted += 1
            except errors.RateLimited:
                refused += 1
                if refused == slots:
                    break
        return admitted, refused

    # when they race within one second
    with patched_dynamodb() as seen, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(client, [instances[i % 2] for i in range(8)]))

    # then exactly the limit was admitted, never more, with few lease writes
    assert [refused for _, refused in results] == [slots] * 8
    assert sum(admitted for admitted, _ in results) == limit
    assert len(_lease_writes(seen, 0)) < limit / 5
