"""Insights: time series, prize structure, exports and the results report.

Every figure is checked against a recount of the stored spins, gifts and
redemptions, across several local days (time travel with `later`)."""

from __future__ import annotations

import csv
import io
import math
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import boto3
import msgspec
import pytest

from chalicelib.core import config, fair_draw, periods
from chalicelib.insights import exports
from chalicelib.play import spins
from chalicelib.store import jobs
from chalicelib.store.models import CampaignModel, SpinModel
from chalicelib.store.records import ExportModel
from devtools import verify_fairness
from tests.helpers import (
    HANG,
    assert_problem,
    count_data_calls,
    ok,
    stored_gifts,
    stored_redemptions,
)

TZ = "Asia/Kathmandu"  # +05:45: its hours start at :15 UTC
WHEEL = {
    "segments": [
        {"id": "big", "label": "Voucher 100.000đ", "weight": 1, "prize": {"amount": 100_000},
         "inventory": 50},
        {"id": "small", "label": "Voucher 20.000đ", "weight": 30, "prize": {"amount": 20_000}},
        {"id": "none", "label": "Chúc may mắn", "weight": 69, "prize": None},
    ],
    "fallback_segment_id": "none",
}
ALWAYS_WIN = {
    "segments": [
        {"id": "a", "label": "Giải Nhất 1.500.000đ", "weight": 1,
         "prize": {"amount": 1_500_000}, "inventory": 3},
        {"id": "b", "label": "Giải Nhì 250.000đ", "weight": 1, "prize": {"amount": 250_000}},
        {"id": "none", "label": "Chúc may mắn", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
}


@pytest.fixture(autouse=True)
def _fresh_s3():
    exports.reset()
    yield
    exports.reset()


def all_spins(api, key, cid):
    return list(api.pages(f"/v1/campaigns/{cid}/spins?limit=100", key=key))


def recount(api, key, cid, granularity):
    """The series rebuilt from the stored records (not from any counter)."""
    zone = ZoneInfo(TZ)

    def period(stamp: str) -> str:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        local = moment.astimezone(zone)
        start = local.replace(minute=0, second=0) if granularity == "hour" else \
            local.replace(hour=0, minute=0, second=0)
        return start.isoformat()

    rows = defaultdict(lambda: {"issued": [0, 0], "redeemed": [0, 0], "spins": 0, "wins": 0,
                                "players": set()})
    for s in all_spins(api, key, cid):
        p = rows[period(s["spun_at"])]
        p["spins"] += 1
        p["wins"] += 1 if s["prize"] else 0
        p["players"].add(s["player_id"])
    for g in stored_gifts(campaign_id=cid):
        rows[period(g.issued_at)]["issued"][0] += 1
        rows[period(g.issued_at)]["issued"][1] += int(g.amount)
        for redeemed_at, amount in stored_redemptions(g.id):
            rows[period(redeemed_at)]["redeemed"][0] += 1
            rows[period(redeemed_at)]["redeemed"][1] += amount
    # no reversal here: test_totals_and_series_both_net_reversals… counts them
    return {k: {"issued": {"count": v["issued"][0], "amount": v["issued"][1]},
                "redeemed": {"count": v["redeemed"][0], "amount": v["redeemed"][1]},
                "reversed": {"count": 0, "amount": 0},
                "spins": v["spins"], "wins": v["wins"], "players": len(v["players"])}
            for k, v in rows.items()}


@pytest.mark.slow
def test_series_equal_a_recount_across_local_days(api, partner, later):
    key = partner["key"]
    c = api.campaign(key, wheel=WHEEL, timezone=TZ, budget=50_000_000)
    codes: list[str] = []
    players = [f"zalo:8490{i:07d}" for i in range(6)]
    # tokens are checked against the real clock: mint them before travelling
    tokens = {p: api.player_token(key, c["id"], p) for p in players}
    for step, hours in enumerate((0, 3, 21, 22, 26, 47, 49)):
        later(timedelta(hours=hours, minutes=7 * step))
        for player in players[step % 3: step % 3 + 4]:
            tok = tokens[player]
            for _ in range(1 + step % 2):
                s = ok(api.spin(tok), 201)
                if s["gift"]:
                    codes.append(s["gift"]["code"])
        r = api.issue(key, c["id"], 30_000 + step)
        assert r.status_code == 201
        codes.append(r.json_body["code"])
        if len(codes) > 2:
            ok(api.redeem(key, codes[-3], amount=1_000))  # partial: counts as one redemption
    later(timedelta(hours=50))
    for granularity in ("day", "hour"):
        r = api.call("GET", f"/v1/campaigns/{c['id']}/report?granularity={granularity}",
                     key=key)
        assert r.status_code == 200, r.body
        body = r.json_body
        assert body["granularity"] == granularity and body["timezone"] == TZ
        series = {p.pop("period_start"): p for p in body["series"]}
        expected = recount(api, key, c["id"], granularity)
        assert {k: v for k, v in series.items() if v["spins"] or v["issued"]["count"]
                or v["redeemed"]["count"]} == expected
        assert set(expected) <= set(series)
        # the totals agree with the report's own counters
        assert sum(p["spins"] for p in series.values()) == body["spins"]["count"]
        assert sum(p["issued"]["count"] for p in series.values()) == \
            body["gifts"]["issued"]["count"]
        if granularity == "day":  # every local day from the start to now, even quiet ones
            days = [datetime.fromisoformat(k).date() for k in series]
            assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
            assert len(days) in (3, 4)  # 50 hours span 3 or 4 local dates
            assert all(k.endswith("T00:00:00+05:45") for k in series)
    csv_text = api.call("GET", f"/v1/campaigns/{c['id']}/report.csv", key=key).body.decode()
    lines = list(csv.reader(io.StringIO(csv_text)))
    assert lines[0] == list(("period_start", "issued_count", "issued_amount", "redeemed_count",
                             "redeemed_amount", "spins", "wins", "players", "reversed_count",
                             "reversed_amount"))
    day = api.call("GET", f"/v1/campaigns/{c['id']}/report?granularity=day",
                   key=key).json_body["series"]
    assert [[p["period_start"], str(p["issued"]["count"]), str(p["issued"]["amount"]),
             str(p["redeemed"]["count"]), str(p["redeemed"]["amount"]), str(p["spins"]),
             str(p["wins"]), str(p["players"]), str(p["reversed"]["count"]),
             str(p["reversed"]["amount"])] for p in day] == lines[1:]
    # a window: one local day, given as a date
    first = next(iter(expected))[:10]
    one = api.call("GET", f"/v1/campaigns/{c['id']}/report?granularity=hour&from={first}"
                          f"&to={first}", key=key).json_body["series"]
    assert len(one) == 24 and one[0]["period_start"] == f"{first}T00:00:00+05:45"


def test_series_windows_are_capped(api, partner):
    key = partner["key"]
    c = api.campaign(key, timezone=TZ)
    base = f"/v1/campaigns/{c['id']}/report"
    for query in ("granularity=week", "granularity=hour&from=2027-01-01&to=2027-03-01",
                  "granularity=day&from=2027-01-01&to=2028-03-01", "granularity=day&from=x",
                  "granularity=day&from=2027-02-01&to=2027-01-01"):
        assert_problem(api.call("GET", f"{base}?{query}", key=key), 422, "validation_error")
    r = api.call("GET", f"{base}?granularity=day&from=2027-01-01&to=2028-01-31", key=key)
    assert r.status_code == 200 and len(r.json_body["series"]) == 396


@pytest.mark.slow
def test_a_player_is_counted_once_per_hour_and_day_however_they_race(api, partner):
    key = partner["key"]
    c = api.campaign(key, wheel=WHEEL, timezone=TZ)
    tok = api.player_token(key, c["id"], "racer")
    other = api.player_token(key, c["id"], "calm")
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(lambda _: ok(api.spin(tok), 201), range(16)))
    ok(api.spin(other), 201)
    assert len({s["fairness"]["nonce"] for s in done}) == 16
    body = api.call("GET", f"/v1/campaigns/{c['id']}/report?granularity=hour",
                    key=key).json_body
    busy = {p["period_start"]: p["players"] for p in body["series"] if p["spins"]}
    assert sum(p["spins"] for p in body["series"]) == 17
    expected = recount(api, key, c["id"], "hour")
    assert busy == {k: v["players"] for k, v in expected.items()}
    assert sum(busy.values()) in (2, 3)  # 3 only if the race straddled an hour


def test_the_series_is_a_bounded_number_of_reads(api, partner, monkeypatch):
    key = partner["key"]
    c = api.campaign(key, timezone=TZ)
    for _ in range(3):
        api.issue(key, c["id"], 1000)
    calls = count_data_calls(monkeypatch)
    r = api.call("GET", f"/v1/campaigns/{c['id']}/report?granularity=hour", key=key)
    assert r.status_code == 200
    shards = config.settings().campaign_shards
    # per shard: its day rows, its hour rows and its redemptions' hour rows; one Query
    # of the campaign's hold marks (no hold was made: no hold bucket is read); the
    # shards before and after the day rows (what they hold of them); then the shards
    # and their day rows once more (the hour counts not rolled into rows yet, read
    # before and after the rows)
    assert sorted(calls) == sorted(["GetItem"] + ["BatchGetItem"] * 3
                                   + ["Query"] * (4 * shards + 1))


@pytest.mark.slow
def test_totals_and_series_both_net_reversals_out_of_the_amount_redeemed(api, partner,
                                                                           later):
    """Redeemed 120,000 and 100,000 (a prize) on day one, 45,000 and 30,000 reversed on
    day two: the totals and the series agree, net, with the reversals on their own."""
    key = partner["key"]
    c = api.campaign(key, wheel=ALWAYS_WIN, timezone=TZ, budget=20_000_000)
    plain = ok(api.issue(key, c["id"], 120_000), 201)
    won = ok(api.spin(api.player_token(key, c["id"], "zalo:84901112223")), 201)
    redemptions = [ok(api.redeem(key, plain["code"], amount=120_000))["redemption"],
                   ok(api.redeem(key, won["gift"]["code"], amount=100_000))["redemption"]]
    later(timedelta(days=1))
    for red, amount in zip(redemptions, (45_000, 30_000), strict=True):
        ok(api.call("POST", f"/v1/redemptions/{red['id']}/reversals", {"amount": amount},
                    key=key, idem=str(uuid.uuid4())), 201)
    path = f"/v1/campaigns/{c['id']}/report"
    rep = ok(api.call("GET", f"{path}?granularity=day", key=key))
    totals = rep["gifts"]
    assert totals["redeemed"] == {"count": 2, "amount": 220_000 - 75_000}
    assert totals["reversed"] == {"count": 2, "amount": 75_000}
    days = [p for p in rep["series"] if p["redeemed"]["count"] or p["reversed"]["count"]]
    assert [(p["redeemed"], p["reversed"]) for p in days] == [
        ({"count": 2, "amount": 220_000}, {"count": 0, "amount": 0}),
        ({"count": 0, "amount": -75_000}, {"count": 2, "amount": 75_000})]
    for granularity in ("day", "hour"):
        points = ok(api.call("GET", f"{path}?granularity={granularity}",
                             key=key))["series"]
        for figure in ("redeemed", "reversed"):
            assert {name: sum(p[figure][name] for p in points) for name in
                    ("count", "amount")} == totals[figure], (granularity, figure)
    text = api.call("GET", f"/v1/campaigns/{c['id']}/report.csv?granularity=day",
                    key=key).body.decode()
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["reversed_count"] != "0"]
    assert [(r["redeemed_amount"], r["reversed_amount"]) for r in rows] == [("-75000",
                                                                              "75000")]
    later(timedelta(days=31))  # the prize's claimed value is net too
    by = {p["segment_id"]: p for p in ok(api.call(
        "GET", f"/v1/campaigns/{c['id']}/results-report", key=key))["prizes"]}
    prize = by[won["segment_id"]]
    assert prize["claimed"] == {"count": 1, "amount": 70_000}
    assert prize["unclaimed_value"] == won["prize"]["amount"] - 70_000


