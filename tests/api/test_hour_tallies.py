"""The report's hour counts ride on items the moves write anyway (issue 26): a spin's
or issue's shard, a redemption's day row, rolled into the hour rows by the first
move of a later hour (money.tallies). No count is lost or doubled across a
rollover, whoever races, and the report stays exact while holders roll."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from botocore.client import BaseClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.store.models import HourModel
from tests.helpers import iso, ok, stored_gifts, stored_redemptions, until_final

HOUR = timedelta(hours=1)
WINS = {"segments": [{"id": "win", "label": "10.000d", "weight": 1,
                      "prize": {"amount": 10_000}},
                     {"id": "none", "label": "Next time", "weight": 0, "prize": None}],
        "fallback_segment_id": "none"}


def hour_rows(campaign_id: str) -> dict[tuple[str, str], HourModel]:
    return {(r.pk.removeprefix(campaign_id), r.hour): r for r in HourModel.scan()
            if r.pk.startswith(campaign_id)}


def series(api, key: str, campaign_id: str) -> dict[str, dict]:
    r = api.call("GET", f"/v1/campaigns/{campaign_id}/report?granularity=hour", key=key)
    assert r.status_code == 200, r.body
    return {p["period_start"]: p for p in r.json_body["series"]
            if p["spins"] or p["issued"]["count"] or p["redeemed"]["count"]}


def utc_hour(stamp: str) -> str:
    """The period_start of a UTC campaign's hour holding `stamp`."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.replace(minute=0, second=0).isoformat()


def recount(campaign_id: str) -> dict[str, dict]:
    """Per UTC hour, from the stored gifts and redemptions (no counter read)."""
    issued: Counter[str] = Counter()
    redeemed: Counter[str] = Counter()
    amount: Counter[str] = Counter()
    for g in stored_gifts(campaign_id=campaign_id):
        issued[utc_hour(g.issued_at)] += 1
        for at, n in stored_redemptions(g.id):
            redeemed[utc_hour(at)] += 1
            amount[utc_hour(at)] += n
    return {h: {"issued": issued[h], "redeemed": redeemed[h], "amount": amount[h]}
            for h in set(issued) | set(redeemed)}


def counted(points: dict[str, dict]) -> dict[str, dict]:
    return {h: {"issued": p["issued"]["count"], "redeemed": p["redeemed"]["count"],
                "amount": p["redeemed"]["amount"]} for h, p in points.items()}


def test_moves_within_one_hour_write_no_hour_row_and_the_report_counts_them(
        api, partner, stopped_clock, one_shard):
    k = partner["key"]
    c = api.campaign(k, wheel=WINS, timezone="UTC", starts_at=iso(stopped_clock.at - HOUR))
    # player tokens are checked against the real clock: minted before the clock moves
    tok = api.player_token(k, c["id"], "zalo:84900000001")
    stopped_clock.at = stopped_clock.at.replace(minute=10, second=0)
    g = ok(api.issue(k, c["id"], 50_000), 201)
    won = ok(api.spin(tok), 201)["gift"]
    ok(api.redeem(k, g["code"], amount=1_000))
    ok(api.redeem(k, won["code"], amount=2_000))
    assert hour_rows(c["id"]) == {}  # all of it on the shard and the day row
    (point,) = series(api, k, c["id"]).values()
    assert (point["issued"], point["redeemed"], point["spins"], point["wins"],
            point["players"]) == ({"count": 2, "amount": 60_000},
                                  {"count": 2, "amount": 3_000}, 1, 1, 1)


def test_a_move_at_59_59_9_and_one_at_the_hour_count_in_their_own_hours(
        api, partner, stopped_clock, one_shard):
    k = partner["key"]
    c = api.campaign(k, wheel=WINS, timezone="UTC", starts_at=iso(stopped_clock.at - HOUR))
    tok = api.player_token(k, c["id"], "zalo:84900000001")  # before the clock moves
    start = stopped_clock.at.replace(minute=59, second=59, microsecond=900_000)
    stopped_clock.at = start
    g = ok(api.issue(k, c["id"], 50_000), 201)
    ok(api.spin(tok), 201)
    ok(api.redeem(k, g["code"], amount=1_000))
    stopped_clock.tick(0.1)  # HH+1:00:00.0
    ok(api.issue(k, c["id"], 20_000), 201)
    ok(api.spin(tok), 201)
    ok(api.redeem(k, g["code"], amount=3_000))
    first = start.replace(minute=0, second=0, microsecond=0)
    rows = hour_rows(c["id"])
    hh = first.strftime("%Y-%m-%dT%H:%M:%SZ")
    # the first move of the new hour rolled the old hour's counts into its rows
    assert set(rows) == {("#00", hh), ("#00#r", hh)}
    assert (rows["#00", hh].sp, rows["#00", hh].in_, rows["#00", hh].ia) == (1, 2, 60_000)
    assert (rows["#00#r", hh].rn, rows["#00#r", hh].ra) == (1, 1_000)
    # a late move (a Lambda whose clock is a moment behind) counts in its own hour
    stopped_clock.at = start
    ok(api.issue(k, c["id"], 5_000), 201)
    stopped_clock.tick(60.1)  # a series runs to the last whole second before now
    points = series(api, k, c["id"])
    late = first.isoformat()
    now = (first + timedelta(hours=1)).isoformat()
    assert set(points) == {late, now}
    assert (points[late]["issued"], points[late]["redeemed"], points[late]["spins"]) == (
        {"count": 3, "amount": 65_000}, {"count": 1, "amount": 1_000}, 1)
    assert (points[now]["issued"], points[now]["redeemed"], points[now]["spins"]) == (
        {"count": 2, "amount": 30_000}, {"count": 1, "amount": 3_000}, 1)
    assert counted(points) == recount(c["id"])


