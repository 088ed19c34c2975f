"""Spin-the-wheel through the HTTP surface: limits, budget, inventory,
the player's gifts, reports and the fairness verifier."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from chalicelib.core import fair_draw
from chalicelib.play import spins
from devtools import verify_fairness
from tests.helpers import WHEEL, campaign_body


def fetcher(api, key: str):
    def fetch(path: str) -> dict:
        r = api.call("GET", path, key=key)
        assert r.status_code == 200, r.body
        return r.json_body
    return fetch


# ------------------------------------------------------------------ basics


def test_spin_returns_a_recorded_fair_draw_and_counts_it(api, partner):
    # given a wheel campaign and a player
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"], "p-1")
    # when the player spins
    r = api.spin(token)
    # then the spin is the documented draw of (server seed, player id, nonce 0)
    assert r.status_code == 201, r.body
    s = r.json_body
    assert s["id"].startswith("spn_") and s["fairness"]["nonce"] == 0
    assert s["fairness"]["client_seed"] == "3:p-1:"
    assert s["fairness"]["server_seed_commitment"] == c["fairness"]["seed_commitment"]
    assert s["fairness"]["total_weight"] == 100
    assert s["drawn_segment_id"] in {"big", "small", "none"}
    assert (s["gift"] is None) == (s["prize"] is None)
    if s["gift"]:
        assert s["gift"]["amount"] == s["prize"]["amount"]
    rep = api.report(partner["key"], c["id"])
    assert rep["spins"]["count"] == 1
    assert rep["spins"]["wins"] == (1 if s["prize"] else 0)
    assert {b["segment_id"]: b["count"] for b in rep["spins"]["by_segment"]}[s["segment_id"]] == 1


def test_wheel_view_shows_odds_spins_left_and_commitment(api, partner):
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"])
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert view["campaign_id"] == c["id"]
    assert [(s["id"], s["probability"]) for s in view["segments"]] == [
        ("big", 0.01), ("small", 0.2), ("none", 0.79)]
    assert (view["spins_left"], view["spins_left_today"]) == (10, 3)
    assert view["fairness"] == {"seed_commitment": c["fairness"]["seed_commitment"]}
    assert api.spin(token).status_code == 201
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert (view["spins_left"], view["spins_left_today"]) == (9, 2)


def test_wheel_view_says_the_campaign_is_paused_then_ended_with_no_spins_left(api, partner):
    key = partner["key"]
    c = api.wheel_campaign(key)
    token = api.player_token(key, c["id"])
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert (view["status"], view["ends_at"]) == ("active", c["ends_at"])

    def patched(status: str) -> dict:
        r = api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": status}, key=key)
        assert r.status_code == 200, r.body
        return api.call("GET", "/v1/play/wheel", key=token).json_body

    paused = patched("paused")
    assert paused["status"] == "paused" and paused["spins_left"] == 10  # may resume
    ended = patched("ended")  # the token was minted before: it still reads the wheel
    assert ended["status"] == "ended"
    assert (ended["spins_left"], ended["spins_left_today"]) == (0, 0)


def test_wheel_view_of_a_campaign_past_its_end_says_ended(api, partner, later):
    soon = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": None}, ends_at=soon)
    token = api.player_token(partner["key"], c["id"])
    later(timedelta(minutes=10))  # past the end, within the token's hour
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert (view["status"], view["spins_left"], view["spins_left_today"]) == ("ended", 0, 0)


def test_a_segment_may_carry_a_label_per_language_and_a_wheel_without_reads_as_before(
        api, partner):
    key = partner["key"]
    labelled = {**WHEEL, "segments": [
        {**WHEEL["segments"][0], "labels": {"vi": "Voucher 100.000đ", "en": "100,000đ voucher"}},
        WHEEL["segments"][1],
        {**WHEEL["segments"][2], "labels": {"vi": "Chúc may mắn lần sau",
                                            "en": "Better luck next time"}}]}
    c = api.wheel_campaign(key, labelled)
    assert c["wheel"]["segments"][2]["labels"]["en"] == "Better luck next time"
    assert "labels" not in c["wheel"]["segments"][1]  # omitted, not null
    view = api.call("GET", "/v1/play/wheel", key=api.player_token(key, c["id"])).json_body
    by = {s["id"]: s for s in view["segments"]}
    assert by["none"]["labels"] == {"vi": "Chúc may mắn lần sau", "en": "Better luck next time"}
    assert by["none"]["label"] == WHEEL["segments"][2]["label"] and "labels" not in by["small"]
    plain = api.wheel_campaign(key)
    assert all("labels" not in s for s in plain["wheel"]["segments"])
    bad = {**WHEEL, "segments": [{**WHEEL["segments"][0], "labels": {"vie": "x"}},
                                 *WHEEL["segments"][1:]]}
    r = api.call("POST", "/v1/campaigns", campaign_body(wheel=bad), key=key)
    assert r.status_code == 422 and "wheel.segments[0].labels" in r.body.decode()


def test_unlimited_wheel_shows_null_spins_left(api, partner):
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": None})
    token = api.player_token(partner["key"], c["id"])
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert view["spins_left"] is None and view["spins_left_today"] is None


def test_custom_client_seed_is_bound_to_the_player(api, partner):
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"], "p-1")
    s = api.spin(token, {"client_seed": "lucky 7"}).json_body
    assert s["fairness"]["client_seed"] == "3:p-1:lucky 7"
    bad = api.spin(token, {"client_seed": "x" * 65})
    assert bad.status_code == 422 and bad.json_body["code"] == "validation_error"


def test_spin_without_idempotency_key_is_400(api, partner):
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"])
    r = api.call("POST", "/v1/play/spins", {}, key=token)
    assert r.status_code == 400 and r.json_body["code"] == "idempotency_key_required"


def test_paused_campaign_is_409_campaign_not_active(api, partner):
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"])
    api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "paused"}, key=partner["key"])
    r = api.spin(token)
    assert r.status_code == 409 and r.json_body["code"] == "campaign_not_active"
    assert api.report(partner["key"], c["id"])["spins"]["count"] == 0


def test_play_routes_answer_cors_preflight(api, partner):
    # Chalice's test client cannot read a body-less preflight; ask its gateway directly
    r = api.client.http._local_gateway.handle_request(
        method="OPTIONS", path="/v1/play/spins", body=b"",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "POST"})
    assert r["statusCode"] == 200
    assert r["headers"]["Access-Control-Allow-Origin"] == "*"
    assert "Idempotency-Key" in r["headers"]["Access-Control-Allow-Headers"]


# ------------------------------------------------------------------ limits


def test_twelve_racing_spins_with_a_limit_of_five_give_five_201_and_seven_429(api, partner):
    # given a player allowed five spins
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {"spins_per_player": 5}})
    token = api.player_token(partner["key"], c["id"])
    # when twelve spins race, each with its own key
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda _: api.spin(token), range(12)))
    # then exactly five spins happen, with the nonces 0..4
    statuses = [r.status_code for r in results]
    assert statuses.count(201) == 5 and statuses.count(429) == 7, statuses
    assert all(r.json_body["code"] == "spin_limit_reached" for r in results
               if r.status_code == 429)
    assert sorted(r.json_body["fairness"]["nonce"] for r in results
                  if r.status_code == 201) == [0, 1, 2, 3, 4]
    assert api.report(partner["key"], c["id"])["spins"]["count"] == 5


def test_daily_limit_is_429_with_retry_after_until_local_midnight(api, partner,
                                                                   stopped_clock):
    # the service's clock stands still: the day cannot turn while the test runs
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {
        "spins_per_player_per_day": 2}}, timezone="Asia/Ho_Chi_Minh")
    token = api.player_token(partner["key"], c["id"])
    assert [api.spin(token).status_code for _ in range(2)] == [201, 201]
    r = api.spin(token)
    assert r.status_code == 429 and r.json_body["code"] == "spin_limit_reached"
    assert r.json_body["limit"] == "daily"
    wait = int(r.headers["Retry-After"])
    expected = fair_draw.seconds_until_next_day(stopped_clock.at, "Asia/Ho_Chi_Minh")
    assert 1 <= wait <= 86_400 and abs(wait - expected) <= 5
    # the next local day brings new spins
    stopped_clock.tick(wait + 1)
    assert api.call("GET", "/v1/play/wheel", key=token).json_body["spins_left_today"] == 2
    assert api.spin(token).status_code == 201


def test_a_spin_stamped_before_midnight_that_commits_after_cannot_reopen_the_day(
        api, partner, stopped_clock):
    # given a limit of one spin a day, used just after local midnight (the service's
    # clock is set to each moment, so a slow machine cannot move it past one)
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {
        "spins_per_player_per_day": 1}}, timezone="Asia/Ho_Chi_Minh")
    token = api.player_token(partner["key"], c["id"])
    start = stopped_clock.at
    wait = fair_draw.seconds_until_next_day(start, "Asia/Ho_Chi_Minh")
    stopped_clock.at = start + timedelta(seconds=wait + 2)
    assert api.spin(token).status_code == 201

    # when a request stamped a few seconds before midnight arrives late
    stopped_clock.at = start + timedelta(seconds=wait - 3)
    late = api.spin(token)

    # then it counts in the new day, which has no spin left, and the day stays used
    assert late.status_code == 429 and late.json_body["limit"] == "daily"
    stopped_clock.at = start + timedelta(seconds=wait + 4)
    assert api.spin(token).status_code == 429
    assert api.report(partner["key"], c["id"])["spins"]["count"] == 1


def test_lifetime_limit_is_429_without_retry_after(api, partner):
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {"spins_per_player": 1}})
    token = api.player_token(partner["key"], c["id"])
    assert api.spin(token).status_code == 201
    r = api.spin(token)
    assert r.status_code == 429 and "Retry-After" not in r.headers
    assert r.json_body["limit"] == "lifetime"


def test_spin_answer_says_how_many_spins_are_left(api, partner):
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {
        "spins_per_player": 5, "spins_per_player_per_day": 2}})
    token = api.player_token(partner["key"], c["id"])
    first, second = api.spin(token).json_body, api.spin(token).json_body
    assert (first["spins_left"], first["spins_left_today"]) == (4, 1)
    assert (second["spins_left"], second["spins_left_today"]) == (3, 0)
    view = api.call("GET", "/v1/play/wheel", key=token).json_body
    assert (view["spins_left"], view["spins_left_today"]) == (3, 0)


def test_another_instance_with_a_stale_counter_still_respects_the_limit(api, partner):
    # given a player who spun once, and a process that forgot the counter
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": {"spins_per_player": 2}})
    token = api.player_token(partner["key"], c["id"])
    assert api.spin(token).status_code == 201
    spins._players.put(f"{c['id']}#zalo:84901234567", spins.Counters(0, None, 0))
    # when it spins twice more, the write's condition corrects it (ALL_OLD, no read)
    second, third = api.spin(token), api.spin(token)
    assert second.status_code == 201 and second.json_body["fairness"]["nonce"] == 1
    assert third.status_code == 429


# ---------------------------------------------------------- budget, stock

ONE_PRIZE = {
    "segments": [
        {"id": "prize", "label": "50.000d", "weight": 1, "prize": {"amount": 50_000}},
        {"id": "none", "label": "Next time", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
}


def test_racing_players_on_a_budget_for_one_prize_give_exactly_one_winner(api, partner):
    # given a budget for exactly one prize, and every draw landing on it
    c = api.wheel_campaign(partner["key"], ONE_PRIZE, budget=50_000)
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(10)]
    # when ten players spin at once
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda t: api.spin(t), tokens))
    # then one wins, the rest fall back, and the budget is spent exactly
    assert {r.status_code for r in results} == {201}
    bodies = [r.json_body for r in results]
    winners = [b for b in bodies if not b["fallback"]]
    assert len(winners) == 1 and winners[0]["gift"]["amount"] == 50_000
    for b in bodies:
        assert b["drawn_segment_id"] == "prize"
        if b["fallback"]:
            assert b["segment_id"] == "none" and b["prize"] is None and b["gift"] is None
    rep = api.report(partner["key"], c["id"])
    assert rep["budget"] == {"total": 50_000, "spent": 50_000, "remaining": 0}
    assert rep["spins"]["count"] == 10 and rep["spins"]["wins"] == 1
    assert rep["spins"]["by_segment"] == [{"segment_id": "prize", "count": 1},
                                          {"segment_id": "none", "count": 9}]
    assert rep["gifts"]["issued"] == {"count": 1, "amount": 50_000}


def test_a_top_up_lets_the_next_spin_win_again(api, partner):
    c = api.wheel_campaign(partner["key"], ONE_PRIZE, budget=50_000)
    token = api.player_token(partner["key"], c["id"])
    assert api.spin(token).json_body["fallback"] is False
    assert api.spin(token).json_body["fallback"] is True
    r = api.call("POST", f"/v1/campaigns/{c['id']}/budget-topups", {"amount": 50_000},
                 key=partner["key"], idem=str(uuid.uuid4()))
    assert r.status_code == 201
    assert api.spin(token).json_body["fallback"] is False


def test_inventory_of_one_gives_at_most_one_win_of_that_segment(api, partner):
    stocked = {**ONE_PRIZE, "segments": [
        {**ONE_PRIZE["segments"][0], "prize": {"amount": 1_000}, "inventory": 1},
        ONE_PRIZE["segments"][1]]}
    c = api.wheel_campaign(partner["key"], stocked, budget=1_000_000)
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = [r.json_body for r in pool.map(lambda t: api.spin(t), tokens)]
    assert sum(1 for b in bodies if b["segment_id"] == "prize") == 1
    assert sum(1 for b in bodies if b["fallback"]) == 7
    rep = api.report(partner["key"], c["id"])
    assert rep["budget"]["spent"] == 1_000 and rep["spins"]["wins"] == 1


# ------------------------------------------------------------------- gifts


def test_play_gifts_lists_exactly_the_won_gifts(api, partner):
    half = {**ONE_PRIZE, "segments": [{**ONE_PRIZE["segments"][0], "weight": 1},
                                      {**ONE_PRIZE["segments"][1], "weight": 1}]}
    c = api.wheel_campaign(partner["key"], half, budget=10_000_000)
    me = api.player_token(partner["key"], c["id"], "me")
    other = api.player_token(partner["key"], c["id"], "other")
    won = {s["gift"]["id"] for s in (api.spin(me).json_body for _ in range(8)) if s["gift"]}
    api.spin(other)
    api.issue(partner["key"], c["id"], 1_000)  # a partner-issued gift is nobody's win
    listed = api.call("GET", "/v1/play/gifts", key=me).json_body
    assert {g["id"] for g in listed["data"]} == won
    assert listed["next_cursor"] is None
    paged = [g["id"] for g in api.pages("/v1/play/gifts?limit=1", key=me)]
    assert sorted(paged) == sorted(won)


# ---------------------------------------------------------------- fairness


def test_fairness_hides_the_seed_until_the_campaign_ends(api, partner):
    c = api.wheel_campaign(partner["key"])
    r = api.call("GET", f"/v1/campaigns/{c['id']}/fairness")
    assert r.status_code == 200
    assert r.json_body == {"seed_commitment": c["fairness"]["seed_commitment"],
                           "server_seed": None, "ended_at": None,
                           "algorithm": fair_draw.ALGORITHM, "procedure": fair_draw.PROCEDURE}
    assert api.call("GET", "/v1/campaigns/cmp_nope/fairness").status_code == 404


def _roll_from_the_published_procedure(server_seed: str, client_seed: str, nonce: int,
                                       total: int) -> int:
    """A player's own check, written from the `procedure` text alone (not fair_draw.py)."""
    bound = (2**64 // total) * total
    for round_ in range(1000):
        block = hmac.new(server_seed.encode("ascii"),
                         f"{client_seed}:{nonce}:{round_}".encode(), hashlib.sha256).digest()
        for i in range(0, 32, 8):
            x = int.from_bytes(block[i:i + 8], "big")
            if x < bound:
                return x % total
    raise AssertionError("no roll accepted")


def test_a_player_recomputes_a_spin_from_the_published_procedure(api, partner):
    # given a spin with the player's own client seed, on a campaign that then ends
    c = api.wheel_campaign(partner["key"])
    token = api.player_token(partner["key"], c["id"], "zalo:849")
    s = api.spin(token, {"client_seed": "lucky"}).json_body
    api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "ended"}, key=partner["key"])

    # when the player follows the fairness answer's procedure
    fair = api.call("GET", f"/v1/campaigns/{c['id']}/fairness").json_body
    seed = fair["server_seed"]
    roll = _roll_from_the_published_procedure(seed, s["fairness"]["client_seed"],
                                              s["fairness"]["nonce"], 100)

    # then the commitment, the roll and the segment all check out
    assert hashlib.sha256(seed.encode("ascii")).hexdigest() == fair["seed_commitment"]
    assert s["fairness"]["client_seed"] == "8:zalo:849:lucky"
    assert roll == s["fairness"]["roll"]
    running, drawn = 0, None
    for segment in WHEEL["segments"]:
        running += segment["weight"]
        if roll < running:
            drawn = segment["id"]
            break
    assert drawn == s["drawn_segment_id"]