# ------------------------------------------------------------ prize structure


def test_prize_structure_lists_what_a_dossier_needs(api, partner):
    key = partner["key"]
    c = api.campaign(key, wheel=WHEEL, timezone="Asia/Ho_Chi_Minh", budget=3_000_000)
    r = api.call("GET", f"/v1/campaigns/{c['id']}/prize-structure", key=key)
    assert r.status_code == 200, r.body
    p = r.json_body
    assert p["timezone"] == "Asia/Ho_Chi_Minh" and p["starts_local"].endswith("+07:00")
    big, small = p["prizes"]
    assert (big["value"], big["quantity"], big["quantity_basis"], big["total_value"]) == \
        (100_000, 30, "budget", 3_000_000)  # 50 in stock, but the budget pays 30
    assert (small["quantity"], small["quantity_basis"], small["stock"]) == (150, "budget", None)
    assert big["probability"] == 0.01 and small["probability"] == 0.3
    # each row is bounded by the budget on its own: together they pay twice the budget,
    # which the campaign can never do; both figures are given, named
    assert (p["prizes_total"], p["budget_cap"], p["capped_by_budget"]) == (6_000_000,
                                                                         3_000_000, True)
    assert p["total_prize_value"] == 3_000_000
    text = api.call("GET", f"/v1/campaigns/{c['id']}/prize-structure.csv", key=key).body
    rows = list(csv.reader(io.StringIO(text.decode())))
    assert rows[1][:6] == ["big", "Voucher 100.000đ", "100000", "30", "budget", "3000000"]
    assert [(r[0], r[5]) for r in rows[-3:]] == [
        ("prizes_total", "6000000"), ("budget_cap", "3000000"), ("total", "3000000")]
    roomy = api.campaign(key, wheel=ALWAYS_WIN, budget=10_000_000)  # "a" has 3 in stock
    q = ok(api.call("GET", f"/v1/campaigns/{roomy['id']}/prize-structure", key=key))
    assert q["prizes_total"] == 3 * 1_500_000 + 40 * 250_000 > q["budget_cap"] == 10_000_000
    small = api.campaign(key, wheel={**WHEEL, "segments": [
        {**WHEEL["segments"][0], "inventory": 5}, {**WHEEL["segments"][1], "inventory": 10},
        WHEEL["segments"][2]]}, budget=3_000_000)
    s = ok(api.call("GET", f"/v1/campaigns/{small['id']}/prize-structure", key=key))
    assert (s["prizes_total"], s["capped_by_budget"], s["total_prize_value"]) == (
        700_000, False, 700_000)
    plain = api.campaign(key)
    assert_problem(api.call("GET", f"/v1/campaigns/{plain['id']}/prize-structure", key=key),
                   409, "campaign_has_no_wheel")


