"""Idempotency keys, the rule every money-moving route shares (`chalicelib.idempotency`):
the key's syntax, replays of the first answer, a key reused for another request,
whose key it is, outcomes remembered, and retries around crashes and races."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from pynamodb.exceptions import PutError

from chalicelib import schemas
from chalicelib.core import clock, config, errors
from chalicelib.store import idempotency
from tests.helpers import (
    WHEEL,
    assert_problem,
    campaign_body,
    fields,
    header,
    items_of,
    stored_gifts,
)


def _gift_count(campaign_id: str) -> int:
    return len(stored_gifts(campaign_id=campaign_id))


# ---------------------------------------------------------------------- the key


@pytest.mark.parametrize("key", ["x" * 256, "clé-été", "tab\there", "nul\x00", "emoji-🎁"])
def test_invalid_idempotency_key_is_400(api, partner, key):
    c = api.campaign(partner["key"])

    r = api.top_up(partner["key"], c["id"], 5, idem=key)

    assert r.status_code == 400, r.body
    assert json.loads(r.body)["code"] in ("invalid_idempotency_key", "bad_request")
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_000_000


def test_idempotency_key_of_255_characters_is_accepted(api, partner):
    c = api.campaign(partner["key"])

    r = api.top_up(partner["key"], c["id"], 5, idem="k" * 255)

    assert r.status_code == 201


# ---------------------------------------------------------------------- replays


def test_issue_replay_returns_the_identical_body_and_debits_once(api, partner):
    c = api.campaign(partner["key"], budget=100_000)
    first = api.issue(partner["key"], c["id"], 30_000, idem="order-1")
    again = api.issue(partner["key"], c["id"], 30_000, idem="order-1")
    assert again.status_code == 201 and again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"] == {"total": 100_000, "spent": 30_000, "remaining": 70_000}
    assert _gift_count(c["id"]) == 1


def test_create_campaign_retry_with_the_same_key_replays_and_makes_one(api, partner):
    # given
    body = campaign_body()
    first = api.call("POST", "/v1/campaigns", body, key=partner["key"], idem="launch-1")

    # when the partner retries after a timeout, then reuses the key for another body
    retry = api.call("POST", "/v1/campaigns", body, key=partner["key"], idem="launch-1")
    other = api.call("POST", "/v1/campaigns", campaign_body(name="Other"), key=partner["key"],
                     idem="launch-1")

    # then
    assert first.status_code == retry.status_code == 201
    assert retry.body == first.body and header(retry, "Idempotent-Replayed") == "true"
    assert_problem(other, 422, "idempotency_key_reused")
    listed = api.call("GET", "/v1/campaigns", key=partner["key"]).json_body["data"]
    assert [c["id"] for c in listed] == [first.json_body["id"]]


def test_top_up_retry_replays_the_first_answer_and_raises_once(api, partner):
    # given
    c = api.campaign(partner["key"], budget=1_000_000)
    first = api.top_up(partner["key"], c["id"], 500_000, idem="retry-me")

    # when the same request is sent again
    second = api.top_up(partner["key"], c["id"], 500_000, idem="retry-me")

    # then
    assert first.status_code == second.status_code == 201
    assert second.body == first.body
    assert header(second, "Idempotent-Replayed") == "true"
    assert header(first, "Idempotent-Replayed") is None
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_500_000


def test_batch_replay_returns_the_identical_body(api, partner):
    c = api.campaign(partner["key"])
    first = api.post_batch(partner["key"], c["id"], items_of(5), idem="batch-1")
    again = api.post_batch(partner["key"], c["id"], items_of(5), idem="batch-1")
    assert again.status_code == first.status_code == 201
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.budget(partner["key"], c["id"])["spent"] == 5_000
    other = api.post_batch(partner["key"], c["id"], items_of(6), idem="batch-1")
    assert other.status_code == 422 and other.json_body["code"] == "idempotency_key_reused"


def test_spin_replay_returns_the_identical_body_and_spins_once(api, partner):
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"])
    first = api.spin(token, {"client_seed": "abc"}, idem="spin-1")
    again = api.spin(token, {"client_seed": "abc"}, idem="spin-1")
    assert first.status_code == again.status_code == 201
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.report(partner["key"], c["id"])["spins"]["count"] == 1
    other = api.spin(token, {"client_seed": "xyz"}, idem="spin-1")
    assert other.status_code == 422 and other.json_body["code"] == "idempotency_key_reused"


def test_top_up_replay_ignores_json_key_order_and_whitespace(api, partner):
    c = api.campaign(partner["key"], budget=1_000_000)
    path = f"/v1/campaigns/{c['id']}/budget-topups"
    api.call("POST", path, raw='{"amount": 7}', key=partner["key"], idem="same")

    again = api.call("POST", path, raw='{ "amount" :7 }\n', key=partner["key"], idem="same")

    assert again.status_code == 201
    assert header(again, "Idempotent-Replayed") == "true"
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_000_007


def test_a_key_replays_until_its_ttl_and_is_a_new_request_after(api, partner, stopped_clock):
    # given a gift issued with a key, and the time a key is kept (the clock stands
    # still meanwhile: however slow the machine, "a minute before" is a minute before)
    c = api.campaign(partner["key"], budget=100_000)
    kept = timedelta(hours=config.settings().idempotency_ttl_hours)
    issued = stopped_clock()
    first = api.issue(partner["key"], c["id"], 10_000, idem="monthly-1")

    # when the same request comes a minute before the key expires, then a second after
    stopped_clock.at = issued + kept - timedelta(minutes=1)
    within = api.issue(partner["key"], c["id"], 10_000, idem="monthly-1")
    stopped_clock.at = issued + kept + timedelta(seconds=1)
    after = api.issue(partner["key"], c["id"], 10_000, idem="monthly-1")

    # then the first is a replay, the second a new gift
    assert within.body == first.body and header(within, "Idempotent-Replayed") == "true"
    assert after.status_code == 201, after.body
    assert header(after, "Idempotent-Replayed") is None
    assert after.json_body["id"] != first.json_body["id"]
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["spent"] == 20_000


# --------------------------------------------- a key reused for another request


def test_same_key_with_another_body_is_422_idempotency_key_reused(api, partner):
    c = api.campaign(partner["key"])
    api.issue(partner["key"], c["id"], 30_000, idem="order-1")
    r = api.issue(partner["key"], c["id"], 31_000, idem="order-1")
    assert r.status_code == 422 and r.json_body["code"] == "idempotency_key_reused"


def test_top_up_key_reused_with_a_different_body_is_422(api, partner):
    c = api.campaign(partner["key"], budget=1_000_000)
    api.top_up(partner["key"], c["id"], 500_000, idem="once")

    r = api.top_up(partner["key"], c["id"], 900_000, idem="once")

    assert_problem(r, 422, "idempotency_key_reused")
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_500_000


def test_same_idempotency_key_on_another_campaign_is_reused_key(api, partner):
    a = api.campaign(partner["key"])
    b = api.campaign(partner["key"])
    api.top_up(partner["key"], a["id"], 10, idem="k")

    r = api.top_up(partner["key"], b["id"], 10, idem="k")

    assert_problem(r, 422, "idempotency_key_reused")


# -------------------------------------------------------------------- whose key


def test_other_partners_idempotency_key_never_replays_their_answer(api, two_partners):
    # given A topped up with a key
    a, b, campaign, _ = two_partners
    api.top_up(a["key"], campaign["id"], 1_000, idem="shared-key")

    # when B sends the very same request with the same key
    r = api.top_up(b["key"], campaign["id"], 1_000, idem="shared-key")

    # then B does not receive A's campaign
    assert_problem(r, 404, "not_found")
    assert header(r, "Idempotent-Replayed") is None


def test_idempotency_keys_are_scoped_to_the_player(api, partner):
    c = api.wheel_campaign(partner["key"])
    a = api.player_token(partner["key"], c["id"], "a")
    b = api.player_token(partner["key"], c["id"], "b")
    ra, rb = api.spin(a, idem="same"), api.spin(b, idem="same")
    assert ra.status_code == rb.status_code == 201
    assert ra.json_body["id"] != rb.json_body["id"]
    assert "Idempotent-Replayed" not in rb.headers


# ---------------------------------------------------------- outcomes remembered


def test_a_429_is_replayed_for_its_key(api, partner):
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {"spins_per_player": 1}})
    token = api.player_token(partner["key"], c["id"])
    assert api.spin(token).status_code == 201
    first = api.spin(token, idem="late")
    again = api.spin(token, idem="late")
    assert first.status_code == again.status_code == 429
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_top_up_to_the_cap_replays_its_201_though_a_new_one_would_be_refused(api, partner):
    # given: a top-up that takes the budget exactly to the cap
    c = api.campaign(partner["key"], budget=1_000_000)
    first = api.top_up(partner["key"], c["id"], schemas.MAX_BUDGET - 1_000_000, idem="cap")
    assert first.status_code == 201, first.body

    # when
    retry = api.top_up(partner["key"], c["id"], schemas.MAX_BUDGET - 1_000_000, idem="cap")
    fresh = api.top_up(partner["key"], c["id"], 1, idem="over-cap")

    # then
    assert retry.status_code == 201 and retry.body == first.body
    assert header(retry, "Idempotent-Replayed") == "true"
    assert fields(assert_problem(fresh, 422, "validation_error")) == ["amount"]
    assert api.budget(partner["key"], c["id"])["total"] == schemas.MAX_BUDGET


def test_outcome_that_cannot_be_stored_for_retries_is_503_not_final(api, partner,
                                                                    monkeypatch):
    # given a refusal (budget exhausted) whose idempotency record cannot be written
    c = api.campaign(partner["key"], budget=10_000)

    def storage_down(*args, **kwargs):
        raise PutError("injected: DynamoDB unavailable")
    monkeypatch.setattr(idempotency, "remember", storage_down)

    # when
    r = api.issue(partner["key"], c["id"], amount=50_000, idem="k-503")

    # then the client is told to retry, and the retry gets the real, remembered answer
    assert_problem(r, 503, "service_unavailable")
    monkeypatch.undo()
    assert_problem(api.issue(partner["key"], c["id"], amount=50_000, idem="k-503"), 409,
                   "budget_exhausted")
    replay = api.issue(partner["key"], c["id"], amount=50_000, idem="k-503")
    assert header(replay, "Idempotent-Replayed") == "true"


# ------------------------------------------------------------ races and crashes


def test_same_idempotency_key_sent_concurrently_has_exactly_one_effect(api, partner):
    c = api.campaign(partner["key"], budget=1_000_000)
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda _: api.issue(partner["key"], c["id"], 10_000,
                                                    idem="same-key"), range(12)))
    assert {r.status_code for r in results} == {201}
    assert len({r.body for r in results}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") != "true" for r in results) == 1
    assert _gift_count(c["id"]) == 1
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"]["spent"] == 10_000


def test_crash_before_the_write_leaves_nothing_and_a_retry_succeeds(api, partner, monkeypatch):
    from pynamodb.transactions import TransactWrite

    c = api.campaign(partner["key"], budget=50_000)
    original = TransactWrite._commit

    def crash(self):
        raise RuntimeError("injected: Lambda killed before the write")

    monkeypatch.setattr(TransactWrite, "_commit", crash)
    r = api.issue(partner["key"], c["id"], 20_000, idem="k1")
    assert r.status_code == 500 and r.json_body["code"] == "internal_error"
    assert "Traceback" not in r.body.decode()
    assert _gift_count(c["id"]) == 0
    monkeypatch.setattr(TransactWrite, "_commit", original)
    retry = api.issue(partner["key"], c["id"], 20_000, idem="k1")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert _gift_count(c["id"]) == 1


def test_crash_after_the_write_is_answered_by_replay_not_a_second_gift(api, partner,
                                                                       monkeypatch):
    from chalicelib.money import gifts

    c = api.campaign(partner["key"], budget=50_000)

    def crash(gift):
        raise RuntimeError("injected: Lambda killed after the write, before answering")

    monkeypatch.setattr(gifts, "remember", crash)
    r = api.issue(partner["key"], c["id"], 20_000, idem="k1")
    assert r.status_code == 500
    monkeypatch.undo()
    retry = api.issue(partner["key"], c["id"], 20_000, idem="k1")
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert _gift_count(c["id"]) == 1
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"]["spent"] == 20_000


# -------------------------------- multi-step effects (begin, complete, release)


def _claim(key: str, body: bytes = b'{"items": 1}') -> idempotency.Claim:
    return idempotency.claim(key, "ptn_protocol", "POST",
                             "/v1/campaigns/{campaign_id}/gift-batches",
                             {"campaign_id": "cmp_protocol"}, body, "application/json",
                             clock.now())


def test_a_running_claim_answers_a_duplicate_409_in_progress_with_retry_after(aws):
    # given a request that has begun its multi-step effect
    running = _claim("running")
    idempotency.begin(running)

    # when a duplicate (same key, same request) begins too
    with pytest.raises(errors.IdempotencyInProgress) as raised:
        idempotency.begin(_claim("running"))

    # then it is told to come back, and the request that began goes on (a put of its
    # own whose answer was lost and was sent again is not a duplicate)
    assert (raised.value.status, raised.value.code) == (409, "idempotency_in_progress")
    assert raised.value.headers == {"Retry-After": "1"}
    idempotency.begin(running)
    idempotency.release(running)


def test_a_released_claim_frees_the_key_and_a_completed_one_replays(aws):
    # given a claim released after its effect failed before writing anything
    failed = _claim("released")
    idempotency.begin(failed)
    idempotency.release(failed)

    # when the retry begins and completes
    retry = _claim("released")
    idempotency.begin(retry)
    idempotency.complete(retry, 201, '{"id": "bat_1"}')

    # then a later duplicate gets the stored answer, and another body gets 422
    with pytest.raises(idempotency.Replay) as replay:
        idempotency.begin(_claim("released"))
    assert (replay.value.status, replay.value.body) == (201, '{"id": "bat_1"}')
    with pytest.raises(errors.IdempotencyKeyReused):
        idempotency.begin(_claim("released", b'{"items": 2}'))