def test_an_ended_campaign_re_verifies_and_a_tampered_roll_fails(api, partner):
    # given spins by three players, one with its own client seed
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": None})
    for i in range(3):
        token = api.player_token(partner["key"], c["id"], f"p-{i}")
        for _ in range(4):
            assert api.spin(token, {"client_seed": "mine"} if i == 2 else {}).status_code == 201
    fetch = fetcher(api, partner["key"])
    assert not verify_fairness.verify_campaign(fetch, c["id"]).ok  # seed still secret
    # when the campaign ends, the seed is revealed
    api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "ended"}, key=partner["key"])
    fair = api.call("GET", f"/v1/campaigns/{c['id']}/fairness").json_body
    assert fair_draw.commitment(fair["server_seed"]) == fair["seed_commitment"]
    # then every spin re-verifies, across pages
    result = verify_fairness.verify_campaign(fetch, c["id"])
    assert result.ok, result.problems
    assert result.spins == 12

    def tampered(path: str) -> dict:
        body = fetch(path)
        if "/spins" in path and body["data"]:
            body["data"][0]["roll"] = (body["data"][0]["roll"] + 1) % 100
        return body

    bad = verify_fairness.verify_campaign(tampered, c["id"])
    assert not bad.ok and any("roll mismatch" in p for p in bad.problems)