# ------------------------------------------------------------- results report


@pytest.mark.slow
def test_results_report_of_a_finished_campaign_gives_exact_amounts(api, partner, later):
    key = partner["key"]
    c = api.campaign(key, wheel=ALWAYS_WIN, timezone="Asia/Ho_Chi_Minh", budget=20_000_000,
                     gift_expiry_days=10)
    won: list[dict] = []
    for i in range(8):
        won.append(ok(api.spin(api.player_token(key, c["id"], f"player-{i}")), 201))
    a = [s for s in won if s["segment_id"] == "a"]
    b = [s for s in won if s["segment_id"] == "b"]
    assert all(s["gift"] for s in a + b)  # the rest fell back: "a" has 3 in stock
    assert len(a) <= 3 and len(a) + len(b) == 8 - sum(s["fallback"] for s in won)
    claimed = {"a": 0, "b": 0}
    counts = {"a": 0, "b": 0}
    for s in (a[:1] + b[:3]):  # full redemptions
        ok(api.redeem(key, s["gift"]["code"]))
        claimed[s["segment_id"]] += s["prize"]["amount"]
        counts[s["segment_id"]] += 1
    if len(b) > 3:  # a partial one: 100.000 of 250.000
        ok(api.redeem(key, b[3]["gift"]["code"], amount=100_000))
        claimed["b"] += 100_000
        counts["b"] += 1
    if len(b) > 4:  # a voided prize is unclaimed
        r = api.call("POST", f"/v1/gifts/{b[4]['gift']['code']}/void", key=key,
                     idem=str(uuid.uuid4()))
        assert r.status_code == 200
    path = f"/v1/campaigns/{c['id']}/results-report"
    assert_problem(api.call("GET", path, key=key), 409, "campaign_not_ended")
    later(timedelta(days=31))
    r = api.call("GET", path, key=key)
    assert r.status_code == 200, r.body
    rep = r.json_body
    by = {p["segment_id"]: p for p in rep["prizes"]}
    assert set(by) == {"a", "b"}
    for seg, value in (("a", 1_500_000), ("b", 250_000)):
        n = len(a) if seg == "a" else len(b)
        assert by[seg]["awarded"] == {"count": n, "amount": n * value}
        assert by[seg]["claimed"] == {"count": counts[seg], "amount": claimed[seg]}
        assert by[seg]["unclaimed_value"] == n * value - claimed[seg]
    unclaimed = len(a) * 1_500_000 + len(b) * 250_000 - claimed["a"] - claimed["b"]
    assert rep["unclaimed_value"] == unclaimed
    assert rep["state_budget_due"] == math.ceil(unclaimed / 2)
    ends = datetime.strptime(c["ends_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert rep["report_deadline"] == (ends + timedelta(days=45)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert rep["final"] is False  # the last prizes are valid 10 more days
    later(timedelta(days=45))
    assert api.call("GET", path, key=key).json_body["final"] is True
    page = api.call("GET", f"{path}?format=html", key=key)
    assert page.status_code == 200
    text = page.body.decode()
    assert "script" not in text.lower() and "style-src 'sha256-" in page.headers[
        "Content-Security-Policy"]
    # the header names the business that files it, the partner (api.partner's name)
    assert rep["partner_name"] == "Acme Coffee"
    assert "<p class=\"partner\"><strong>Acme Coffee</strong></p>" in text
    assert periods.vn_money(unclaimed) in text and periods.vn_money(
        math.ceil(unclaimed / 2)) in text
    deadline = (ends + timedelta(days=45)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert deadline.strftime("%d/%m/%Y") in text


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parsed(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_a_campaign_ended_early_counts_its_papers_from_the_day_it_ended(api, partner, later):
    """Planned to the end of January, ended on day 3: the period, the 45-day deadline,
    the prize structure and the fairness reveal all count from the actual end."""
    key = partner["key"]
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    c = api.campaign(key, wheel=ALWAYS_WIN, timezone="Asia/Ho_Chi_Minh",
                     ends_at=_iso(datetime.now(UTC) + timedelta(days=60)))
    assert c["ended_at"] is None
    ok(api.spin(api.player_token(key, c["id"], "zalo:84901112223")), 201)
    later(timedelta(days=2))
    asked = datetime.now(UTC) + timedelta(days=2)
    ended = ok(api.call("PATCH", f"/v1/campaigns/{c['id']}", {"status": "ended"}, key=key))
    assert ended["status"] == "ended" and ended["ends_at"] == c["ends_at"]
    at = _parsed(ended["ended_at"])
    assert abs(at - asked) < timedelta(minutes=5) and ended["ended_at"] < c["ends_at"]
    later(timedelta(days=3))
    assert ok(api.call("GET", f"/v1/campaigns/{c['id']}", key=key))["ended_at"] == \
        ended["ended_at"]  # recorded, not recomputed from the clock

    path = f"/v1/campaigns/{c['id']}/results-report"
    rep = ok(api.call("GET", path, key=key))
    assert (rep["ends_at"], rep["ended_at"]) == (c["ends_at"], ended["ended_at"])
    deadline = at + timedelta(days=45)
    assert rep["report_deadline"] == _iso(deadline)
    assert rep["final_at"] < _iso(at + timedelta(days=32))  # 30-day prizes won by the end
    text = api.call("GET", f"{path}?format=html", key=key).body.decode()
    # the last prize's expiry (a local midnight) is written as the minute before it
    last = _parsed(rep["final_at"]).astimezone(zone) - timedelta(minutes=1)
    assert f"còn được nhận đến 23:59 ngày {last:%d/%m/%Y}" in text
    assert f"Hạn gửi báo cáo kết quả: <strong>{deadline.astimezone(zone):%d/%m/%Y}" in text
    assert f"đến\n {at.astimezone(zone):%d/%m/%Y} (kết thúc sớm" in text
    planned = _parsed(c["ends_at"]) - timedelta(seconds=1)
    assert f"dự kiến đến {planned.astimezone(zone):%d/%m/%Y}" in text

    prizes = ok(api.call("GET", f"/v1/campaigns/{c['id']}/prize-structure", key=key))
    assert prizes["ended_at"] == ended["ended_at"]
    assert prizes["ended_local"] == at.astimezone(zone).isoformat()
    fair = ok(api.call("GET", f"/v1/campaigns/{c['id']}/fairness"))
    assert fair["server_seed"] and fair["ended_at"] == ended["ended_at"]


def test_a_campaign_that_ran_to_its_end_ended_at_ends_at(api, partner, later):
    key = partner["key"]
    c = api.campaign(key, wheel=ALWAYS_WIN)
    fair = ok(api.call("GET", f"/v1/campaigns/{c['id']}/fairness"))
    assert (fair["server_seed"], fair["ended_at"]) == (None, None)
    later(timedelta(days=31))
    got = ok(api.call("GET", f"/v1/campaigns/{c['id']}", key=key))
    assert got["status"] == "ended" and got["ended_at"] == c["ends_at"]
    rep = ok(api.call("GET", f"/v1/campaigns/{c['id']}/results-report", key=key))
    assert rep["ended_at"] == c["ends_at"]
    assert rep["report_deadline"] == _iso(_parsed(c["ends_at"]) + timedelta(days=45))
    assert "kết thúc sớm" not in api.call(
        "GET", f"/v1/campaigns/{c['id']}/results-report?format=html", key=key).body.decode()
    assert ok(api.call("GET", f"/v1/campaigns/{c['id']}/fairness"))["ended_at"] == \
        c["ends_at"]


# -------------------------------------------------------------------- exports


def _finish(api, key, export_id, steps=200):
    for n in range(steps):
        if n % 2:
            jobs.sweep([exports.JOB], 5.0)  # the sweeper's path
        else:
            exports.step(export_id)  # the queue consumer's step (raises what fails)
        body = api.call("GET", f"/v1/exports/{export_id}", key=key).json_body
        if body["status"] == "completed":
            return body
    raise AssertionError("the export did not complete")


def _file(api, key, body):
    url = body["download_url"]
    assert url.endswith(f"/v1/exports/{body['id']}/file")
    r = api.call("GET", url[url.index("/v1/"):], key=key)
    assert r.status_code == 200, r.body
    text = r.body.decode()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# What is proved (row for row, every draw verifiable, across many parts and steps)
# depends on the number of parts, not of spins: 700 spins in parts of 20 KB make
# about as many parts as 20,000 in parts of 600 KB, in a thirtieth of the time.
SPINS = 700


@pytest.mark.slow
@pytest.mark.timeout(HANG)  # a guard against a hang, not a bound on speed
def test_an_export_of_many_parts_matches_the_spins_list_row_for_row(api, partner, later,
                                                                     monkeypatch):
    import moto.s3.models

    monkeypatch.setattr(exports, "PART_BYTES", 20_000)  # many parts: the cursor resumes
    monkeypatch.setattr(moto.s3.models, "S3_UPLOAD_PART_MIN_SIZE", 15_000)
    key = partner["key"]
    c = api.campaign(key, wheel=WHEEL, timezone=TZ, budget=10**9)
    real = [ok(api.spin(api.player_token(key, c["id"], f"zalo:8491{i:07d}")), 201)
            for i in range(12)]
    item = CampaignModel.get(c["id"])
    shards = int(item.shards)
    start = datetime.now(UTC) - timedelta(hours=5)
    with SpinModel.batch_write() as batch:  # volume: well-formed, verifiable draws
        for n in range(SPINS):
            player = f"zalo:849{n % 997:08d}"
            nonce = 1000 + n // 997
            d = fair_draw.draw(item.server_seed, player, nonce, WHEEL["segments"])
            at = (start + timedelta(milliseconds=700 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            sid = f"spn_bulk{n:014d}"
            batch.save(SpinModel(
                shard_key=f"{c['id']}#{n % shards:02d}", sort_key=f"{at}#{sid}",
                campaign_id=c["id"], id=sid, player_id=player, segment_id=d.segment_id,
                drawn_segment_id=d.segment_id, fallback=0, client_seed=player, nonce=nonce,
                roll=d.roll, total_weight=d.total_weight, prize_amount=None, spun_at=at))
    later(timedelta(seconds=2))
    r = api.call("POST", f"/v1/campaigns/{c['id']}/exports?unmask=true",
                 {"kind": "draw_log"}, key=key)
    assert r.status_code == 202, r.body
    assert r.json_body["id"].startswith("exp_") and r.json_body["status"] == "queued"
    done = _finish(api, key, r.json_body["id"])
    rows = _file(api, key, done)
    # the spins list, read by the function behind GET /spins in pages of 500 (the API's
    # pages of 100 cost 32 Queries each: 6,400 of them take minutes in moto), and its
    # first API page
    listed, cursor = [], None
    while True:
        page, cursor = spins.list_spins(partner["id"], c["id"], 500, cursor,
                                        reveal_players=True)
        listed += [msgspec.to_builtins(s) for s in page]
        if cursor is None:
            break
    first_page = api.call("GET", f"/v1/campaigns/{c['id']}/spins?limit=100",
                          key=key).json_body["data"]
    assert first_page == listed[:100]
    assert len(rows) == len(listed) == SPINS + 12 == done["rows"]
    # many parts, each written by a step of its own (a multipart object's ETag ends
    # with its number of parts)
    header = ExportModel.get(done["id"], exports.HEADER)
    etag = boto3.client("s3", region_name="us-east-1").head_object(
        Bucket=exports.bucket(), Key=header.s3_key)["ETag"]
    assert int(etag.strip('"').rsplit("-", 1)[1]) >= 5, etag
    for row, s in zip(rows, listed, strict=True):
        assert (row["spin_id"], row["spun_at_utc"], row["player_id"], row["client_seed"],
                int(row["nonce"]), int(row["roll"]), row["drawn_segment_id"],
                row["awarded_segment_id"], int(row["prize_value"])) == (
            s["id"], s["spun_at"], s["player_id"], s["client_seed"], s["nonce"], s["roll"],
            s["drawn_segment_id"], s["segment_id"], (s["prize"] or {}).get("amount", 0))
        assert row["spun_at_local"].endswith("+05:45")
    gift_ids = {s["gift"]["id"] for s in real if s["gift"]}
    assert gift_ids == {row["gift_id"] for row in rows if row["gift_id"]}
    # every draw checks with the published verifier's function
    problems = fair_draw.verify(item.server_seed, item.seed_commitment, WHEEL["segments"],
                            [{"id": r["spin_id"], "client_seed": r["client_seed"],
                              "nonce": int(r["nonce"]), "roll": int(r["roll"]),
                              "total_weight": int(r["total_weight"]),
                              "drawn_segment_id": r["drawn_segment_id"]} for r in rows])
    assert problems == []


@pytest.mark.slow
def test_gift_and_results_exports(api, partner, later):
    key = partner["key"]
    c = api.campaign(key, wheel=ALWAYS_WIN, timezone="Asia/Ho_Chi_Minh", budget=20_000_000)
    s = ok(api.spin(api.player_token(key, c["id"], "zalo:84901112223")), 201)
    ok(api.redeem(key, s["gift"]["code"], amount=50_000))
    api.issue(key, c["id"], 12_345, recipient={"reference": "=cmd|x"})
    assert_problem(api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "results"},
                            key=key), 409, "campaign_not_ended")
    exp = api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "gifts"},
                   key=key).json_body
    assert_problem(api.call("GET", f"/v1/exports/{exp['id']}/file", key=key), 409,
                   "export_not_ready")
    rows = _file(api, key, _finish(api, key, exp["id"]))
    # the draw log masks player ids by default, and the seeds that contain them
    log = api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "draw_log"},
                   key=key).json_body
    line, = _file(api, key, _finish(api, key, log["id"]))
    masked = "zal" + "*" * 10 + "223"
    assert line["player_id"] == masked
    assert line["client_seed"] == f"16:{masked}:"  # v2: len(player):player:seed
    assert line["gift_id"] == s["gift"]["id"] and line["spin_id"] == s["id"]
    rows.sort(key=lambda r: -int(r["amount"]))  # issued within one second: any order
    assert [r["amount"] for r in rows] == [str(s["gift"]["amount"]), "12345"]
    assert rows[0]["redeemed_amount"] == "50000" and rows[0]["spin_id"] == s["id"]
    assert rows[0]["player_id"] == "zal" + "*" * 10 + "223"
    assert rows[1]["reference"] == "'=cmd|x"  # a formula stays text
    other = api.partner("Other")
    assert_problem(api.call("GET", f"/v1/exports/{exp['id']}", key=other["key"]), 404)
    later(timedelta(days=31))
    res = api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "results"},
                   key=key).json_body
    lines = _file(api, key, _finish(api, key, res["id"]))
    assert lines[-1]["segment_id"] == "state_budget_due"
    # once the seed is revealed, the published verifier checks the draw log's rows
    log = api.call("POST", f"/v1/campaigns/{c['id']}/exports?unmask=true",
                   {"kind": "draw_log"}, key=key).json_body
    body = _finish(api, key, log["id"])
    url = body["download_url"]
    text = api.call("GET", url[url.index("/v1/"):], key=key).body.decode()

    def fetch(path: str) -> dict:
        r = api.call("GET", path, key=key)
        assert r.status_code == 200, r.body
        return r.json_body

    checked = verify_fairness.verify_campaign(fetch, c["id"],
                                              verify_fairness.draw_log_spins(text))
    assert checked.ok and checked.spins == 1, checked.summary()
    assert int(lines[-1]["unclaimed_value"]) == math.ceil(
        (s["prize"]["amount"] - 50_000) / 2)


