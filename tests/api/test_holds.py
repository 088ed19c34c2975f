"""Till-grade redemption through the HTTP surface: holds, captures, releases,
expiry with no job, reversals, a gift's history and QR codes."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.core import codes
from chalicelib.money import holds
from tests.helpers import (
    assert_problem,
    clear_caches,
    count_data_calls,
    header,
    patched_dynamodb,
)


def post(api, path: str, body: dict | None, key: str, idem: str | None = None):
    return api.call("POST", path, body if body is not None else {}, key=key,
                    idem=idem or str(uuid.uuid4()))


def gift(api, partner, amount: int = 100_000, **campaign: Any) -> dict:
    c = api.campaign(partner["key"], **campaign)
    g = api.issue(partner["key"], c["id"], amount).json_body
    g["campaign_id"] = c["id"]
    return g


def hold(api, key: str, code: str, idem: str | None = None, **body: Any):
    return post(api, f"/v1/gifts/{code}/holds", body, key, idem)


def capture(api, key: str, hold_id: str, idem: str | None = None, **body: Any):
    return post(api, f"/v1/holds/{hold_id}/capture", body, key, idem)


def release(api, key: str, hold_id: str, idem: str | None = None):
    return post(api, f"/v1/holds/{hold_id}/release", None, key, idem)


def lookup(api, key: str, code: str) -> dict:
    r = api.call("GET", f"/v1/gifts/{code}", key=key)
    assert r.status_code == 200, r.body
    return r.json_body


def events(api, key: str, code: str) -> list[dict]:
    """A gift's history, read seven events a page."""
    return list(api.pages(f"/v1/gifts/{code}/events?limit=7", key=key))


def rebuilt(history: list[dict]) -> int:
    """The balance the history tells, checking each event's balance_after on the way."""
    sign = {"issued": 1, "reversed": 1, "redeemed": -1, "captured": -1}
    balance = 0
    for e in history:
        balance += sign.get(e["type"], 0) * e["amount"]
        assert e["balance_after"] == balance, history
    return balance


# ------------------------------------------------------------------- holds


def test_a_hold_keeps_the_balance_and_lowers_what_is_available(api, partner):
    g = gift(api, partner, 100_000)
    r = hold(api, partner["key"], g["code"], amount=30_000, location="store-12",
             reference="pos-889")
    assert r.status_code == 201, r.body
    h = r.json_body
    assert h["id"].startswith("hld_") and h["status"] == "held" and h["amount"] == 30_000
    assert h["expires_at"] > h["created_at"]
    assert (h["gift"]["balance"], h["gift"]["available"]) == (100_000, 70_000)
    got = lookup(api, partner["key"], g["code"])
    assert (got["balance"], got["available"]) == (100_000, 70_000)
    # a redemption or another hold only takes what is available
    assert_problem(api.redeem(partner["key"], g["code"], amount=70_001), 422,
                   "insufficient_balance")
    assert_problem(hold(api, partner["key"], g["code"], amount=70_001), 422,
                   "insufficient_balance")
    # no amount: all that is available
    r = api.redeem(partner["key"], g["code"])
    assert r.status_code == 200 and r.json_body["redemption"]["amount"] == 70_000
    assert (r.json_body["gift"]["balance"], r.json_body["gift"]["available"]) == (30_000, 0)


def test_capture_takes_part_of_the_hold_and_releases_the_rest(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=50_000, location="store-12").json_body
    r = capture(api, partner["key"], h["id"], amount=20_000)
    assert r.status_code == 200, r.body
    out = r.json_body
    assert out["hold"]["status"] == "captured" and out["hold"]["captured_amount"] == 20_000
    assert out["redemption"]["id"].startswith("red_") and out["redemption"]["amount"] == 20_000
    assert out["redemption"]["location"] == "store-12"
    assert (out["gift"]["balance"], out["gift"]["available"]) == (80_000, 80_000)
    detail = lookup(api, partner["key"], g["code"])
    assert [x["amount"] for x in detail["redemptions"]] == [20_000]
    # a closed hold is closed
    assert_problem(release(api, partner["key"], h["id"]), 409, "hold_not_active")
    assert_problem(capture(api, partner["key"], h["id"]), 409, "hold_not_active")


