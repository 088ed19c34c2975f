"""Fraud controls on the play endpoints through HTTP: velocity per player, device and
address, the partner's deny list, the cap on wins per device; a refusal writes nothing."""

from __future__ import annotations

import uuid

from chalicelib.store.models import GuardModel, PlayerModel, SpinModel
from tests.helpers import WHEEL, campaign_body
from tests.helpers.assertions import assert_problem, ok

ALWAYS_PRIZE = {
    "segments": [
        {"id": "prize", "label": "10.000d", "weight": 1, "prize": {"amount": 10_000}},
        {"id": "none", "label": "Next time", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
}


def limited(api, key: str, play_limits: dict, wheel: dict | None = None, **over) -> dict:
    return ok(api.call("POST", "/v1/campaigns", {
        **campaign_body(**over), "wheel": wheel or {**WHEEL, "limits": None},
        "play_limits": play_limits}, key=key), 201)


def play(api, token: str, device: str | None = None, body: dict | None = None):
    headers = {"Rewards-Device-Id": device} if device else {}
    return api.call("POST", "/v1/play/spins", body or {}, key=token, headers=headers,
                    idem=str(uuid.uuid4()))


def spins_of(campaign_id: str) -> list:
    return [s for s in SpinModel.scan() if s.campaign_id == campaign_id]


def test_the_campaign_shows_its_play_limits(api, partner):
    c = limited(api, partner["key"], {"per_device_per_minute": 10, "wins_per_device": 3})
    assert c["play_limits"] == {"per_player_per_minute": None, "per_device_per_minute": 10,
                                "per_address_per_minute": None, "wins_per_device": 3}
    got = ok(api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]))
    assert got["play_limits"]["wins_per_device"] == 3


def test_a_device_over_its_velocity_is_429_and_nothing_is_written(api, partner,
                                                                   stopped_clock):
    # the service's clock stands still: the minute cannot turn while the test runs
    # given a campaign allowing three plays a minute per device
    key = partner["key"]
    c = limited(api, key, {"per_device_per_minute": 3})
    # when one device plays as five different players
    tokens = [api.player_token(key, c["id"], f"bot-{i}") for i in range(5)]
    results = [play(api, t, "dev-1") for t in tokens]
    # then three plays pass and the others are refused, with Retry-After
    assert [r.status_code for r in results] == [201, 201, 201, 429, 429]
    problem = assert_problem(results[3], 429, "rate_limited")
    assert problem["reason"] == "velocity" and problem["limit"] == "device"
    assert 1 <= int(results[3].headers["Retry-After"]) <= 60
    # and the refused plays wrote nothing: no spin, no player counters, no budget
    assert len(spins_of(c["id"])) == 3
    for i in (3, 4):
        assert PlayerModel.count(f"{c['id']}#bot-{i}") == 0
    rep = api.report(key, c["id"])
    assert rep["spins"]["count"] == 3
    assert rep["plays_blocked"] == {"velocity": 2, "blocklist": 0, "wins_cap": 0}
    # while another device plays on
    assert play(api, tokens[4], "dev-2").status_code == 201


def test_a_player_over_its_velocity_is_429_until_the_next_minute(api, partner,
                                                                  stopped_clock):
    c = limited(api, partner["key"], {"per_player_per_minute": 2})
    token = api.player_token(partner["key"], c["id"])
    assert [play(api, token).status_code for _ in range(3)] == [201, 201, 429]
    stopped_clock.tick(60)
    assert play(api, token).status_code == 201


def test_an_address_over_its_velocity_is_429_and_no_address_is_stored(api, partner,
                                                                       stopped_clock):
    c = limited(api, partner["key"], {"per_address_per_minute": 2})
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(3)]
    statuses = [play(api, t, f"dev-{i}").status_code for i, t in enumerate(tokens)]
    assert statuses == [201, 201, 429]
    stored = [g.pk for g in GuardModel.scan() if c["id"] in g.pk]
    assert stored and all("127.0.0.1" not in pk for pk in stored)


