"""A single issue's or a win's day-row figures ride on the shard the move writes anyway
(issue 26: `money.tallies.EXPIRY`), and go to the gift's day row when a move of a
later expiry day rolls them there. No count is lost or doubled across a roll,
whoever races; redemptions and voids of gifts still counted on the shard add up in
any order; the report stays exact while shards roll; items written before (shards
without the attributes, day rows counted at issue) keep counting."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from botocore.client import BaseClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.money import budget_shards, tallies
from chalicelib.store.models import DayModel, ShardModel
from chalicelib.store.transactions import Txn
from tests.helpers import iso, ok, stored_gifts, stored_redemptions, until_final

DAY = timedelta(days=1)
WINS = {"segments": [{"id": "win", "label": "10.000d", "weight": 1,
                      "prize": {"amount": 10_000}},
                     {"id": "none", "label": "Next time", "weight": 0, "prize": None}],
        "fallback_segment_id": "none"}
FIGURES = ("issued", "redeemed", "voided", "expired")


def day_rows(campaign_id: str) -> dict[tuple[str, str], DayModel]:
    return {(r.pk.removeprefix(campaign_id), r.day): r
            for r in DayModel.scan(consistent_read=True) if r.pk.startswith(campaign_id)}


def shards(campaign_id: str) -> list[ShardModel]:
    return [s for s in ShardModel.scan(consistent_read=True) if s.pk.startswith(campaign_id)]


def held(campaign_id: str) -> dict[str, tuple[str | None, int, int]]:
    """Shard -> (expiry day, gifts, amount) it holds, for those holding any."""
    return {s.pk.removeprefix(campaign_id): (s.xd, int(s.xn or 0), int(s.xa or 0))
            for s in shards(campaign_id) if s.xd is not None}


def figures(api, key: str, campaign_id: str) -> dict:
    r = api.call("GET", f"/v1/campaigns/{campaign_id}/report", key=key)
    assert r.status_code == 200, r.body
    return {k: r.json_body["gifts"][k] for k in FIGURES}


def recount(campaign_id: str, now: datetime) -> dict:
    """The report's gift figures from the stored gifts and redemptions."""
    gifts = stored_gifts(campaign_id=campaign_id)
    redemptions = [amount for g in gifts for _, amount in stored_redemptions(g.id)]
    voided = [g for g in gifts if g.status == "voided"]
    expired = [g for g in gifts if g.status == "active" and g.expires_at <= iso(now)]
    return {"issued": {"count": len(gifts), "amount": sum(int(g.amount) for g in gifts)},
            "redeemed": {"count": len(redemptions), "amount": sum(redemptions)},
            "voided": {"count": len(voided), "amount": sum(int(g.balance) for g in voided)},
            "expired": {"count": len(expired),
                        "amount": sum(int(g.balance) for g in expired)}}


def per_day(campaign_id: str) -> dict[str, tuple[int, int, int, int]]:
    """Expiry day -> (issued, issued amount, open, open amount): the day rows and what
    the shards hold, summed."""
    out: Counter[tuple[str, str]] = Counter()
    for (_, day), r in day_rows(campaign_id).items():
        for name in ("issued_n", "issued_amt", "open_n", "open_amt"):
            out[day, name] += int(getattr(r, name) or 0)
    for day, counts in tallies.held_days(shards(campaign_id)).items():
        for name, n in counts.items():
            out[day, name] += n
    days = {day for day, _ in out}
    return {d: (out[d, "issued_n"], out[d, "issued_amt"], out[d, "open_n"], out[d, "open_amt"])
            for d in days if any(out[d, n] for n in ("issued_n", "open_n", "open_amt"))}


def per_day_recount(campaign_id: str) -> dict[str, tuple[int, int, int, int]]:
    out: dict[str, list[int]] = {}
    for g in stored_gifts(campaign_id=campaign_id):
        slot = out.setdefault(g.expiry_day, [0, 0, 0, 0])
        slot[0] += 1
        slot[1] += int(g.amount)
        if g.status == "active":  # a balance left, expired or not
            slot[2] += 1
            slot[3] += int(g.balance)
    return {d: (a, b, c, e) for d, (a, b, c, e) in out.items()}


def exact(api, key: str, campaign_id: str, now: datetime) -> None:
    assert figures(api, key, campaign_id) == recount(campaign_id, now)
    assert per_day(campaign_id) == per_day_recount(campaign_id)


