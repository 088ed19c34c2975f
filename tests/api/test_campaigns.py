"""Campaigns through the HTTP surface: validation with per-field errors, status
changes, budget top-ups, pagination, and isolation between
partners (another partner's objects are indistinguishable from missing ones)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.money import campaigns
from chalicelib.store.keys import shard_key
from chalicelib.store.models import CampaignModel, ShardModel
from tests.helpers import assert_problem, campaign_body, fields, iso


def now() -> datetime:
    return datetime.now(UTC)


def valid_body(**overrides) -> dict:
    return campaign_body(**{"budget": 10_000_000, **overrides})


def wheel(**overrides) -> dict:
    w = {"segments": [
        {"id": "big", "label": "100.000đ voucher", "weight": 1, "prize": {"amount": 100_000},
         "inventory": 10},
        {"id": "small", "label": "20.000đ voucher", "weight": 20, "prize": {"amount": 20_000}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 79, "prize": None}],
        "fallback_segment_id": "none",
        "limits": {"spins_per_player": 10, "spins_per_player_per_day": 3}}
    w.update(overrides)
    return w


def create(api, key, body):
    return api.call("POST", "/v1/campaigns", body, key=key)


def patch(api, key, campaign_id, body):
    return api.call("PATCH", f"/v1/campaigns/{campaign_id}", body, key=key)


# ---------------------------------------------------------------- creation


def test_created_campaign_has_the_contract_shape(api, partner):
    # when
    r = create(api, partner["key"], valid_body(wheel=wheel()))

    # then
    assert r.status_code == 201, r.body
    c = r.json_body
    assert c["id"].startswith("cmp_")
    assert c["status"] == "active"
    assert c["currency"] == "VND"
    assert c["budget"] == {"total": 10_000_000, "spent": 0, "remaining": 10_000_000}
    assert c["gift_expiry_days"] == 30
    assert [s["id"] for s in c["wheel"]["segments"]] == ["big", "small", "none"]
    assert len(c["fairness"]["seed_commitment"]) == 64
    assert "server_seed" not in json.dumps(c)
    assert api.get_campaign(partner["key"], c["id"]).json_body == c


def test_campaign_without_a_wheel_is_allowed(api, partner):
    r = create(api, partner["key"], valid_body())

    assert r.status_code == 201
    assert r.json_body["wheel"] is None


def test_campaign_starting_in_the_future_is_scheduled(api, partner):
    r = create(api, partner["key"], valid_body(starts_at=iso(now() + timedelta(days=1))))

    assert r.status_code == 201
    assert r.json_body["status"] == "scheduled"
    assert api.get_campaign(partner["key"], r.json_body["id"]).json_body["status"] == "scheduled"


def test_timestamps_with_an_offset_are_stored_in_utc(api, partner):
    ends = (now() + timedelta(days=3)).replace(microsecond=0)
    local = ends.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).isoformat()

    r = create(api, partner["key"], valid_body(ends_at=local))

    assert r.status_code == 201
    assert r.json_body["ends_at"] == iso(ends)


# -------------------------------------------------------------- validation


def test_missing_fields_are_each_reported(api, partner):
    r = create(api, partner["key"], {})

    problem = assert_problem(r, 422, "validation_error")
    assert set(fields(problem)) >= {"name", "currency", "budget", "ends_at"}
    assert all(e["message"] for e in problem["errors"])


@pytest.mark.parametrize("overrides, field", [
    ({"budget": "1000"}, "budget"),
    ({"budget": True}, "budget"),
    ({"budget": 1.5}, "budget"),
    ({"budget": -1}, "budget"),
    ({"budget": 10**30}, "budget"),
    ({"budget": None}, "budget"),
    ({"name": ""}, "name"),
    ({"name": 42}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"currency": "XYZ"}, "currency"),
    ({"currency": "vnd"}, "currency"),
    ({"gift_expiry_days": 0}, "gift_expiry_days"),
    ({"ends_at": "2030-01-01T00:00:00"}, "ends_at"),
    ({"ends_at": "next tuesday"}, "ends_at"),
    ({"starts_at": "2030-01-01"}, "starts_at"),
    ({"nickname": "tet"}, "nickname"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": "America"}, "timezone"),  # a folder of the zone database
    ({"timezone": "Asia/"}, "timezone"),
    ({"timezone": "/etc/localtime"}, "timezone"),
    ({"timezone": "Asia\x00"}, "timezone"),
    ({"ends_at": "9999-12-31T23:00:00-05:00"}, "ends_at"),  # past what UTC can hold
    ({"ends_at": "3000-01-01T00:00:00Z"}, "ends_at"),
    ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
    ({"starts_at": "1999-12-31T23:59:59Z"}, "starts_at"),
])
def test_invalid_campaign_field_is_422_with_its_path(api, partner, overrides, field):
    r = create(api, partner["key"], valid_body(**overrides))

    problem = assert_problem(r, 422, "validation_error")
    assert field in fields(problem), problem


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "Asia/Bangkok", "UTC",
                                  "America/New_York"])
def test_campaign_in_an_iana_time_zone_is_created(api, partner, zone):
    r = create(api, partner["key"], valid_body(timezone=zone))

    assert r.status_code == 201, r.body
    assert r.json_body["timezone"] == zone


@pytest.mark.parametrize("ends_at", ["9999-12-31T23:00:00-05:00", "3000-01-01T00:00:00Z"])
def test_patch_ends_at_beyond_the_supported_years_is_422(api, partner, ends_at):
    c = create(api, partner["key"], valid_body()).json_body

    r = api.call("PATCH", f"/v1/campaigns/{c['id']}", {"ends_at": ends_at}, key=partner["key"])

    problem = assert_problem(r, 422, "validation_error")
    assert fields(problem) == ["ends_at"]


def test_create_campaign_without_a_key_makes_a_campaign_per_call(api, partner):
    ids = {create(api, partner["key"], valid_body()).json_body["id"] for _ in range(2)}

    assert len(ids) == 2


def test_ends_at_before_starts_at_is_422(api, partner):
    body = valid_body(starts_at=iso(now() + timedelta(days=2)),
                      ends_at=iso(now() + timedelta(days=1)))

    problem = assert_problem(create(api, partner["key"], body), 422, "validation_error")

    assert fields(problem) == ["ends_at"]


def test_ends_at_in_the_past_is_422(api, partner):
    body = valid_body(starts_at=iso(now() - timedelta(days=10)),
                      ends_at=iso(now() - timedelta(days=1)))

    problem = assert_problem(create(api, partner["key"], body), 422, "validation_error")

    assert fields(problem) == ["ends_at"]


@pytest.mark.parametrize("change, field", [
    (lambda w: w["segments"][0].update(id="none"), "wheel.segments[2].id"),
    (lambda w: w["segments"][1].update(id="small\n"), "wheel.segments[1].id"),
    (lambda w: w.update(fallback_segment_id="small"), "wheel.fallback_segment_id"),
    (lambda w: w.update(fallback_segment_id="nope"), "wheel.fallback_segment_id"),
    (lambda w: [s.update(weight=0) for s in w["segments"]], "wheel.segments"),
    (lambda w: w["segments"][1].update(weight="20"), "wheel.segments[1].weight"),
    (lambda w: w["segments"][1].update(weight=-1), "wheel.segments[1].weight"),
    (lambda w: w["segments"][0]["prize"].update(amount=0), "wheel.segments[0].prize.amount"),
    (lambda w: w["segments"][2].update(colour="red"), "wheel.segments[2].colour"),
    (lambda w: w.update(segments=[]), "wheel.segments"),
    (lambda w: w.pop("fallback_segment_id"), "wheel.fallback_segment_id"),
    (lambda w: w["limits"].update(spins_per_player=0), "wheel.limits.spins_per_player"),
])
def test_invalid_wheel_is_422_with_the_segment_path(api, partner, change, field):
    w = wheel()
    change(w)

    r = create(api, partner["key"], valid_body(wheel=w))

    problem = assert_problem(r, 422, "validation_error")
    assert field in fields(problem), problem


def test_fallback_segment_with_a_prize_is_422(api, partner):
    w = wheel(fallback_segment_id="big")

    problem = assert_problem(create(api, partner["key"], valid_body(wheel=w)), 422,
                             "validation_error")

    assert fields(problem) == ["wheel.fallback_segment_id"]


def test_several_type_errors_are_all_reported_at_once(api, partner):
    # given four separate mistakes
    body = valid_body(name=7, budget="lots", currency="XXX", unexpected=True)
    del body["ends_at"]

    # when
    problem = assert_problem(create(api, partner["key"], body), 422, "validation_error")

    # then
    assert set(fields(problem)) == {"name", "budget", "currency", "ends_at", "unexpected"}


def test_several_rule_errors_are_all_reported_at_once(api, partner):
    # given a bad zone, a reversed window and a wheel with three faults
    w = wheel(fallback_segment_id="big")
    w["segments"][1]["id"] = "big"
    body = valid_body(timezone="Nowhere/Special", starts_at=iso(now() + timedelta(days=2)),
                      ends_at=iso(now() + timedelta(days=1)), wheel=w)

    # when
    problem = assert_problem(create(api, partner["key"], body), 422, "validation_error")

    # then
    assert {"timezone", "ends_at", "wheel.segments[1].id",
            "wheel.fallback_segment_id"} <= set(fields(problem))


def test_type_errors_and_rule_errors_are_reported_together(api, partner):
    body = valid_body(budget="lots", timezone="Nowhere/Special")

    problem = assert_problem(create(api, partner["key"], body), 422, "validation_error")

    assert {"budget", "timezone"} <= set(fields(problem))


def test_nothing_is_created_by_an_invalid_request(api, partner):
    create(api, partner["key"], valid_body(budget=-5))

    assert api.call("GET", "/v1/campaigns", key=partner["key"]).json_body["data"] == []


# ------------------------------------------------------------------ status


def test_pause_resume_end(api, partner):
    # given
    c = api.campaign(partner["key"])

    # when / then
    paused = patch(api, partner["key"], c["id"], {"status": "paused"})
    assert paused.status_code == 200
    assert paused.json_body["status"] == "paused"
    active = patch(api, partner["key"], c["id"], {"status": "active"})
    assert active.json_body["status"] == "active"
    ended = patch(api, partner["key"], c["id"], {"status": "ended"})
    assert ended.json_body["status"] == "ended"
    assert api.get_campaign(partner["key"], c["id"]).json_body["status"] == "ended"


@pytest.mark.parametrize("status", ["active", "paused"])
def test_ended_campaign_cannot_be_reopened(api, partner, status):
    # given
    c = api.campaign(partner["key"])
    patch(api, partner["key"], c["id"], {"status": "ended"})

    # when
    r = patch(api, partner["key"], c["id"], {"status": status})

    # then
    assert_problem(r, 409, "campaign_ended")
    assert api.get_campaign(partner["key"], c["id"]).json_body["status"] == "ended"


def test_ended_campaigns_end_date_cannot_move(api, partner):
    c = api.campaign(partner["key"])
    patch(api, partner["key"], c["id"], {"status": "ended"})

    r = patch(api, partner["key"], c["id"], {"ends_at": iso(now() + timedelta(days=90))})

    assert_problem(r, 409, "campaign_ended")


def test_rename_is_saved(api, partner):
    c = api.campaign(partner["key"])

    r = patch(api, partner["key"], c["id"], {"name": "Tet 2027 — extended"})

    assert r.status_code == 200
    assert api.get_campaign(partner["key"], c["id"]).json_body["name"] == "Tet 2027 — extended"


def test_moving_the_end_date_is_saved(api, partner):
    c = api.campaign(partner["key"])
    later = iso(now() + timedelta(days=60))

    r = patch(api, partner["key"], c["id"], {"ends_at": later})

    assert r.status_code == 200
    assert r.json_body["ends_at"] == later


@pytest.mark.parametrize("body", [
    {},
    None,
    {"status": "deleted"},
    {"status": None},
    {"name": ""},
    {"ends_at": "2020-01-01T00:00:00Z"},
    {"budget": 5},
])
def test_invalid_patch_is_422(api, partner, body):
    c = api.campaign(partner["key"])

    r = patch(api, partner["key"], c["id"], body)

    assert_problem(r, 422, "validation_error")
    assert api.get_campaign(partner["key"], c["id"]).json_body == c


def test_issuing_on_a_paused_campaign_is_409_campaign_not_active(api, partner):
    # given
    c = api.campaign(partner["key"])
    patch(api, partner["key"], c["id"], {"status": "paused"})

    # when
    r = api.issue(partner["key"], c["id"], idem=str(uuid.uuid4()))

    # then
    assert_problem(r, 409, "campaign_not_active")
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["spent"] == 0


def test_issuing_on_a_scheduled_campaign_is_409_campaign_not_active(api, partner):
    c = api.campaign(partner["key"], starts_at=iso(now() + timedelta(days=1)))

    assert_problem(api.issue(partner["key"], c["id"]), 409, "campaign_not_active")


def test_issuing_again_after_resuming_works(api, partner):
    c = api.campaign(partner["key"])
    patch(api, partner["key"], c["id"], {"status": "paused"})
    patch(api, partner["key"], c["id"], {"status": "active"})

    r = api.issue(partner["key"], c["id"], amount=50_000)

    assert r.status_code == 201
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["spent"] == 50_000


# ------------------------------------------------------------------ top-ups


def test_top_up_raises_the_budget(api, partner):
    c = api.campaign(partner["key"], budget=1_000_000)

    r = api.top_up(partner["key"], c["id"], 5_000_000, idem="topup-1")

    assert r.status_code == 201
    assert r.json_body["budget"] == {"total": 6_000_000, "spent": 0, "remaining": 6_000_000}
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 6_000_000


def test_top_up_without_idempotency_key_is_400(api, partner):
    c = api.campaign(partner["key"])

    r = api.top_up(partner["key"], c["id"], 5_000)

    assert_problem(r, 400, "idempotency_key_required")
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_000_000


def test_top_up_succeeds_while_gifts_keep_spending_the_budget(api, partner, monkeypatch):
    # given: every read of the campaign is followed by a concurrent debit
    c = api.campaign(partner["key"], budget=1_000_000)
    real_get = campaigns.get

    def get_then_spend(partner_id, campaign_id):
        current = real_get(partner_id, campaign_id)
        CampaignModel(id=campaign_id).update(actions=[CampaignModel.pool.add(-10)])
        ShardModel(pk=shard_key(campaign_id, 0)).update(
            actions=[ShardModel.spent.add(10)])
        return current
    monkeypatch.setattr(campaigns, "get", get_then_spend)

    # when
    r = api.top_up(partner["key"], c["id"], 500_000, idem="busy")

    # then
    assert r.status_code == 201, r.body
    monkeypatch.setattr(campaigns, "get", real_get)
    budget = api.get_campaign(partner["key"], c["id"]).json_body["budget"]
    assert budget["total"] == 1_500_000
    assert budget["spent"] + budget["remaining"] == budget["total"]


@pytest.mark.parametrize("amount", [0, -5, "5", 10**16])
def test_invalid_top_up_amount_is_422(api, partner, amount):
    c = api.campaign(partner["key"])

    r = api.top_up(partner["key"], c["id"], amount, idem=str(uuid.uuid4()))

    problem = assert_problem(r, 422, "validation_error")
    assert fields(problem) == ["amount"]


def test_top_up_beyond_the_maximum_budget_is_422(api, partner):
    c = api.campaign(partner["key"], budget=10**15)

    r = api.top_up(partner["key"], c["id"], 1, idem="over")

    assert_problem(r, 422, "validation_error")


def test_top_up_on_an_ended_campaign_is_409_campaign_ended(api, partner):
    c = api.campaign(partner["key"])
    patch(api, partner["key"], c["id"], {"status": "ended"})

    r = api.top_up(partner["key"], c["id"], 5, idem="late")

    assert_problem(r, 409, "campaign_ended")
    assert api.get_campaign(partner["key"], c["id"]).json_body["budget"]["total"] == 1_000_000


def test_top_up_of_an_unknown_campaign_is_404(api, partner):
    r = api.top_up(partner["key"], "cmp_doesnotexist", 5, idem="x")

    assert_problem(r, 404, "not_found")


# --------------------------------------------------------------- pagination


@pytest.fixture
def ticking_clock(stopped_clock):
    """Requests see a clock that the test moves, so creation order is unambiguous."""
    return stopped_clock.tick


@pytest.mark.slow
def test_forty_five_campaigns_page_by_twenty_newest_first(api, partner, ticking_clock):
    # given 45 campaigns created one second apart
    created = []
    for i in range(45):
        created.append(api.campaign(partner["key"], name=f"c{i}")["id"])
        ticking_clock()

    # when
    pages, cursor = [], None
    while True:
        path = "/v1/campaigns?limit=20" + (f"&cursor={cursor}" if cursor else "")
        r = api.call("GET", path, key=partner["key"])
        assert r.status_code == 200, r.body
        pages.append([c["id"] for c in r.json_body["data"]])
        cursor = r.json_body["next_cursor"]
        if cursor is None:
            break
        assert len(pages) < 5

    # then
    assert [len(p) for p in pages] == [20, 20, 5]
    seen = [cid for page in pages for cid in page]
    assert len(set(seen)) == 45
    assert seen == list(reversed(created))


def test_default_page_size_is_twenty(api, partner):
    for i in range(21):
        api.campaign(partner["key"], name=f"c{i}")

    r = api.call("GET", "/v1/campaigns", key=partner["key"])

    assert len(r.json_body["data"]) == 20
    assert r.json_body["next_cursor"]


def test_single_page_has_a_null_cursor(api, partner):
    api.campaign(partner["key"])

    r = api.call("GET", "/v1/campaigns?limit=100", key=partner["key"])

    assert r.json_body["next_cursor"] is None
    assert len(r.json_body["data"]) == 1


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", "1e2", "99999"])
def test_out_of_range_limit_is_422(api, partner, limit):
    r = api.call("GET", f"/v1/campaigns?limit={limit}", key=partner["key"])

    problem = assert_problem(r, 422, "validation_error")
    assert fields(problem) == ["limit"]


def test_empty_limit_means_the_default_page_size(api, partner):
    r = api.call("GET", "/v1/campaigns?limit=&cursor=", key=partner["key"])

    assert r.status_code == 200 and r.json_body["next_cursor"] is None


def _b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "garbage", "%%%", "!!!!", "a" * 3000, _b64([1, 2]), _b64({"a": 1}),
    _b64({"created_key": True, "id": "x"}), _b64({"created_key": {"S": "x"}, "id": "x"}),
    base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
    # shapes DynamoDB itself would refuse (empty key strings, overlong values)
    _b64({"created_key": "", "id": "cmp_x"}), _b64({"created_key": "x" * 1500, "id": "cmp_x"}),
])
def test_garbage_cursor_is_400_invalid_cursor(api, partner, cursor):
    r = api.call("GET", f"/v1/campaigns?cursor={cursor}", key=partner["key"])

    assert_problem(r, 400, "invalid_cursor")


def test_another_partners_cursor_shows_nothing_of_theirs(api):
    # given A has a second page
    a = api.partner("A")
    b = api.partner("B")
    for i in range(3):
        api.campaign(a["key"], name=f"a{i}")
    cursor = api.call("GET", "/v1/campaigns?limit=1", key=a["key"]).json_body["next_cursor"]

    # when B replays A's cursor
    r = api.call("GET", f"/v1/campaigns?cursor={cursor}", key=b["key"])

    # then
    assert r.status_code == 200
    assert r.json_body["data"] == []


# ---------------------------------------------------------------- isolation


def test_other_partners_campaign_is_404(api, two_partners):
    a, b, campaign, _ = two_partners

    r = api.get_campaign(b["key"], campaign["id"])

    problem = assert_problem(r, 404, "not_found")
    unknown = assert_problem(api.get_campaign(b["key"], "cmp_" + "0" * 22), 404, "not_found")
    assert problem["title"] == unknown["title"]


def test_other_partner_cannot_patch_a_campaign(api, two_partners):
    a, b, campaign, _ = two_partners

    r = patch(api, b["key"], campaign["id"], {"status": "ended"})

    assert_problem(r, 404, "not_found")
    assert api.get_campaign(a["key"], campaign["id"]).json_body["status"] == "active"


def test_other_partner_cannot_rename_a_campaign(api, two_partners):
    a, b, campaign, _ = two_partners

    r = patch(api, b["key"], campaign["id"], {"name": "pwned"})

    assert_problem(r, 404, "not_found")
    assert api.get_campaign(a["key"], campaign["id"]).json_body["name"] == campaign["name"]


def test_other_partner_cannot_top_up_a_campaign(api, two_partners):
    a, b, campaign, _ = two_partners
    before = api.get_campaign(a["key"], campaign["id"]).json_body["budget"]

    r = api.top_up(b["key"], campaign["id"], 1_000, idem="b-topup")

    assert_problem(r, 404, "not_found")
    assert api.get_campaign(a["key"], campaign["id"]).json_body["budget"] == before


def test_other_partners_list_is_empty(api, two_partners):
    a, b, campaign, _ = two_partners

    r = api.call("GET", "/v1/campaigns", key=b["key"])

    assert r.status_code == 200
    assert r.json_body == {"data": [], "next_cursor": None}
    assert [c["id"] for c in api.call("GET", "/v1/campaigns", key=a["key"]).json_body[
        "data"]] == [campaign["id"]]


def test_other_partner_cannot_list_or_issue_gifts_on_a_campaign(api, two_partners):
    a, b, campaign, _ = two_partners

    assert_problem(api.call("GET", f"/v1/campaigns/{campaign['id']}/gifts", key=b["key"]),
                   404, "not_found")
    assert_problem(api.issue(b["key"], campaign["id"]), 404, "not_found")
    assert api.get_campaign(a["key"], campaign["id"]).json_body["budget"]["spent"] == 50_000


def test_other_partner_cannot_look_up_a_gift(api, two_partners):
    _, b, _, gift = two_partners

    r = api.call("GET", f"/v1/gifts/{gift['code']}", key=b["key"])

    assert_problem(r, 404, "not_found")


def test_other_partner_cannot_redeem_a_gift(api, two_partners):
    a, b, _, gift = two_partners

    r = api.call("POST", f"/v1/gifts/{gift['code']}/redeem", {}, key=b["key"], idem="b-redeem")

    assert_problem(r, 404, "not_found")
    after = api.call("GET", f"/v1/gifts/{gift['code']}", key=a["key"]).json_body
    assert after["balance"] == 50_000
    assert after["redemptions"] == []


def test_other_partner_cannot_void_a_gift(api, two_partners):
    a, b, _, gift = two_partners

    r = api.call("POST", f"/v1/gifts/{gift['code']}/void", {}, key=b["key"], idem="b-void")

    assert_problem(r, 404, "not_found")
    assert api.call("GET", f"/v1/gifts/{gift['code']}", key=a["key"]).json_body[
        "status"] == "active"


def test_other_partners_report_is_404(api, two_partners):
    a, b, campaign, _ = two_partners

    r = api.call("GET", f"/v1/campaigns/{campaign['id']}/report", key=b["key"])

    assert_problem(r, 404, "not_found")
    assert api.call("GET", f"/v1/campaigns/{campaign['id']}/report",
                    key=a["key"]).status_code == 200


def test_a_new_campaign_sends_nothing_until_delivery_is_set(api, partner):
    c = create(api, partner["key"], valid_body()).json_body

    assert c["delivery"]["channels"] == []
    assert c["delivery"]["reminder_days_before_expiry"] is None


def test_patch_delivery_replaces_the_settings_and_reads_back(api, partner):
    c = create(api, partner["key"], valid_body()).json_body
    settings = {"channels": ["zalo", "sms"], "send_window": {"from": "08:00", "to": "21:00"},
                "reminder_days_before_expiry": 3, "locale": "en",
                "where_to_use": "Every store in Hà Nội"}

    r = api.call("PATCH", f"/v1/campaigns/{c['id']}", {"delivery": settings},
                 key=partner["key"])

    assert r.status_code == 200, r.json_body
    got = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert got["delivery"] == settings


@pytest.mark.parametrize("delivery", [
    {"channels": ["fax"]},
    {"send_window": {"from": "8:00", "to": "21:00"}},
    {"send_window": {"from": "08:00", "to": "24:00"}},
    {"reminder_days_before_expiry": 0},
    {"locale": "fr"},
])
def test_patch_with_bad_delivery_settings_is_422_and_changes_nothing(api, partner, delivery):
    c = create(api, partner["key"], valid_body()).json_body

    r = api.call("PATCH", f"/v1/campaigns/{c['id']}", {"delivery": delivery},
                 key=partner["key"])

    assert_problem(r, 422, "validation_error")
    got = api.call("GET", f"/v1/campaigns/{c['id']}", key=partner["key"]).json_body
    assert got["delivery"]["channels"] == []