@pytest.mark.slow
def test_racing_moves_across_three_rollovers_lose_and_double_no_count(
        api, partner, stopped_clock, one_shard, conflicts):
    """Twelve threads issue and redeem on one shard while the clock passes three hours:
    every hour of the series equals a recount of the stored gifts and redemptions."""
    k = partner["key"]
    stopped_clock.at = stopped_clock.at.replace(minute=30, second=0)
    c = api.campaign(k, timezone="UTC", budget=100_000_000,
                     starts_at=iso(stopped_clock.at - HOUR))
    base = [ok(api.issue(k, c["id"], 100_000), 201)["code"] for _ in range(6)]
    lock = threading.Lock()

    def move(i: int) -> None:
        if i % 10 == 9:
            with lock:
                stopped_clock.tick(20 * 60)  # 20 minutes: an hour every third tick
        idem = str(uuid.uuid4())
        if i % 2:
            until_final(lambda: api.redeem(k, base[i % 6], idem=idem, amount=100))
        else:
            until_final(lambda: api.issue(k, c["id"], 1_000 + i, idem=idem))

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(move, range(90)))
    stopped_clock.tick(60)
    expected = recount(c["id"])
    assert len(expected) >= 3
    assert counted(series(api, k, c["id"])) == expected
    total = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=k).json_body["gifts"]
    assert total["issued"]["count"] == sum(v["issued"] for v in expected.values())
    assert total["redeemed"]["count"] == sum(v["redeemed"] for v in expected.values())


def test_the_report_is_exact_while_a_holder_rolls_between_its_reads(
        api, partner, stopped_clock, one_shard, monkeypatch):
    """A move that rolls the shard's hour into its row while the report reads the
    rows: counted once, neither lost (read from neither) nor doubled (read from both)."""
    k = partner["key"]
    stopped_clock.at = stopped_clock.at.replace(minute=50, second=0)
    c = api.campaign(k, timezone="UTC", starts_at=iso(stopped_clock.at - HOUR))
    ok(api.issue(k, c["id"], 7_000), 201)
    stopped_clock.tick(20 * 60)  # the next hour: the shard still holds the last one's
    rolled: list[int] = []
    original = BaseClient._make_api_call

    def make_api_call(client: BaseClient, operation: str, params: dict) -> object:
        """Before the report's first Query of hour rows: a move of the new hour, in
        another thread, which rolls the shard's hour into its row."""
        if operation == "Query" and params.get("TableName", "").endswith("-campaign-hours") \
                and not rolled:
            rolled.append(1)
            mover = threading.Thread(target=lambda: ok(api.issue(k, c["id"], 9_000), 201))
            mover.start()
            mover.join()
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    points = series(api, k, c["id"])
    assert rolled
    assert {h: p["issued"] for h, p in points.items()} == {
        h: {"count": 1, "amount": a} for h, a in zip(sorted(points), (7_000, 9_000),
                                                      strict=True)}


STEPS = st.lists(st.one_of(
    st.tuples(st.just("issue"), st.integers(1, 50_000)),
    st.tuples(st.just("redeem"), st.integers(0, 20), st.integers(1, 5_000)),
    st.tuples(st.just("tick"), st.integers(1, 100)),  # minutes
    st.tuples(st.just("late"), st.integers(1, 90))),  # a move this many seconds behind
    min_size=1, max_size=20)


@pytest.mark.slow
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_any_walk_over_hours_keeps_the_series_equal_to_a_recount(
        api, partner, stopped_clock, one_shard, steps):
    """Issues and redemptions on one shard, the clock moving on by minutes or a move
    stamped a little behind (a Lambda whose clock lags, after the holder rolled): the
    hourly series always equals a recount, and its totals the report's."""
    k = partner["key"]
    stopped_clock.at = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    c = api.campaign(k, timezone="UTC", budget=100_000_000,
                     starts_at=iso(stopped_clock.at - HOUR))
    codes = [ok(api.issue(k, c["id"], 100_000), 201)["code"]]
    for step in steps:
        if step[0] == "issue":
            codes.append(ok(api.issue(k, c["id"], step[1]), 201)["code"])
        elif step[0] == "redeem":
            r = api.redeem(k, codes[step[1] % len(codes)], amount=step[2])
            assert r.status_code in (200, 422), r.body  # 422: not that much left
        elif step[0] == "tick":
            stopped_clock.tick(step[1] * 60)
        else:
            stopped_clock.tick(-step[1])
            ok(api.issue(k, c["id"], 1_000), 201)
            stopped_clock.tick(step[1])
    stopped_clock.tick(61)
    expected = recount(c["id"])
    assert counted(series(api, k, c["id"])) == expected
    total = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=k).json_body["gifts"]
    assert total["issued"]["count"] == sum(v["issued"] for v in expected.values())
    assert total["redeemed"]["amount"] == sum(v["amount"] for v in expected.values())