def utc_campaign(api, key: str, clock, **overrides) -> dict:
    """A UTC campaign whose gifts expire at the end of the day after issue."""
    return api.campaign(key, timezone="UTC", gift_expiry_days=1, budget=100_000_000,
                        starts_at=iso(clock.at - DAY), **overrides)


def test_issues_and_wins_of_one_expiry_day_write_no_day_row_and_the_report_counts_them(
        api, partner, stopped_clock, one_shard):
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock, wheel=WINS)
    tok = api.player_token(k, c["id"], "zalo:84900000001")  # before the clock moves
    stopped_clock.at = stopped_clock.at.replace(hour=10, minute=0)
    g = ok(api.issue(k, c["id"], 50_000), 201)
    ok(api.spin(tok), 201)
    assert day_rows(c["id"]) == {}  # both gifts' figures ride on the shard
    (day,) = {x.expiry_day for x in stored_gifts(campaign_id=c["id"])}
    assert held(c["id"]) == {"#00": (day, 2, 60_000)}
    exact(api, k, c["id"], stopped_clock.at)
    assert figures(api, k, c["id"])["issued"] == {"count": 2, "amount": 60_000}
    stopped_clock.tick(3 * 86_400)  # both expired, still counted on the shard only
    assert figures(api, k, c["id"])["expired"] == {"count": 2, "amount": 60_000}
    exact(api, k, c["id"], stopped_clock.at)
    assert g["expires_at"] <= iso(stopped_clock.at)


def test_the_first_move_of_a_later_expiry_day_rolls_the_held_counts_into_their_day_row(
        api, partner, stopped_clock, one_shard):
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock, wheel=WINS)
    tok = api.player_token(k, c["id"], "zalo:84900000001")
    stopped_clock.at = stopped_clock.at.replace(hour=23, minute=59, second=59,
                                                microsecond=900_000)
    first = ok(api.issue(k, c["id"], 7_000), 201)
    ok(api.issue(k, c["id"], 3_000), 201)
    exact(api, k, c["id"], stopped_clock.at)
    stopped_clock.tick(0.1)  # the next local day: its gifts expire a day later
    ok(api.spin(tok), 201)  # a win rolls the shard, as an issue does
    d1 = first["expires_at"][:10]
    (d2,) = {g.expiry_day for g in stored_gifts(campaign_id=c["id"])} - {d1}
    rows = day_rows(c["id"])
    assert set(rows) == {("#00", d1)}
    row = rows["#00", d1]
    assert (row.issued_n, row.issued_amt, row.open_n, row.open_amt) == (2, 10_000, 2, 10_000)
    assert held(c["id"]) == {"#00": (d2, 1, 10_000)}
    exact(api, k, c["id"], stopped_clock.at)
    stopped_clock.at = datetime.fromisoformat(first["expires_at"].replace("Z", "+00:00"))
    assert figures(api, k, c["id"])["expired"] == {"count": 2, "amount": 10_000}
    exact(api, k, c["id"], stopped_clock.at)


def test_redemptions_and_voids_of_gifts_still_counted_on_the_shard_add_up_in_any_order(
        api, partner, stopped_clock, one_shard):
    """The day row's redeemed, voided and open figures are sums: a redemption or void
    may reach the row before the issue's counts do (open goes below zero meanwhile)."""
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock)
    stopped_clock.at = stopped_clock.at.replace(hour=12, minute=0)
    a, b, v = (ok(api.issue(k, c["id"], n), 201)["code"] for n in (10_000, 20_000, 30_000))
    ok(api.redeem(k, a, amount=4_000))
    ok(api.redeem(k, b))  # the whole balance
    ok(api.call("POST", f"/v1/gifts/{v}/void", key=k, idem=str(uuid.uuid4())))
    ((_, row),) = day_rows(c["id"]).items()
    assert (row.issued_n, row.open_n, row.open_amt) == (0, -2, -54_000)
    exact(api, k, c["id"], stopped_clock.at)
    stopped_clock.tick(86_400)
    ok(api.issue(k, c["id"], 5_000), 201)  # rolls the three gifts' counts into the row
    ((_, row),) = [(d, r) for d, r in day_rows(c["id"]).items() if r.issued_n]
    assert (row.issued_n, row.issued_amt, row.open_n, row.open_amt) == (3, 60_000, 1, 6_000)
    exact(api, k, c["id"], stopped_clock.at)
    ok(api.redeem(k, a, amount=1_000))  # after the roll, on the same row
    stopped_clock.tick(86_400)  # a's day is past: 5,000 left on it, expired
    assert figures(api, k, c["id"])["expired"] == {"count": 1, "amount": 5_000}
    exact(api, k, c["id"], stopped_clock.at)