def test_a_denied_player_or_device_gets_403_until_the_block_is_lifted(api, partner):
    key = partner["key"]
    c = limited(api, key, {})
    token = api.player_token(key, c["id"], "zalo:84900000001")
    path = f"/v1/campaigns/{c['id']}/blocklist"
    # a denied player
    r = api.call("PUT", f"{path}/zalo:84900000001", key=key)
    assert ok(r)["blocked"] is True
    problem = assert_problem(play(api, token), 403, "play_blocked")
    assert problem["reason"] == "blocklist"
    assert spins_of(c["id"]) == []
    from chalicelib.store.models import GuardModel  # the entry keeps no phone number

    assert not [g.pk for g in GuardModel.scan() if "84900000001" in str(g.serialize())]
    assert api.call("DELETE", f"{path}/zalo:84900000001", key=key).status_code == 204
    assert play(api, token).status_code == 201
    # a denied device, whoever plays on it
    ok(api.call("PUT", f"{path}/device:dev-9", key=key))
    other = api.player_token(key, c["id"], "p-2")
    assert_problem(play(api, other, "dev-9"), 403, "play_blocked")
    assert play(api, other, "dev-8").status_code == 201
    rep = api.report(key, c["id"])
    assert rep["plays_blocked"]["blocklist"] == 2 and rep["spins"]["count"] == 2


def test_the_blocklist_is_the_partners_own(api, partner):
    c = limited(api, partner["key"], {})
    stranger = api.partner("Other")
    assert_problem(api.call("PUT", f"/v1/campaigns/{c['id']}/blocklist/p-1",
                            key=stranger["key"]), 404, "not_found")


def test_wins_per_device_are_capped_and_the_next_play_is_403(api, partner):
    # given every draw wins, and a device may win twice
    key = partner["key"]
    c = limited(api, key, {"wins_per_device": 2}, wheel=ALWAYS_PRIZE)
    tokens = [api.player_token(key, c["id"], f"p-{i}") for i in range(4)]
    # when one device plays as four players
    results = [play(api, t, "dev-1") for t in tokens]
    # then it wins twice, and is refused from then on
    assert [r.status_code for r in results] == [201, 201, 403, 403]
    assert assert_problem(results[2], 403, "play_blocked")["reason"] == "wins_cap"
    rep = api.report(key, c["id"])
    assert rep["spins"]["wins"] == 2 and rep["budget"]["spent"] == 20_000
    assert rep["plays_blocked"]["wins_cap"] == 2
    # another device still wins
    assert play(api, tokens[3], "dev-2").json_body["fallback"] is False


def test_a_refused_play_can_be_retried_with_its_key_once_allowed(api, partner):
    key = partner["key"]
    c = limited(api, key, {})
    token = api.player_token(key, c["id"], "p-1")
    ok(api.call("PUT", f"/v1/campaigns/{c['id']}/blocklist/p-1", key=key))
    idem = str(uuid.uuid4())
    r = api.call("POST", "/v1/play/spins", {}, key=token, idem=idem)
    assert_problem(r, 403, "play_blocked")
    api.call("DELETE", f"/v1/campaigns/{c['id']}/blocklist/p-1", key=key)
    assert api.call("POST", "/v1/play/spins", {}, key=token, idem=idem).status_code == 201


def test_a_play_under_every_limit_costs_no_extra_round_trip_once_warm(api, partner,
                                                                      monkeypatch,
                                                                      stopped_clock):
    # given a campaign with every control, and a player who has played once
    from tests.helpers.dynamo import patch_dynamodb
    key = partner["key"]
    # (a losing wheel: a win may refill a shard, a call that is the budget's, not ours)
    losing = {"segments": [{"id": "none", "label": "Next time", "weight": 1}],
              "fallback_segment_id": "none"}
    c = limited(api, key, {"per_player_per_minute": 10, "per_device_per_minute": 10,
                           "per_address_per_minute": 10, "wins_per_device": 5}, wheel=losing)
    token = api.player_token(key, c["id"], "p-1")
    patch = patch_dynamodb(monkeypatch)
    assert play(api, token, "dev-1").status_code == 201
    first = list(patch.calls)
    patch.calls.clear()
    # when the player plays again from the same Lambda
    assert play(api, token, "dev-1").status_code == 201
    # then the deny list is read once (one BatchGetItem, then remembered), and the
    # guards ride in the play's one transaction: no call of their own
    assert first.count("BatchGetItem") == 1 and first.count("TransactWriteItems") == 1
    assert patch.calls.count("TransactWriteItems") == 1
    assert "BatchGetItem" not in patch.calls and "UpdateItem" not in patch.calls
