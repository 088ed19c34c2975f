"""One campaign, any crowd: the promises hold while a campaign's money moves through
its shards, under concurrency, with DynamoDB's transaction conflicts emulated
(moto lacks them; devtools/moto_patch.py adds them for these tests)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.money import budget_shards
from chalicelib.store.keys import shard_key
from chalicelib.store.models import ShardModel
from tests.helpers import assert_problem, stored_gifts, until_final

PRIZE = 50_000
ALWAYS_WINS = {
    "segments": [
        {"id": "prize", "label": "50.000d", "weight": 1, "prize": {"amount": PRIZE}},
        {"id": "none", "label": "Next time", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
}


def issue(api, key: str, campaign_id: str, amount: int):
    """An issue, sent again with its key while it answers 503: these tests count what
    a crowd of clients ends with, and a client retries a 503."""
    idem = str(uuid.uuid4())
    return until_final(lambda: api.issue(key, campaign_id, amount, idem=idem))


def spin(api, token: str):
    """A spin, sent again with its key while it answers 503 (as `issue`)."""
    idem = str(uuid.uuid4())
    return until_final(lambda: api.spin(token, idem=idem))


def shards_used(campaign_id: str) -> list[ShardModel]:
    return [s for s in budget_shards.read_shards(campaign_id, 32) if int(s.spent or 0)]


@pytest.mark.slow
def test_forty_threads_issuing_on_a_budget_for_twenty_issue_exactly_twenty(
        api, partner, conflicts):
    # given a 1,000,000 campaign and 50,000 gifts
    c = api.campaign(partner["key"], budget=1_000_000)

    # when 40 threads issue at once
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda _: issue(api, partner["key"], c["id"], PRIZE),
                                range(40)))

    # then exactly 20 are issued and the budget is spent to the last đồng, never above
    codes = sorted(r.status_code for r in results)
    assert codes == [201] * 20 + [409] * 20, codes
    for r in results:
        if r.status_code == 409:
            assert_problem(r, 409, "budget_exhausted")
    got = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert got["budget"] == {"total": 1_000_000, "spent": 1_000_000, "remaining": 0}
    assert len(stored_gifts(campaign_id=c["id"])) == 20
    assert len(shards_used(c["id"])) > 1  # the money went through several slices


@pytest.mark.slow
def test_as_many_spins_as_the_budget_pays_all_win_none_falls_back(api, partner, conflicts):
    # given every draw lands on a 50,000 prize and the budget pays exactly 20
    c = api.wheel_campaign(partner["key"], ALWAYS_WINS, budget=20 * PRIZE)
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(20)]

    # when 20 players spin at once
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda t: spin(api, t), tokens))

    # then all 20 win: no spin fell back while some slice of the campaign could pay
    assert [r.status_code for r in results] == [201] * 20
    assert [r.json_body["fallback"] for r in results] == [False] * 20
    rep = api.report(partner["key"], c["id"])
    assert rep["budget"] == {"total": 20 * PRIZE, "spent": 20 * PRIZE, "remaining": 0}
    assert rep["spins"]["wins"] == 20 and rep["gifts"]["issued"]["count"] == 20


@pytest.mark.slow
def test_forty_threads_draining_a_small_budget_never_overspend(api, partner, conflicts):
    c = api.wheel_campaign(partner["key"], ALWAYS_WINS, budget=1_000_000)
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(40)]

    with ThreadPoolExecutor(max_workers=40) as pool:
        bodies = [r.json_body for r in pool.map(lambda t: spin(api, t), tokens)]

    assert sum(1 for b in bodies if not b["fallback"]) == 20
    assert sum(1 for b in bodies if b["fallback"]) == 20
    rep = api.report(partner["key"], c["id"])
    assert rep["budget"] == {"total": 1_000_000, "spent": 1_000_000, "remaining": 0}
    assert rep["spins"] == {"count": 40, "wins": 20, "by_segment": [
        {"segment_id": "prize", "count": 20}, {"segment_id": "none", "count": 20}]}


@pytest.mark.slow
def test_stock_of_three_under_forty_threads_gives_exactly_three_wins(api, partner, conflicts):
    stocked = {**ALWAYS_WINS, "segments": [
        {**ALWAYS_WINS["segments"][0], "prize": {"amount": 1_000}, "inventory": 3},
        ALWAYS_WINS["segments"][1]]}
    c = api.wheel_campaign(partner["key"], stocked, budget=10_000_000)
    tokens = [api.player_token(partner["key"], c["id"], f"p-{i}") for i in range(40)]

    with ThreadPoolExecutor(max_workers=40) as pool:
        bodies = [r.json_body for r in pool.map(lambda t: spin(api, t), tokens)]

    assert sum(1 for b in bodies if b["segment_id"] == "prize") == 3
    rep = api.report(partner["key"], c["id"])
    assert rep["spins"]["wins"] == 3 and rep["budget"]["spent"] == 3_000


def test_money_left_in_another_slice_pays_the_next_spin(api, partner, monkeypatch):
    # given a one-prize budget whose only gift was won on slice 0, then voided: the
    # pool is empty and the refund sits in slice 0
    c = api.wheel_campaign(partner["key"], ALWAYS_WINS, budget=PRIZE)
    monkeypatch.setattr(budget_shards, "pick", lambda cid, n: shard_key(cid, 0))
    won = api.spin(api.player_token(partner["key"], c["id"], "first")).json_body
    assert won["fallback"] is False
    void = api.call("POST", f"/v1/gifts/{won['gift']['code']}/void", {}, key=partner["key"],
                    idem=str(uuid.uuid4()))
    assert void.status_code == 200

    # when the next spin lands on slice 5, which holds nothing
    monkeypatch.setattr(budget_shards, "pick", lambda cid, n: shard_key(cid, 5))
    second = api.spin(api.player_token(partner["key"], c["id"], "second")).json_body

    # then it still wins (slice 0 gave its money), and the one after falls back
    assert second["fallback"] is False
    third = api.spin(api.player_token(partner["key"], c["id"], "third")).json_body
    assert third["fallback"] is True
    rep = api.report(partner["key"], c["id"])
    assert rep["budget"] == {"total": PRIZE, "spent": PRIZE, "remaining": 0}


def test_pause_then_spin_is_409_and_resume_then_spin_wins(api, partner):
    c = api.wheel_campaign(partner["key"], ALWAYS_WINS, budget=10 * PRIZE)
    token = api.player_token(partner["key"], c["id"])
    assert api.spin(token).status_code == 201

    paused = api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "paused"},
                      key=partner["key"])
    assert paused.status_code == 200

    assert_problem(api.spin(token), 409, "campaign_not_active")
    assert_problem(api.issue(partner["key"], c["id"], 1_000), 409, "campaign_not_active")
    assert api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "active"},
                    key=partner["key"]).status_code == 200
    assert api.spin(token).json_body["fallback"] is False


def test_eight_concurrent_spins_of_one_player_all_succeed(api, partner, conflicts):
    # given a player with 8 spins left, and transactions that conflict on DynamoDB
    c = api.wheel_campaign(partner["key"], {**ALWAYS_WINS, "limits": {
        "spins_per_player": 8}}, budget=100 * PRIZE)
    token = api.player_token(partner["key"], c["id"])

    # when the player fires all 8 at once (8 tabs, a double-tapping thumb)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: api.spin(token), range(8)))

    # then each one spins, each with its own nonce: no 503
    assert [r.status_code for r in results] == [201] * 8, [r.body for r in results]
    assert sorted(r.json_body["fairness"]["nonce"] for r in results) == list(range(8))
    assert api.spin(token).status_code == 429


@pytest.mark.slow
def test_report_sums_every_slice_exactly_after_a_mixed_burst(api, partner, conflicts):
    c = api.campaign(partner["key"], budget=10_000_000)
    key = partner["key"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        issued = [r.json_body for r in pool.map(lambda i: issue(api, key, c["id"], 1_000 + i),
                                                range(48))]
    codes = [g["code"] for g in issued]

    def redeem(code: str):
        idem = str(uuid.uuid4())
        return until_final(lambda: api.redeem(key, code, idem=idem, amount=500))

    def void(code: str):
        idem = str(uuid.uuid4())
        return until_final(lambda: api.call("POST", f"/v1/gifts/{code}/void", {}, key=key,
                                            idem=idem))

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert {r.status_code for r in pool.map(redeem, codes[:32])} == {200}
        assert {r.status_code for r in pool.map(void, codes[24:40])} == {200}

    rep = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=key).json_body
    issued_amount = sum(1_000 + i for i in range(48))
    voided_balance = sum(1_000 + i - (500 if i < 32 else 0) for i in range(24, 40))
    assert rep["gifts"]["issued"] == {"count": 48, "amount": issued_amount}
    assert rep["gifts"]["redeemed"] == {"count": 32, "amount": 32 * 500}
    assert rep["gifts"]["voided"] == {"count": 16, "amount": voided_balance}
    assert rep["budget"]["spent"] == issued_amount - voided_balance
    assert rep["budget"]["remaining"] == 10_000_000 - rep["budget"]["spent"]


@pytest.mark.slow
def test_spins_list_merges_the_slices_oldest_first_with_a_cursor(api, partner):
    c = api.wheel_campaign(partner["key"], ALWAYS_WINS, budget=100 * PRIZE)
    ids = [api.spin(api.player_token(partner["key"], c["id"], f"p-{i}")).json_body["id"]
           for i in range(12)]
    seen = [(s["spun_at"], s["id"])
            for s in api.pages(f"/v1/campaigns/{c['id']}/spins?limit=5", key=partner["key"])]
    assert sorted(i for _, i in seen) == sorted(ids)
    assert seen == sorted(seen)
