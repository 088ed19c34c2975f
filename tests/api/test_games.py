"""Scratch cards and lucky envelopes through the HTTP surface: the same engine as the
wheel (budget, fairness record, verifier), and the envelope's pick as a draw input."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.core import fair_draw
from devtools import verify_fairness
from tests.helpers import WHEEL, campaign_body
from tests.helpers.assertions import assert_problem, ok
from tests.helpers.client import until_final

# Every play draws the prize: a budget of ten prizes pays exactly ten, never eleven.
ALWAYS_PRIZE = {
    "segments": [
        {"id": "prize", "label": "10.000d", "weight": 1, "prize": {"amount": 10_000}},
        {"id": "none", "label": "Next time", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
}


def fetcher(api, key: str):
    def fetch(path: str) -> dict:
        return ok(api.call("GET", path, key=key))
    return fetch


def game_campaign(api, key: str, game: dict, wheel: dict | None = None, **overrides) -> dict:
    return ok(api.call("POST", "/v1/campaigns", {
        **campaign_body(**overrides),
        "wheel": wheel or WHEEL, "game": game}, key=key), 201)


def play(api, token: str, body: dict | None = None):
    idem = uuid.uuid4().hex
    return until_final(lambda: api.spin(token, body, idem=idem))


def test_a_campaign_without_a_game_is_a_wheel_and_says_so(api, partner):
    c = api.wheel_campaign(partner["key"])
    assert c["game"] == {"kind": "wheel", "envelopes": None}
    view = ok(api.call("GET", "/v1/play/wheel",
                       key=api.player_token(partner["key"], c["id"])))
    assert view["game"]["kind"] == "wheel"
    s = ok(api.spin(api.player_token(partner["key"], c["id"], "p-2")), 201)
    assert "pick" not in s


def test_an_envelope_game_defaults_to_six_envelopes_and_the_view_shows_them(api, partner):
    c = game_campaign(api, partner["key"], {"kind": "envelope"})
    assert c["game"] == {"kind": "envelope", "envelopes": 6}
    token = api.player_token(partner["key"], c["id"])
    view = ok(api.call("GET", "/v1/play/wheel", key=token))
    assert view["game"] == {"kind": "envelope", "envelopes": 6}
    assert [s["id"] for s in view["segments"]] == ["big", "small", "none"]


@pytest.mark.parametrize("game, field", [
    ({"kind": "scratch", "envelopes": 4}, "game.envelopes"),
    ({"kind": "envelope", "envelopes": 13}, "game.envelopes"),
    ({"kind": "dice"}, "game.kind"),
])
def test_a_bad_game_is_422(api, partner, game, field):
    r = api.call("POST", "/v1/campaigns", {**campaign_body(), "wheel": WHEEL, "game": game},
                 key=partner["key"])
    problem = assert_problem(r, 422, "validation_error")
    assert field in [e["field"] for e in problem["errors"]], problem


def test_a_game_without_segments_is_422(api, partner):
    r = api.call("POST", "/v1/campaigns", {**campaign_body(), "game": {"kind": "scratch"}},
                 key=partner["key"])
    assert_problem(r, 422, "validation_error")


@pytest.mark.parametrize("body", [{}, {"pick": 6}, {"pick": -1}, {"pick": "1"}])
def test_an_envelope_play_without_a_valid_pick_is_422_and_changes_nothing(api, partner, body):
    c = game_campaign(api, partner["key"], {"kind": "envelope", "envelopes": 6})
    token = api.player_token(partner["key"], c["id"])
    assert_problem(api.spin(token, body), 422, "validation_error")
    assert api.report(partner["key"], c["id"])["spins"]["count"] == 0
    view = ok(api.call("GET", "/v1/play/wheel", key=token))
    assert view["spins_left"] == 10


def test_a_pick_on_a_wheel_or_scratch_game_is_422(api, partner):
    for game in ({"kind": "wheel"}, {"kind": "scratch"}):
        c = game_campaign(api, partner["key"], game)
        token = api.player_token(partner["key"], c["id"])
        assert_problem(api.spin(token, {"pick": 0}), 422, "validation_error")


def test_the_envelope_pick_is_a_draw_input_recorded_with_the_spin(api, partner):
    # given two players of one envelope game with the same seed: only the pick differs
    c = game_campaign(api, partner["key"], {"kind": "envelope", "envelopes": 12},
                      wheel={**WHEEL, "limits": None})
    picks = list(range(12))
    results = []
    for pick in picks:
        token = api.player_token(partner["key"], c["id"], f"p-{pick}")
        results.append(ok(play(api, token, {"pick": pick, "client_seed": "tet"}), 201))
    # then each spin carries its pick, in the answer and in its client seed
    for pick, s in zip(picks, results, strict=True):
        assert s["pick"] == pick
        assert s["fairness"]["client_seed"] == f"{len(f'p-{pick}')}:p-{pick}:pick={pick}:tet"
        assert fair_draw.pick_of(s["fairness"]["client_seed"]) == pick
    # and the same player, seed and nonce draw differently for different picks
    fair = ok(api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "ended"},
                       key=partner["key"]))
    assert fair["status"] == "ended"
    seed = ok(api.call("GET", f"/v1/campaigns/{c['id']}/fairness"))["server_seed"]
    rolls = {fair_draw.roll(seed, fair_draw.client_seed_for("p-0", "tet", k), 0, 100)
             for k in range(12)}
    assert len(rolls) > 1
    # and the draw log lists the pick
    listed = {s["id"]: s for s in api.pages(f"/v1/campaigns/{c['id']}/spins",
                                           key=partner["key"])}
    assert {listed[s["id"]]["pick"] for s in results} == set(picks)


@pytest.mark.slow
def test_the_verifier_passes_for_each_kind_and_catches_a_changed_pick(api, partner):
    key = partner["key"]
    for game in ({"kind": "wheel"}, {"kind": "scratch"}, {"kind": "envelope", "envelopes": 3}):
        c = game_campaign(api, key, game, wheel={**WHEEL, "limits": None})
        for i in range(3):
            token = api.player_token(key, c["id"], f"p-{i}")
            for n in range(3):
                body = {"pick": (i + n) % 3} if game["kind"] == "envelope" else {}
                assert play(api, token, body).status_code == 201
        ok(api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "ended"}, key=key))
        fetch = fetcher(api, key)
        result = verify_fairness.verify_campaign(fetch, c["id"])
        assert result.ok and result.spins == 9, (game, result.problems)
        if game["kind"] != "envelope":
            continue

        def moved(path: str) -> dict:
            body = fetch(path)
            if "/spins" in path and body["data"]:
                body["data"][0]["pick"] = (body["data"][0]["pick"] + 1) % 3
            return body

        bad = verify_fairness.verify_campaign(moved, c["id"])
        assert any("pick mismatch" in p for p in bad.problems), bad.problems


@pytest.mark.parametrize("game", [{"kind": "scratch"}, {"kind": "envelope", "envelopes": 4}])
@pytest.mark.slow
def test_forty_racing_players_of_a_game_are_paid_exactly_its_budget(api, partner, game):
    # given a budget of ten prizes and forty players whose every draw is the prize
    key = partner["key"]
    c = game_campaign(api, key, game, wheel=ALWAYS_PRIZE, budget=100_000)
    tokens = [api.player_token(key, c["id"], f"p-{i}") for i in range(40)]
    body = {"pick": 1} if game["kind"] == "envelope" else {}
    # when they all play at once
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda t: play(api, t, body), tokens))
    # then ten win, thirty fall back, and the budget is spent to the last dong
    assert {r.status_code for r in results} == {201}, [r.body for r in results
                                                        if r.status_code != 201][:3]
    winners = [r.json_body for r in results if not r.json_body["fallback"]]
    assert len(winners) == 10
    rep = api.report(key, c["id"])
    assert rep["budget"] == {"total": 100_000, "spent": 100_000, "remaining": 0}
    assert rep["spins"]["count"] == 40 and rep["spins"]["wins"] == 10
    assert rep["gifts"]["issued"] == {"count": 10, "amount": 100_000}
