"""Each API key has its own rate limit: one partner cannot take a stage's quota."""

from __future__ import annotations

from tests.helpers import ADMIN, assert_problem, header


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