def test_a_late_issue_of_an_expiry_day_the_shard_has_left_writes_its_own_day_row(
        api, partner, stopped_clock, one_shard):
    """A Lambda whose clock is a moment behind, after the shard moved on: its gift
    counts in its own day row directly, and the shard keeps the later day."""
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock)
    before = stopped_clock.at.replace(hour=23, minute=59, second=59, microsecond=900_000)
    stopped_clock.at = before
    first = ok(api.issue(k, c["id"], 1_000), 201)
    stopped_clock.tick(0.2)
    ok(api.issue(k, c["id"], 2_000), 201)  # rolls the first into its row
    stopped_clock.at = before
    ok(api.issue(k, c["id"], 4_000), 201)  # late: straight to its row
    d1 = first["expires_at"][:10]
    row = day_rows(c["id"])["#00", d1]
    assert (row.issued_n, row.issued_amt) == (2, 5_000)
    assert held(c["id"])["#00"][1:] == (1, 2_000)
    exact(api, k, c["id"], stopped_clock.at)


@pytest.mark.parametrize("when", ["before the day rows", "after the day rows"])
def test_the_report_is_exact_while_a_shard_rolls_between_its_reads(
        api, partner, stopped_clock, one_shard, monkeypatch, when):
    """A move that rolls the shard's expiry day into its row while the report reads:
    after it read the shards and before the day rows (the row then shows the rolled
    counts: the shard's first read must not count them again), or after the day rows
    and before the shards' second read (the row read shows nothing of them: they must
    not be lost). Either way, counted once."""
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock)
    stopped_clock.at = stopped_clock.at.replace(hour=12, minute=0)
    ok(api.issue(k, c["id"], 7_000), 201)
    stopped_clock.tick(86_400)  # the next day: the shard still holds the last one's
    rolled: list[int] = []
    days_read: list[int] = []
    original = BaseClient._make_api_call

    def make_api_call(client: BaseClient, operation: str, params: dict) -> object:
        """Before the report's first Query of day rows, or its first read of the shards
        after them: a move of the next expiry day, in another thread, which rolls the
        shard's held counts into their row."""
        table = params.get("TableName", "") or "".join(params.get("RequestItems", {}))
        if operation == "Query" and table.endswith("-campaign-days"):
            days_read.append(1)
            now = when == "before the day rows" and len(days_read) == 1
        else:
            now = when == "after the day rows" and operation == "BatchGetItem" \
                and table.endswith("-campaign-shards") and len(days_read) > 0
        if now and not rolled:
            rolled.append(1)
            mover = threading.Thread(target=lambda: ok(api.issue(k, c["id"], 9_000), 201))
            mover.start()
            mover.join()
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    shown = figures(api, k, c["id"])
    assert rolled
    monkeypatch.setattr(BaseClient, "_make_api_call", original)
    assert len(day_rows(c["id"])) == 1  # the roll did happen mid-way
    assert shown["issued"] == {"count": 2, "amount": 16_000}
    exact(api, k, c["id"], stopped_clock.at)


def test_a_shard_and_day_rows_written_before_keep_counting(
        api, partner, stopped_clock, one_shard):
    """A deployed stack's items: gifts counted in their day row at issue, and a shard
    without the expiry-day attributes. New issues start the shard on their day; the
    report counts each gift once."""
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock)
    stopped_clock.at = stopped_clock.at.replace(hour=12, minute=0)
    old = ok(api.issue(k, c["id"], 8_000), 201)
    # as the issue wrote them before: its day row counted, nothing held on the shard
    (key,) = held(c["id"])
    txn = Txn()
    budget_shards.count_day(txn, c["id"] + key, old["expires_at"][:10],
                            **budget_shards.issue_deltas(1, 8_000))
    txn.commit()
    S = ShardModel
    S(pk=c["id"] + key).update(actions=[S.xd.remove(), S.xv.remove(), S.xn.remove(),
                                        S.xa.remove()])
    assert held(c["id"]) == {}
    exact(api, k, c["id"], stopped_clock.at)
    ok(api.issue(k, c["id"], 2_000), 201)  # the old shard takes its first held counts
    assert held(c["id"])["#00"][1:] == (1, 2_000)
    ok(api.redeem(k, old["code"], amount=3_000))
    exact(api, k, c["id"], stopped_clock.at)
    stopped_clock.tick(86_400)
    ok(api.issue(k, c["id"], 1_000), 201)  # rolls onto the row counted before
    row = day_rows(c["id"])["#00", old["expires_at"][:10]]
    assert (row.issued_n, row.issued_amt, row.open_n, row.open_amt) == (2, 10_000, 2, 7_000)
    exact(api, k, c["id"], stopped_clock.at)