def test_an_export_completes_with_the_stack_in_singapore(api, monkeypatch):
    """Outside us-east-1, S3 refuses a CreateBucket without a LocationConstraint:
    every export of the local stack in ap-southeast-1 used to end `failed`."""
    from chalicelib.store import tables

    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.setenv(name, "ap-southeast-1")
    # a prefix of its own, so its bucket is made here: the module's bucket of the same
    # name, made in us-east-1 by an earlier test, answered for it when run after one
    monkeypatch.setenv("TABLE_PREFIX", "rewards-test-sg")
    config.reset()
    tables.bind()
    tables.create_tables()  # this region's own tables (the module's are in us-east-1)
    exports.reset()
    key = api.partner("Singapore")["key"]
    c = api.campaign(key, wheel=WHEEL)
    spun = ok(api.spin(api.player_token(key, c["id"], "zalo:84901112223")), 201)
    exp = api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "draw_log"},
                   key=key).json_body
    line, = _file(api, key, _finish(api, key, exp["id"]))
    assert line["spin_id"] == spun["id"]
    located = boto3.client("s3", region_name="ap-southeast-1").get_bucket_location(
        Bucket=exports.bucket())
    assert located["LocationConstraint"] == "ap-southeast-1"


def test_an_export_that_keeps_failing_ends_failed(api, partner, monkeypatch):
    key = partner["key"]
    c = api.campaign(key, wheel=WHEEL)
    exp = api.call("POST", f"/v1/campaigns/{c['id']}/exports", {"kind": "draw_log"},
                   key=key).json_body

    def broken(*args, **kwargs):
        raise RuntimeError("S3 is down")

    monkeypatch.setitem(exports.PRODUCERS, "draw_log", (broken, exports.DRAW_LOG_COLUMNS))
    for _ in range(exports.MAX_FAILURES):
        jobs.sweep([exports.JOB], 5.0)
    body = api.call("GET", f"/v1/exports/{exp['id']}", key=key).json_body
    assert body["status"] == "failed" and "RuntimeError" in body["error"]
    assert exp["id"] not in {m.part for m in exports.ExportModel.query(exports.PENDING)}
