"""The report is kept by counters; it must equal a recount of the gifts."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.core import config
from tests.helpers import count_data_calls, stored_gifts, stored_redemptions

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(1, 40_000)),
        st.tuples(st.just("redeem"), st.integers(0, 30), st.integers(0, 20_000)),
        st.tuples(st.just("void"), st.integers(0, 30)),
    ),
    min_size=1, max_size=25)


def _recount(campaign_id: str) -> dict:
    gifts = stored_gifts(campaign_id=campaign_id)
    redemptions = [amount for g in gifts for _, amount in stored_redemptions(g.id)]
    voided = [g for g in gifts if g.status == "voided"]
    issued_amount = sum(int(g.amount) for g in gifts)
    return {
        "issued": {"count": len(gifts), "amount": issued_amount},
        "redeemed": {"count": len(redemptions), "amount": sum(redemptions)},
        "voided": {"count": len(voided), "amount": sum(int(g.balance) for g in voided)},
        "expired": {"count": 0, "amount": 0},
        "spent": issued_amount - sum(int(g.balance) for g in voided),
    }


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_report_matches_a_recount_after_any_mix_of_issue_redeem_void(api, partner, ops):
    key = partner["key"]
    c = api.campaign(key, budget=300_000)
    codes: list[str] = []
    for op in ops:
        if op[0] == "issue":
            r = api.issue(key, c["id"], op[1])
            assert r.status_code in (201, 409)
            if r.status_code == 201:
                codes.append(r.json_body["code"])
        elif codes and op[0] == "redeem":
            body = {"amount": op[2]} if op[2] else {}
            r = api.call("POST", f"/v1/gifts/{codes[op[1] % len(codes)]}/redeem", body,
                         key=key, idem=str(uuid.uuid4()))
            assert r.status_code in (200, 409, 422), r.body
        elif codes and op[0] == "void":
            r = api.call("POST", f"/v1/gifts/{codes[op[1] % len(codes)]}/void", key=key,
                         idem=str(uuid.uuid4()))
            assert r.status_code in (200, 409), r.body
    report = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=key).json_body
    expected = _recount(c["id"])
    shown = ("issued", "redeemed", "voided", "expired")  # held, reversed: tests/test_holds.py
    assert {k: report["gifts"][k] for k in shown} == {k: expected[k] for k in shown}
    assert report["budget"]["spent"] == expected["spent"]
    assert report["budget"]["spent"] + report["budget"]["remaining"] == 300_000
    issued = expected["issued"]["amount"]
    rate = round(expected["redeemed"]["amount"] / issued, 6) if issued else 0.0
    assert report["redemption_rate"] == rate


@pytest.mark.slow
def test_report_reads_the_same_whatever_the_campaign_size(api, partner, monkeypatch):
    key = partner["key"]
    c = api.campaign(key)
    for _ in range(5):
        api.issue(key, c["id"], 1000)
    calls = count_data_calls(monkeypatch)
    r = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=key)
    assert r.status_code == 200 and r.json_body["gifts"]["issued"]["count"] == 5
    small = sorted(calls)
    for _ in range(60):
        api.issue(key, c["id"], 1000)
    calls.clear()
    r = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=key)
    assert r.status_code == 200 and r.json_body["gifts"]["issued"]["count"] == 65
    # the campaign, its shards in one batch before the day rows and one after (what
    # they hold of the day rows: reports.figures), one Query of day rows per shard and
    # one of the campaign's hold marks (no hold: no Query of hold buckets)
    assert sorted(calls) == small
    shards = config.settings().campaign_shards
    assert sorted(calls) == sorted(["GetItem"] + ["BatchGetItem"] * 2
                                   + ["Query"] * (shards + 1))
