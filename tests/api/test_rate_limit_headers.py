"""The RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers-10)
on every answer to an API key or a player token, consistent with the 429s; and the
player tokens' own limits, per player and per campaign (issue 21, finding 3)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import ADMIN, assert_problem, header

ITEM = re.compile(r'^"(?P<name>[^"]+)"(?P<params>(;[a-z]+=\d+)*)$')


def parse(field: str | None) -> dict[str, dict[str, int]]:
    """A structured-field list of `"<name>";k=v;...` items, as a client reads it."""
    assert field, "no field"
    out = {}
    for item in (part.strip() for part in field.split(",")):
        match = ITEM.match(item)
        assert match, item
        params = dict(p.split("=") for p in match["params"].split(";")[1:])
        out[match["name"]] = {k: int(v) for k, v in params.items()}
    return out


def _key(api: Any, partner_id: str, rate_limit: int) -> str:
    r = api.call("POST", f"/v1/admin/partners/{partner_id}/api-keys",
                 {"rate_limit": rate_limit}, headers=ADMIN)
    assert r.status_code == 201, r.body
    return r.json_body["key"]


def _limits(monkeypatch: pytest.MonkeyPatch, player: int, campaign: int) -> None:
    from chalicelib.core import config

    monkeypatch.setenv("PLAYER_RATE_LIMIT", str(player))
    monkeypatch.setenv("CAMPAIGN_PLAY_RATE_LIMIT", str(campaign))
    config.reset()


# ------------------------------------------------------------------ API keys


def test_every_answer_to_an_api_key_says_its_policy_and_what_is_left(api, partner,
                                                                     stopped_clock):
    key = _key(api, partner["id"], 50)
    answers = [api.call("GET", "/v1/campaigns", key=key),  # 200
               api.call("GET", "/v1/campaigns/cmp_nothere", key=key),  # 404
               api.call("POST", "/v1/campaigns", {"name": ""}, key=key)]  # 422
    assert [a.status_code for a in answers] == [200, 404, 422]
    left = []
    for a in answers:
        assert parse(header(a, "RateLimit-Policy")) == {"default": {"q": 50, "w": 1}}
        state = parse(header(a, "RateLimit"))["default"]
        assert state["t"] == 1
        left.append(state["r"])
    assert left == [49, 48, 47]  # one client, one instance: exact


def test_the_429_carries_retry_after_and_the_same_fields(api, partner, stopped_clock):
    key = _key(api, partner["id"], 2)
    for _ in range(2):
        assert api.call("GET", "/v1/campaigns", key=key).status_code == 200
    refused = api.call("GET", "/v1/campaigns", key=key)
    body = assert_problem(refused, 429, "rate_limited")
    assert body["limit"] == 2 and body["policy"] == "default"
    assert header(refused, "Retry-After") == "1"
    assert parse(header(refused, "RateLimit")) == {"default": {"r": 0, "t": 1}}
    assert parse(header(refused, "RateLimit-Policy")) == {"default": {"q": 2, "w": 1}}


def test_a_key_lacking_the_scope_is_counted_and_told(api, stopped_clock):
    limited = api.partner("No hooks", scopes=["gifts:issue"])["key"]
    r = api.call("GET", "/v1/webhook-endpoints", key=limited)
    assert_problem(r, 403, "insufficient_scope")
    assert parse(header(r, "RateLimit"))["default"]["r"] >= 0


def test_no_fields_without_a_caller_to_count(api):
    assert header(api.call("GET", "/v1/health"), "RateLimit") is None
    unauthorized = api.call("GET", "/v1/campaigns", key="rk_nope")
    assert unauthorized.status_code == 401 and header(unauthorized, "RateLimit") is None


def polite_client(send: Callable[[], Any], sleep: Callable[[float], None], n: int
                  ) -> list[int]:
    """What a client library that reads RateLimit does: when nothing is left, it waits
    for the window to reset instead of meeting a 429."""
    statuses = []
    for _ in range(n):
        r = send()
        statuses.append(r.status_code)
        state = min(parse(header(r, "RateLimit")).values(), key=lambda s: s["r"])
        if state["r"] == 0:
            sleep(state["t"])
    return statuses


def test_a_client_that_reads_ratelimit_slows_down_before_a_429(api, partner, stopped_clock):
    key = _key(api, partner["id"], 5)
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # the service's clock moves; no real wait
        slept.append(seconds)
        stopped_clock.tick(seconds)

    statuses = polite_client(lambda: api.call("GET", "/v1/campaigns", key=key), sleep, 12)

    assert statuses == [200] * 12
    assert slept == [1, 1]  # after the 5th and the 10th
    # a client that does not read them meets the limit at the 6th request
    stopped_clock.tick(1)
    naive = [api.call("GET", "/v1/campaigns", key=key).status_code for _ in range(6)]
    assert naive == [200] * 5 + [429]


# ------------------------------------------------------------------ player tokens


def test_player_answers_carry_the_player_and_campaign_policies(api, partner, wheel_campaign,
                                                               stopped_clock, monkeypatch):
    _limits(monkeypatch, player=4, campaign=100)
    token = api.player_token(partner["key"], wheel_campaign["id"])
    ok = api.call("GET", "/v1/play/wheel", key=token)
    bad = api.call("POST", "/v1/play/spins", {}, key=token)  # no Idempotency-Key: 400
    assert (ok.status_code, bad.status_code) == (200, 400)
    for r, left in ((ok, (3, 99)), (bad, (2, 98))):
        assert parse(header(r, "RateLimit-Policy")) == {"player": {"q": 4, "w": 1},
                                                        "campaign": {"q": 100, "w": 1}}
        state = parse(header(r, "RateLimit"))
        assert (state["player"]["r"], state["campaign"]["r"]) == left


def test_a_player_over_its_limit_is_429_and_another_player_goes_on(
        api, partner, wheel_campaign, stopped_clock, monkeypatch):
    _limits(monkeypatch, player=3, campaign=100)
    token = api.player_token(partner["key"], wheel_campaign["id"], "zalo:1")
    answers = [api.call("GET", "/v1/play/wheel", key=token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    body = assert_problem(answers[3], 429, "rate_limited")
    assert body["policy"] == "player" and body["limit"] == 3
    assert header(answers[3], "Retry-After") == "1"
    assert parse(header(answers[3], "RateLimit"))["player"] == {"r": 0, "t": 1}

    other = api.player_token(partner["key"], wheel_campaign["id"], "zalo:2")
    assert api.call("GET", "/v1/play/wheel", key=other).status_code == 200
    stopped_clock.tick(1)
    assert api.call("GET", "/v1/play/wheel", key=token).status_code == 200


def test_a_campaigns_players_share_its_limit(api, partner, wheel_campaign, stopped_clock,
                                            monkeypatch):
    _limits(monkeypatch, player=10, campaign=3)
    tokens = [api.player_token(partner["key"], wheel_campaign["id"], f"p{i}")
              for i in range(4)]
    statuses = [api.call("GET", "/v1/play/wheel", key=t).status_code for t in tokens]
    assert statuses == [200, 200, 200, 429]
    refused = api.call("GET", "/v1/play/wheel", key=tokens[0])
    body = assert_problem(refused, 429, "rate_limited")
    assert body["policy"] == "campaign"
    state = parse(header(refused, "RateLimit"))
    assert state["campaign"]["r"] == 0 and state["player"]["r"] >= 0


def test_a_refused_spin_changes_nothing_and_its_retry_spins(api, partner, wheel_campaign,
                                                            stopped_clock, monkeypatch):
    _limits(monkeypatch, player=1, campaign=100)
    token = api.player_token(partner["key"], wheel_campaign["id"])
    assert api.call("GET", "/v1/play/wheel", key=token).status_code == 200
    idem = str(uuid.uuid4())
    assert_problem(api.spin(token, idem=idem), 429, "rate_limited")
    stopped_clock.tick(1)
    assert api.spin(token, idem=idem).status_code == 201
    assert api.report(partner["key"], wheel_campaign["id"])["spins"]["count"] == 1


def test_a_limit_of_zero_is_no_limit(api, partner, wheel_campaign, stopped_clock,
                                     monkeypatch):
    _limits(monkeypatch, player=0, campaign=0)
    token = api.player_token(partner["key"], wheel_campaign["id"])
    answers = [api.call("GET", "/v1/play/wheel", key=token) for _ in range(15)]
    assert {a.status_code for a in answers} == {200}
    assert header(answers[0], "RateLimit") is None


def test_a_players_limit_costs_a_spin_no_dynamodb_call(
        api, partner, wheel_campaign, stopped_clock, monkeypatch):
    """A player's limit is counted by the instance, with no DynamoDB call: a player
    is rarely warm, so a shared count would cost every spin a second call. The
    campaign's shared count is warm after its first lease."""
    from tests.helpers import patch_dynamodb

    _limits(monkeypatch, player=5, campaign=1000)
    first = api.player_token(partner["key"], wheel_campaign["id"], "zalo:warm-1")
    assert api.spin(first).status_code == 201  # the campaign's lease, the shards' refill
    token = api.player_token(partner["key"], wheel_campaign["id"], "zalo:warm-2")
    plan = patch_dynamodb(monkeypatch)
    assert api.spin(token).status_code == 201
    # nothing on the rate table: the player's count is the instance's, the campaign's
    # lease is warm (a win on a shard not yet refilled may add the refill's calls)
    # (the deny list's read may come first: it is remembered 30 s per player)
    assert [op for op, t in plan.every_call
            if t.endswith("rate-limits") and op != "BatchGetItem"] == []
    assert "TransactWriteItems" in dict(plan.every_call)