def test_capture_above_the_held_amount_is_refused(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=10_000).json_body
    assert_problem(capture(api, partner["key"], h["id"], amount=10_001), 422,
                   "validation_error")
    assert capture(api, partner["key"], h["id"]).json_body["redemption"]["amount"] == 10_000


def test_release_makes_the_amount_available_again(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=40_000).json_body
    r = release(api, partner["key"], h["id"])
    assert r.status_code == 200, r.body
    assert r.json_body["hold"]["status"] == "released"
    assert (r.json_body["gift"]["balance"], r.json_body["gift"]["available"]) == (100_000,
                                                                                  100_000)
    got = api.call("GET", f"/v1/holds/{h['id']}", key=partner["key"]).json_body
    assert got["status"] == "released"


def test_an_expired_hold_holds_nothing_with_no_job_and_cannot_be_captured(api, partner,
                                                                          stopped_clock):
    # the service's clock stands still: the 30 s hold cannot expire before the test
    # moves it, however slow the machine
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=60_000, ttl_seconds=30).json_body
    assert lookup(api, partner["key"], g["code"])["available"] == 40_000
    stopped_clock.tick(31)  # one second past expires_at (whole seconds)
    assert lookup(api, partner["key"], g["code"])["available"] == 100_000
    assert_problem(capture(api, partner["key"], h["id"]), 409, "hold_expired")
    assert_problem(release(api, partner["key"], h["id"]), 409, "hold_expired")
    got = api.call("GET", f"/v1/holds/{h['id']}", key=partner["key"]).json_body
    assert got["status"] == "expired"
    # the whole balance can be taken, and the stale entry is dropped by that write
    assert api.redeem(partner["key"], g["code"]).json_body["redemption"]["amount"] == 100_000


def test_void_while_a_hold_is_active_is_409_gift_held(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=1_000).json_body
    assert_problem(post(api, f"/v1/gifts/{g['code']}/void", None, partner["key"]), 409,
                   "gift_held")
    release(api, partner["key"], h["id"])
    r = post(api, f"/v1/gifts/{g['code']}/void", None, partner["key"])
    assert r.status_code == 200 and r.json_body["status"] == "voided"
    assert r.json_body["available"] == 0


def test_at_most_ten_active_holds_per_gift(api, partner):
    g = gift(api, partner, 100_000)
    for _ in range(10):
        assert hold(api, partner["key"], g["code"], amount=1_000).status_code == 201
    assert_problem(hold(api, partner["key"], g["code"], amount=1_000), 409, "too_many_holds")


def test_holds_are_the_partners_own(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=1_000).json_body
    other = api.partner("Other")
    assert_problem(capture(api, other["key"], h["id"]), 404, "not_found")
    assert_problem(release(api, other["key"], h["id"]), 404, "not_found")
    assert_problem(hold(api, other["key"], g["code"]), 404, "not_found")
    assert_problem(capture(api, partner["key"], "gft_" + h["id"][4:]), 404, "not_found")
    assert_problem(capture(api, partner["key"], "hld_doesnotexist"), 404, "not_found")


def test_every_new_post_replays_with_its_key(api, partner):
    g = gift(api, partner, 100_000)
    k = partner["key"]
    calls = [
        lambda idem: hold(api, k, g["code"], idem, amount=30_000),
    ]
    first = calls[0]("h-1")
    again = calls[0]("h-1")
    assert again.status_code == 201 and again.body == first.body
    assert header(again, "Idempotent-Replayed") == "true"
    hid = first.json_body["id"]
    other = hold(api, k, g["code"], "h-2", amount=10_000).json_body["id"]
    for make in (lambda idem: capture(api, k, hid, idem, amount=5_000),
                 lambda idem: release(api, k, other, idem)):
        one, two = make("close-" + str(id(make))), make("close-" + str(id(make)))
        assert one.status_code == 200 and two.body == one.body
        assert header(two, "Idempotent-Replayed") == "true"
    red = lookup(api, k, g["code"])["redemptions"][0]["id"]
    one = post(api, f"/v1/redemptions/{red}/reversals", {"amount": 1_000}, k, "rev-1")
    two = post(api, f"/v1/redemptions/{red}/reversals", {"amount": 1_000}, k, "rev-1")
    assert one.status_code == 201 and two.body == one.body
    assert header(two, "Idempotent-Replayed") == "true"
    assert_problem(post(api, f"/v1/redemptions/{red}/reversals", {"amount": 2_000}, k,
                        "rev-1"), 422, "idempotency_key_reused")
    # one effect each: 100,000 - 5,000 captured + 1,000 reversed
    got = lookup(api, k, g["code"])
    assert (got["balance"], got["available"]) == (96_000, 96_000)
    # refusals replay too
    r1 = hold(api, k, g["code"], "too-much", amount=500_000)
    r2 = hold(api, k, g["code"], "too-much", amount=500_000)
    assert_problem(r2, 422, "insufficient_balance")
    assert r2.body == r1.body and header(r2, "Idempotent-Replayed") == "true"


