"""Gift issuance, lookup, redemption and voids through the HTTP surface."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import codes, config
from chalicelib.money import gifts
from chalicelib.store.models import GiftModel
from tests.helpers import assert_problem, stored_gifts, until_final


def _gift_count(campaign_id: str) -> int:
    return len(stored_gifts(campaign_id=campaign_id))


def test_issued_gift_has_a_valid_grouped_code_and_full_balance(api, partner):
    c = api.campaign(partner["key"])
    r = api.issue(partner["key"], c["id"], 50_000, recipient={"reference": "crm-123",
                                                               "phone": "+84901234567"},
                  metadata={"order": "A-1"})
    assert r.status_code == 201
    g = r.json_body
    assert g["id"].startswith("gft_") and codes.is_valid(g["code"])
    assert len(g["code"]) == 19 and g["code"].count("-") == 3
    assert (g["amount"], g["balance"], g["currency"], g["status"]) == (50_000, 50_000, "VND",
                                                                       "active")
    assert g["recipient"]["reference"] == "crm-123" and g["metadata"] == {"order": "A-1"}
    assert g["expires_at"] > g["issued_at"]


def test_issue_without_idempotency_key_is_400_and_writes_nothing(api, partner):
    c = api.campaign(partner["key"])
    r = api.call("POST", f"/v1/campaigns/{c['id']}/gifts", {"amount": 1000}, key=partner["key"])
    assert r.status_code == 400 and r.json_body["code"] == "idempotency_key_required"
    assert _gift_count(c["id"]) == 0


def test_over_budget_is_409_budget_exhausted_and_writes_nothing(api, partner):
    c = api.campaign(partner["key"], budget=10_000)
    r = api.issue(partner["key"], c["id"], 10_001)
    assert r.status_code == 409 and r.json_body["code"] == "budget_exhausted"
    assert r.headers["Content-Type"] == "application/problem+json"
    assert _gift_count(c["id"]) == 0
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"]["spent"] == 0


def test_not_yet_started_campaign_is_409_campaign_not_active(api, partner):
    now = datetime.now(UTC)
    c = api.campaign(partner["key"], starts_at=(now + timedelta(days=1)).isoformat(),
                     ends_at=(now + timedelta(days=5)).isoformat())
    assert c["status"] == "scheduled"
    r = api.issue(partner["key"], c["id"], 1000)
    assert r.status_code == 409 and r.json_body["code"] == "campaign_not_active"


@pytest.mark.slow
def test_forty_concurrent_issuances_on_a_budget_for_ten_give_exactly_ten(api, partner):
    # given a budget for exactly ten gifts
    c = api.campaign(partner["key"], budget=100_000)
    # when forty requests race (each resending a 503 with its own key, as a client does:
    # on a busy machine a crowd can outlast one request's retries)
    def issue(n: int):
        return until_final(lambda: api.issue(partner["key"], c["id"], 10_000, idem=f"race-{n}"))

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(issue, range(40)))
    # then exactly ten succeed and the budget is spent to the last dong
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 10 and statuses.count(409) == 30
    assert all(r.json_body["code"] == "budget_exhausted" for r in results if r.status_code == 409)
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"] == {"total": 100_000, "spent": 100_000, "remaining": 0}
    assert _gift_count(c["id"]) == 10


# ------------------------------------------------------------------ lookup


def test_lookup_forgives_case_spaces_hyphens_and_lookalikes(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 1000).json_body["code"]
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    r = api.call("GET", f"/v1/gifts/{sloppy}", key=partner["key"])
    assert r.status_code == 200 and r.json_body["code"] == code
    assert r.json_body["redemptions"] == []


def test_lookup_forgives_spaces_sent_percent_encoded_in_the_path(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 1_000).json_body["code"]
    spaced = code.replace("-", "%20")

    r = api.call("GET", f"/v1/gifts/{spaced}", key=partner["key"])

    assert r.status_code == 200, r.body
    assert r.json_body["code"] == code


def test_wrong_check_character_is_422_invalid_code_without_a_database_read(api, partner,
                                                                           monkeypatch):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 1000).json_body["code"]
    typo = code[:-1] + ("X" if code[-1] != "X" else "Y")

    def no_read(*args, **kwargs):
        raise AssertionError("the database was read for an invalid code")

    monkeypatch.setattr(GiftModel, "get", no_read)
    for method, path in (("GET", f"/v1/gifts/{typo}"), ("POST", f"/v1/gifts/{typo}/redeem"),
                         ("POST", f"/v1/gifts/{typo}/void")):
        r = api.call(method, path, {} if method == "POST" else None, key=partner["key"],
                     idem=str(uuid.uuid4()))
        assert r.status_code == 422 and r.json_body["code"] == "invalid_code", path


def test_well_formed_unknown_code_is_404(api, partner):
    r = api.call("GET", f"/v1/gifts/{codes.generate()}", key=partner["key"])
    assert r.status_code == 404 and r.json_body["code"] == "not_found"


# ---------------------------------------------------------------- redemption


def test_partial_redemptions_run_the_balance_down_to_zero(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 50_000).json_body["code"]
    r1 = api.redeem(partner["key"], code, amount=20_000, location="store-12")
    assert r1.status_code == 200
    assert r1.json_body["gift"]["balance"] == 30_000 and r1.json_body["gift"]["status"] == "active"
    red = r1.json_body["redemption"]
    assert red["id"].startswith("red_") and red["amount"] == 20_000
    assert red["location"] == "store-12"
    r2 = api.redeem(partner["key"], code)  # no amount: the whole balance
    assert r2.json_body["redemption"]["amount"] == 30_000
    assert r2.json_body["gift"]["status"] == "redeemed" and r2.json_body["gift"]["balance"] == 0
    looked = api.call("GET", f"/v1/gifts/{code}", key=partner["key"]).json_body
    assert [x["amount"] for x in looked["redemptions"]] == [20_000, 30_000]


def test_redeem_twice_with_new_key_is_409_gift_already_redeemed(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    assert api.redeem(partner["key"], code).status_code == 200
    r = api.redeem(partner["key"], code)
    assert r.status_code == 409 and r.json_body["code"] == "gift_already_redeemed"


def test_redeem_more_than_the_balance_is_422_insufficient_balance(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    r = api.redeem(partner["key"], code, amount=5_001)
    assert r.status_code == 422 and r.json_body["code"] == "insufficient_balance"
    assert r.json_body["balance"] == 5_000


def test_redeem_retry_after_timeout_replays_the_same_answer(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    first = api.redeem(partner["key"], code, amount=2_000, idem="till-7-tx-1")
    again = api.redeem(partner["key"], code, amount=2_000, idem="till-7-tx-1")
    assert again.status_code == 200 and again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    looked = api.call("GET", f"/v1/gifts/{code}", key=partner["key"]).json_body
    assert looked["balance"] == 3_000 and len(looked["redemptions"]) == 1


def test_sixteen_concurrent_redemptions_of_one_code_give_exactly_one_200(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda _: api.redeem(partner["key"], code), range(16)))
    statuses = [r.status_code for r in results]
    assert statuses.count(200) == 1 and statuses.count(409) == 15
    looked = api.call("GET", f"/v1/gifts/{code}", key=partner["key"]).json_body
    assert looked["balance"] == 0 and len(looked["redemptions"]) == 1


def test_concurrent_partial_redemptions_never_go_below_zero(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 10_000).json_body["code"]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda _: api.redeem(partner["key"], code,
                                                        amount=3_000), range(12)))
    assert [r.status_code for r in results].count(200) == 3
    looked = api.call("GET", f"/v1/gifts/{code}", key=partner["key"]).json_body
    assert looked["balance"] == 1_000 and sum(x["amount"] for x in looked["redemptions"]) == 9_000


def test_expired_gift_is_409_gift_expired(api, partner, later):
    c = api.campaign(partner["key"], gift_expiry_days=1)
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    later(timedelta(days=3))
    r = api.redeem(partner["key"], code)
    assert r.status_code == 409 and r.json_body["code"] == "gift_expired"
    looked = api.call("GET", f"/v1/gifts/{code}", key=partner["key"]).json_body
    assert looked["status"] == "expired"
    report = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=partner["key"]).json_body
    assert report["gifts"]["expired"] == {"count": 1, "amount": 5_000}


# --------------------------------------------------------------------- voids


def test_void_returns_the_unredeemed_balance_to_the_budget_once(api, partner):
    c = api.campaign(partner["key"], budget=100_000)
    code = api.issue(partner["key"], c["id"], 50_000).json_body["code"]
    api.redeem(partner["key"], code, amount=20_000)
    r = api.call("POST", f"/v1/gifts/{code}/void", key=partner["key"], idem="void-1")
    assert r.status_code == 200 and r.json_body["status"] == "voided"
    again = api.call("POST", f"/v1/gifts/{code}/void", key=partner["key"], idem="void-2")
    assert again.status_code == 409 and again.json_body["code"] == "gift_voided"
    camp = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert camp["budget"] == {"total": 100_000, "spent": 20_000, "remaining": 80_000}
    red = api.redeem(partner["key"], code)
    assert red.status_code == 409 and red.json_body["code"] == "gift_voided"


def test_void_of_a_fully_redeemed_gift_is_409(api, partner):
    c = api.campaign(partner["key"])
    code = api.issue(partner["key"], c["id"], 5_000).json_body["code"]
    api.redeem(partner["key"], code)
    r = api.call("POST", f"/v1/gifts/{code}/void", key=partner["key"], idem="v")
    assert r.status_code == 409 and r.json_body["code"] == "gift_already_redeemed"


# ------------------------------------------------------------------- listing


def test_gift_list_filters_by_status_and_pages_with_a_cursor(api, partner):
    c = api.campaign(partner["key"])
    issued = [api.issue(partner["key"], c["id"], 1_000).json_body["code"] for _ in range(7)]
    for code in issued[:3]:
        api.redeem(partner["key"], code)
    listed = list(api.pages(f"/v1/campaigns/{c['id']}/gifts?status=active&limit=2",
                            key=partner["key"]))
    assert all(g["status"] == "active" for g in listed)
    seen = [g["code"] for g in listed]
    assert sorted(seen) == sorted(issued[3:])
    redeemed = api.call("GET", f"/v1/campaigns/{c['id']}/gifts?status=redeemed",
                        key=partner["key"]).json_body["data"]
    assert sorted(g["code"] for g in redeemed) == sorted(issued[:3])
    bad = api.call("GET", f"/v1/campaigns/{c['id']}/gifts?status=lost", key=partner["key"])
    assert bad.status_code == 422


def test_empty_query_parameters_mean_not_given(api, partner):
    # API.md writes the list as `?status=&limit=&cursor=`; a client copying it must work
    c = api.campaign(partner["key"])
    api.issue(partner["key"], c["id"], 1_000)
    r = api.call("GET", f"/v1/campaigns/{c['id']}/gifts?status=&limit=&cursor=",
                 key=partner["key"])
    assert r.status_code == 200 and len(r.json_body["data"]) == 1


def test_filtered_list_reads_a_bounded_slice_per_call_and_the_cursor_goes_on(
        api, partner, monkeypatch):
    # given 30 gifts over 2 shards, only the oldest voided, and a filter that reads
    # about 10 gifts a call
    monkeypatch.setenv("CAMPAIGN_SHARDS", "2")
    config.reset()
    monkeypatch.setattr(gifts, "FILTER_READ", 10)
    c = api.campaign(partner["key"])
    issued = [api.issue(partner["key"], c["id"], 1_000).json_body["code"] for _ in range(30)]
    assert api.call("POST", f"/v1/gifts/{issued[0]}/void", {}, key=partner["key"],
                    idem=str(uuid.uuid4())).status_code == 200
    # what each Query evaluated (what DynamoDB charges and FILTER_READ bounds), not what
    # it asked for: a shard near its end returns less than it is asked
    calls = []
    real_page = gifts.query_page

    def counted(*a: Any, **kw: Any) -> Any:
        page = real_page(*a, **kw)
        calls.append(len(page.items))
        return page

    monkeypatch.setattr(gifts, "query_page", counted)

    # when the partner follows next_cursor
    pages, cursor, read = [], "", []
    while True:
        calls.clear()
        r = api.call("GET", f"/v1/campaigns/{c['id']}/gifts?status=voided&limit=1"
                     f"&cursor={cursor}", key=partner["key"])
        assert r.status_code == 200, r.body
        pages.append([g["code"] for g in r.json_body["data"]])
        read.append(sum(calls))
        cursor = r.json_body["next_cursor"]
        if not cursor:
            break

    # then the walk found exactly the voided gift, reading at most 10 gifts (and one
    # more a shard) per call, so it took several calls (unbounded, it would take 1)
    assert [code for p in pages for code in p] == [issued[0]]
    assert max(read) <= 10 + 2
    assert 3 <= len(pages) <= 7


def test_unfiltered_list_merges_the_shards_newest_first_without_gaps(api, partner):
    c = api.campaign(partner["key"])
    issued = [api.issue(partner["key"], c["id"], 1_000).json_body["id"] for _ in range(25)]
    seen, cursor = [], ""
    while True:
        r = api.call("GET", f"/v1/campaigns/{c['id']}/gifts?limit=7&cursor={cursor}",
                     key=partner["key"])
        assert r.status_code == 200, r.body
        assert len(r.json_body["data"]) <= 7
        seen += [(g["issued_at"], g["id"]) for g in r.json_body["data"]]
        cursor = r.json_body["next_cursor"]
        if not cursor:
            break
    assert sorted(i for _, i in seen) == sorted(issued)
    assert seen == sorted(seen, reverse=True)


def test_control_characters_in_free_text_are_422_and_issue_nothing(api, partner):
    c = api.campaign(partner["key"])

    r = api.issue(partner["key"], c["id"], 1_000, recipient={"reference": "crm\x00-1"})

    problem = assert_problem(r, 422, "validation_error")
    assert [e["field"] for e in problem["errors"]] == ["recipient.reference"]
    assert _gift_count(c["id"]) == 0