@pytest.mark.slow
def test_racing_moves_across_expiry_days_lose_and_double_no_count(
        api, partner, stopped_clock, one_shard, conflicts):
    """Twelve threads issue, win, redeem and void on one shard while the clock passes
    three local days: the report and every expiry day's figures equal a recount."""
    k = partner["key"]
    c = utc_campaign(api, k, stopped_clock, wheel=WINS)
    players = [api.player_token(k, c["id"], f"zalo:849000000{i:02}") for i in range(90)]
    stopped_clock.at = stopped_clock.at.replace(hour=6, minute=0)
    base = [ok(api.issue(k, c["id"], 100_000), 201)["code"] for _ in range(6)]
    lock = threading.Lock()
    issued: list[str] = []

    def move(i: int) -> None:
        if i % 10 == 9:
            with lock:
                stopped_clock.tick(9 * 3600)  # a day every third tick or so
        idem = str(uuid.uuid4())
        if i % 6 == 3:  # a win, on a player of its own
            r = until_final(lambda: api.spin(players[i], idem=idem))
            assert r.status_code == 201 and r.json_body["gift"], r.body
        elif i % 3 == 1:
            until_final(lambda: api.redeem(k, base[i % 6], idem=idem, amount=100))
        elif i % 3 == 2 and issued:
            code = issued[i % len(issued)]
            r = until_final(lambda: api.call("POST", f"/v1/gifts/{code}/void", key=k,
                                             idem=idem))
            assert r.status_code in (200, 409), r.body  # 409: voided already
        else:
            r = until_final(lambda: api.issue(k, c["id"], 1_000 + i, idem=idem))
            assert r.status_code == 201, r.body
            issued.append(r.json_body["code"])

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(move, range(90)))
    assert len({g.expiry_day for g in stored_gifts(campaign_id=c["id"])}) >= 3
    exact(api, k, c["id"], stopped_clock.at)
    stopped_clock.tick(3 * 86_400)  # some expired
    exact(api, k, c["id"], stopped_clock.at)


STEPS = st.lists(st.one_of(
    st.tuples(st.just("issue"), st.integers(1, 50_000)),
    st.tuples(st.just("redeem"), st.integers(0, 20), st.integers(0, 5_000)),
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(st.just("tick"), st.integers(1, 30)),  # hours
    st.tuples(st.just("late"), st.integers(1, 90))),  # an issue this many seconds behind
    min_size=1, max_size=12)


@pytest.mark.slow
@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_any_walk_over_days_keeps_the_report_equal_to_a_recount(
        api, partner, stopped_clock, one_shard, steps):
    """Issues, redemptions and voids on one shard, the clock moving on by hours or an
    issue stamped a little behind: the report, and every expiry day's figures, always
    equal a recount."""
    k = partner["key"]
    stopped_clock.at = stopped_clock.at.replace(hour=20, minute=0, second=0, microsecond=0)
    c = utc_campaign(api, k, stopped_clock)
    codes = [ok(api.issue(k, c["id"], 100_000), 201)["code"]]
    for step in steps:
        if step[0] == "issue":
            codes.append(ok(api.issue(k, c["id"], step[1]), 201)["code"])
        elif step[0] == "redeem":
            r = api.redeem(k, codes[step[1] % len(codes)],
                           **({"amount": step[2]} if step[2] else {}))
            assert r.status_code in (200, 409, 422), r.body  # spent, expired, too much
        elif step[0] == "void":
            r = api.call("POST", f"/v1/gifts/{codes[step[1] % len(codes)]}/void", key=k,
                         idem=str(uuid.uuid4()))
            assert r.status_code in (200, 409), r.body
        elif step[0] == "tick":
            stopped_clock.tick(step[1] * 3600)
        else:
            stopped_clock.tick(-step[1])
            codes.append(ok(api.issue(k, c["id"], 1_000), 201)["code"])
            stopped_clock.tick(step[1])
        exact(api, k, c["id"], stopped_clock.at)