def test_the_new_routes_require_an_idempotency_key(api, partner):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=1_000).json_body
    for path in (f"/v1/gifts/{g['code']}/holds", f"/v1/holds/{h['id']}/capture",
                 f"/v1/holds/{h['id']}/release", "/v1/redemptions/red_x/reversals"):
        r = api.call("POST", path, {}, key=partner["key"])
        assert_problem(r, 400, "idempotency_key_required")


# ------------------------------------------------------------------ races


def test_two_tills_holding_the_last_50000_one_wins(api, partner, conflicts):
    g = gift(api, partner, 50_000)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: hold(api, partner["key"], g["code"],
                                               amount=50_000), range(2)))
    assert sorted(r.status_code for r in results) == [201, 422]
    assert_problem(next(r for r in results if r.status_code == 422), 422,
                   "insufficient_balance")
    assert lookup(api, partner["key"], g["code"])["available"] == 0


def test_capture_against_release_from_16_threads_has_exactly_one_effect(api, partner,
                                                                        conflicts):
    g = gift(api, partner, 100_000)
    h = hold(api, partner["key"], g["code"], amount=40_000).json_body

    def act(i: int):
        return (capture if i % 2 else release)(api, partner["key"], h["id"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(act, range(16)))
    ok = [r for r in results if r.status_code == 200]
    assert len(ok) == 1, [r.body for r in results]
    for r in results:
        if r.status_code != 200:
            assert_problem(r, 409, "hold_not_active")
    got = lookup(api, partner["key"], g["code"])
    captured = "redemption" in ok[0].json_body
    assert got["balance"] == (60_000 if captured else 100_000)
    assert got["available"] == got["balance"]
    assert len(got["redemptions"]) == (1 if captured else 0)
    history = events(api, partner["key"], g["code"])
    assert [e["type"] for e in history] == ["issued", "held",
                                            "captured" if captured else "released"]


def test_hold_redeem_and_void_racing_on_one_gift_stay_consistent(api, partner, conflicts):
    g = gift(api, partner, 90_000)
    k = partner["key"]
    jobs = ([lambda: hold(api, k, g["code"], amount=30_000)] * 4
            + [lambda: api.redeem(k, g["code"], amount=30_000)] * 4
            + [lambda: post(api, f"/v1/gifts/{g['code']}/void", None, k)] * 2)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    assert all(r.status_code in (200, 201, 409, 422) for r in results), \
        [r.body for r in results]
    got = lookup(api, k, g["code"])
    held = sum(1 for r in results[:4] if r.status_code == 201)
    redeemed = sum(1 for r in results[4:8] if r.status_code == 200)
    voided = sum(1 for r in results[8:] if r.status_code == 200)
    assert voided <= 1 and held + redeemed <= 3
    if voided:  # a hold blocks a void, and a voided gift takes no hold
        assert got["status"] == "voided" and held == 0
    assert got["balance"] == 90_000 - 30_000 * redeemed
    assert got["available"] == (0 if voided else got["balance"] - 30_000 * held)
    assert rebuilt(events(api, k, g["code"])) == got["balance"]
    if voided:  # a void never happened while a hold was active
        kinds = [e["type"] for e in events(api, k, g["code"])]
        assert "held" not in kinds[:kinds.index("voided")]


# --------------------------------------------------------------- reversals


def test_a_reversal_gives_the_amount_back_up_to_what_was_redeemed(api, partner):
    g = gift(api, partner, 100_000)
    k = partner["key"]
    red = api.redeem(k, g["code"], amount=100_000).json_body["redemption"]
    assert lookup(api, k, g["code"])["status"] == "redeemed"
    r = post(api, f"/v1/redemptions/{red['id']}/reversals",
             {"amount": 40_000, "reason": "returned"}, k)
    assert r.status_code == 201, r.body
    rev = r.json_body
    assert rev["id"].startswith("rev_") and rev["redemption_id"] == red["id"]
    assert (rev["amount"], rev["gift"]["balance"], rev["gift"]["status"]) == (40_000, 40_000,
                                                                            "active")
    body = assert_problem(post(api, f"/v1/redemptions/{red['id']}/reversals",
                               {"amount": 60_001}, k), 422, "reversal_too_large")
    assert body["reversible"] == 60_000
    r = post(api, f"/v1/redemptions/{red['id']}/reversals", {}, k)  # the rest
    assert r.json_body["amount"] == 60_000 and r.json_body["gift"]["balance"] == 100_000
    assert_problem(post(api, f"/v1/redemptions/{red['id']}/reversals", {}, k), 409,
                   "redemption_fully_reversed")
    # later redemptions are listed after the earlier ones
    red2 = api.redeem(k, g["code"], amount=1_000).json_body["redemption"]
    assert [x["id"] for x in lookup(api, k, g["code"])["redemptions"]] == [red["id"],
                                                                         red2["id"]]
    assert_problem(post(api, "/v1/redemptions/red_nothere/reversals", {}, k), 404,
                   "not_found")
    assert_problem(post(api, f"/v1/redemptions/{red['id']}/reversals", {},
                        api.partner("Other")["key"]), 404, "not_found")


def test_no_reversal_onto_a_voided_or_expired_gift(api, partner, later):
    k = partner["key"]
    g = gift(api, partner, 100_000)
    red = api.redeem(k, g["code"], amount=10_000).json_body["redemption"]
    post(api, f"/v1/gifts/{g['code']}/void", None, k)
    assert_problem(post(api, f"/v1/redemptions/{red['id']}/reversals", {}, k), 409,
                   "gift_voided")
    g2 = gift(api, partner, 100_000, gift_expiry_days=1)
    red2 = api.redeem(k, g2["code"], amount=10_000).json_body["redemption"]
    later(timedelta(days=3))
    assert_problem(post(api, f"/v1/redemptions/{red2['id']}/reversals", {}, k), 409,
                   "gift_expired")


# ------------------------------------------------------------------ report


def test_report_counts_holds_outstanding_and_nets_reversals(api, partner, stopped_clock):
    # the service's clock stands still until the 30 s hold is meant to expire
    c = api.campaign(partner["key"], budget=1_000_000)
    k = partner["key"]
    a = api.issue(k, c["id"], 100_000).json_body
    b = api.issue(k, c["id"], 100_000).json_body
    h1 = hold(api, k, a["code"], amount=10_000, ttl_seconds=30).json_body
    hold(api, k, a["code"], amount=20_000, ttl_seconds=600)
    h3 = hold(api, k, b["code"], amount=5_000).json_body
    capture(api, k, h3["id"], amount=5_000)
    red = api.redeem(k, b["code"], amount=50_000).json_body["redemption"]
    post(api, f"/v1/redemptions/{red['id']}/reversals", {"amount": 15_000}, k)
    rep = api.report(k, c["id"])
    g = rep["gifts"]
    assert g["held"] == {"count": 2, "amount": 30_000}
    assert g["reversed"] == {"count": 1, "amount": 15_000}
    assert g["redeemed"] == {"count": 2, "amount": 5_000 + 50_000 - 15_000}
    assert rep["budget"]["spent"] == 200_000  # untouched by holds and reversals
    assert h1["status"] == "held"
    stopped_clock.tick(31)  # the 30 s hold expired: counted out with no write
    assert api.report(k, c["id"])["gifts"]["held"] == {"count": 1, "amount": 20_000}


def _bucket_queries(api, key: str, campaign_id: str, monkeypatch) -> tuple[dict, int]:
    """(the report's held figure, Queries it made on hold buckets: beyond one a shard
    for day rows and one for the campaign's marks)."""
    from chalicelib.core import config

    calls = count_data_calls(monkeypatch)
    held = api.report(key, campaign_id)["gifts"]["held"]
    return held, calls.count("Query") - config.settings().campaign_shards - 1


def test_the_report_reads_hold_buckets_only_while_a_hold_may_be_outstanding(
        api, partner, stopped_clock, monkeypatch):
    k = partner["key"]
    g = gift(api, partner)
    assert _bucket_queries(api, k, g["campaign_id"], monkeypatch)[1] == 0  # no hold yet
    assert hold(api, k, g["code"], amount=1_000, ttl_seconds=30).status_code == 201

    held, queries = _bucket_queries(api, k, g["campaign_id"], monkeypatch)
    assert held == {"count": 1, "amount": 1_000} and queries > 0

    stopped_clock.tick(30 + holds.MARK_WINDOW)  # the hold and its window are past
    assert _bucket_queries(api, k, g["campaign_id"], monkeypatch) == (
        {"count": 0, "amount": 0}, 0)
    assert hold(api, k, g["code"], amount=2_000).status_code == 201  # raises it again
    assert _bucket_queries(api, k, g["campaign_id"], monkeypatch)[0] == {
        "count": 1, "amount": 2_000}


def test_an_hour_long_hold_is_still_counted_once_shorter_ones_have_expired(
        api, partner, stopped_clock):
    k = partner["key"]
    g = gift(api, partner)
    assert hold(api, k, g["code"], amount=1_000, ttl_seconds=3600).status_code == 201
    clear_caches()  # another Lambda, which has marked nothing
    assert hold(api, k, g["code"], amount=2_000, ttl_seconds=30).status_code == 201

    stopped_clock.tick(30 + holds.MARK_WINDOW)  # the short hold and its window are past

    assert api.report(k, g["campaign_id"])["gifts"]["held"] == {"count": 1, "amount": 1_000}


# ----------------------------------------------------------------- history


def test_history_is_every_change_oldest_first_with_the_balance_after(api, partner):
    g = gift(api, partner, 100_000)
    k = partner["key"]
    h = hold(api, k, g["code"], amount=30_000, location="store-12").json_body
    capture(api, k, h["id"], amount=25_000)
    h2 = hold(api, k, g["code"], amount=5_000).json_body
    release(api, k, h2["id"])
    red = api.redeem(k, g["code"], amount=10_000, location="store-9").json_body["redemption"]
    post(api, f"/v1/redemptions/{red['id']}/reversals", {"amount": 4_000}, k)
    history = events(api, k, g["code"])
    assert [(e["type"], e["amount"], e["balance_after"]) for e in history] == [
        ("issued", 100_000, 100_000), ("held", 30_000, 100_000), ("captured", 25_000, 75_000),
        ("held", 5_000, 75_000), ("released", 5_000, 75_000), ("redeemed", 10_000, 65_000),
        ("reversed", 4_000, 69_000)]
    assert history[1]["location"] == "store-12" and history[5]["location"] == "store-9"
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)
    assert rebuilt(history) == lookup(api, k, g["code"])["balance"] == 69_000