def test_spin_list_pages_and_is_the_partners_only(api, partner):
    c = api.wheel_campaign(partner["key"], {**WHEEL, "limits": None})
    token = api.player_token(partner["key"], c["id"])
    ids = [api.spin(token).json_body["id"] for _ in range(3)]
    page = api.call("GET", f"/v1/campaigns/{c['id']}/spins?limit=2", key=partner["key"])
    assert page.status_code == 200 and len(page.json_body["data"]) == 2
    rest = api.call("GET", f"/v1/campaigns/{c['id']}/spins?cursor="
                    f"{page.json_body['next_cursor']}", key=partner["key"]).json_body
    assert sorted(s["id"] for s in page.json_body["data"] + rest["data"]) == sorted(ids)
    record = rest["data"][-1]
    assert set(record) >= {"id", "player_id", "segment_id", "drawn_segment_id", "fallback",
                           "client_seed", "nonce", "roll", "total_weight", "spun_at"}
    stranger = api.partner("Other")
    assert api.call("GET", f"/v1/campaigns/{c['id']}/spins",
                    key=stranger["key"]).status_code == 404


def test_a_player_whose_id_extends_a_winners_cannot_copy_the_winners_draw(api, partner):
    # given player u0 spinning with seed "a:b", and player "u0:a" with seed "b"
    # (v1 joined player and seed with a bare ":", so both drew "u0:a:b")
    c = api.wheel_campaign(partner["key"])
    first = api.spin(api.player_token(partner["key"], c["id"], "u0"),
                 {"client_seed": "a:b"}).json_body
    second = api.spin(api.player_token(partner["key"], c["id"], "u0:a"),
                  {"client_seed": "b"}).json_body

    # then their recorded seeds differ, and each names its own player
    assert first["fairness"]["client_seed"] == "2:u0:a:b"
    assert second["fairness"]["client_seed"] == "4:u0:a:b"
    assert fair_draw.player_of(first["fairness"]["client_seed"]) == "u0"
    assert fair_draw.player_of(second["fairness"]["client_seed"]) == "u0:a"