OPS = st.lists(st.tuples(st.sampled_from(["hold", "capture", "release", "redeem", "reverse",
                                          "void"]),
                         st.integers(min_value=1, max_value=60_000),
                         st.integers(min_value=0, max_value=20)), min_size=1, max_size=14)


@pytest.mark.slow
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_a_balance_rebuilt_from_the_history_equals_the_stored_balance(api, partner, ops):
    k = partner["key"]
    g = gift(api, partner, 100_000)
    holds_made: list[str] = []
    redemptions: list[str] = []
    for op, amount, pick in ops:
        if op == "hold":
            r = hold(api, k, g["code"], amount=amount)
            if r.status_code == 201:
                holds_made.append(r.json_body["id"])
        elif op in ("capture", "release") and holds_made:
            hid = holds_made[pick % len(holds_made)]
            r = capture(api, k, hid, amount=amount) if op == "capture" else \
                release(api, k, hid)
            if r.status_code == 200 and "redemption" in r.json_body:
                redemptions.append(r.json_body["redemption"]["id"])
        elif op == "redeem":
            r = api.redeem(k, g["code"], amount=amount)
            if r.status_code == 200:
                redemptions.append(r.json_body["redemption"]["id"])
        elif op == "reverse" and redemptions:
            r = post(api, f"/v1/redemptions/{redemptions[pick % len(redemptions)]}/reversals",
                     {"amount": amount}, k)
        elif op == "void":
            r = post(api, f"/v1/gifts/{g['code']}/void", None, k)
        else:
            continue
        assert r.status_code < 500, r.body
        got = lookup(api, k, g["code"])
        history = events(api, k, g["code"])
        assert rebuilt(history) == got["balance"]
        assert 0 <= got["available"] <= got["balance"]


# ---------------------------------------------------------------------- QR


def test_partner_gets_an_svg_qr_of_the_code(api, partner):
    g = gift(api, partner, 100_000)
    r = api.call("GET", f"/v1/gifts/{g['code']}/qr.svg", key=partner["key"])
    assert r.status_code == 200
    assert header(r, "Content-Type").startswith("image/svg+xml")
    assert r.body.lstrip().startswith(b"<svg") and b"<script" not in r.body
    assert g["code"].encode() not in r.body  # the picture, not the text
    assert_problem(api.call("GET", f"/v1/gifts/{g['code']}/qr.svg",
                            key=api.partner("Other")["key"]), 404, "not_found")
    bad = g["code"][:-1] + ("A" if g["code"][-1] != "A" else "B")
    if not codes.is_valid(bad):
        assert_problem(api.call("GET", f"/v1/gifts/{bad}/qr.svg", key=partner["key"]), 422,
                       "invalid_code")


def test_players_get_a_qr_of_their_own_won_gifts_only(api, partner):
    always = {"segments": [{"id": "p", "label": "50k", "weight": 1,
                            "prize": {"amount": 50_000}},
                           {"id": "none", "label": "-", "weight": 0, "prize": None}],
              "fallback_segment_id": "none"}
    c = api.wheel_campaign(partner["key"], always)
    mine = api.player_token(partner["key"], c["id"], "p-1")
    theirs = api.player_token(partner["key"], c["id"], "p-2")
    won = api.spin(mine).json_body["gift"]
    r = api.call("GET", f"/v1/play/gifts/{won['id']}/qr.svg",
                 headers={"Authorization": f"Bearer {mine}"})
    assert r.status_code == 200 and r.body.lstrip().startswith(b"<svg")
    r = api.call("GET", f"/v1/play/gifts/{won['id']}/qr.svg",
                 headers={"Authorization": f"Bearer {theirs}"})
    assert_problem(r, 404, "not_found")


def test_money_moves_read_nothing_on_the_warm_path(api, partner, monkeypatch):
    """Hold, capture, release, redeem and reverse on a gift this Lambda has seen:
    one TransactWriteItems each, no read before it (snapshots re-checked by the
    write's conditions)."""
    k = partner["key"]
    g = gift(api, partner, 100_000)
    lookup(api, k, g["code"])  # the gift is now this Lambda's snapshot
    with patched_dynamodb() as dynamodb:
        h = hold(api, k, g["code"], amount=10_000).json_body
        out = capture(api, k, h["id"]).json_body
        h2 = hold(api, k, g["code"], amount=10_000).json_body
        release(api, k, h2["id"])
        red = api.redeem(k, g["code"], amount=5_000).json_body["redemption"]
        post(api, f"/v1/redemptions/{out['redemption']['id']}/reversals", {"amount": 1_000}, k)
        post(api, f"/v1/redemptions/{red['id']}/reversals", {"amount": 1_000}, k)
    assert dynamodb.calls == ["TransactWriteItems"] * 7
    assert lookup(api, k, g["code"])["balance"] == 100_000 - 10_000 - 5_000 + 2_000
