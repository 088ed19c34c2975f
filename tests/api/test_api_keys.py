"""API keys through the HTTP surface: creation by the operator, scopes, bad
credentials of every shape, revocation (and how long a cached key survives it),
and that only a hash of the secret is ever stored."""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import types

import pytest

from chalicelib.access import auth
from chalicelib.core import cache, config
from chalicelib.store.models import ApiKeyModel
from tests.helpers import ADMIN, ALL_SCOPES, assert_problem, header


def create_partner(api, name: str = "Acme Coffee") -> str:
    r = api.call("POST", "/v1/admin/partners", {"name": name}, headers=ADMIN)
    assert r.status_code == 201, r.body
    return r.json_body["id"]


def create_key(api, partner_id: str, body: dict | None = None):
    return api.call("POST", f"/v1/admin/partners/{partner_id}/api-keys", body or {},
                    headers=ADMIN)


@pytest.fixture
def fake_clock(monkeypatch):
    """Drives the key cache's clock (auth only), as if the Lambda stayed warm."""
    clock = types.SimpleNamespace(now=1_000.0)
    monkeypatch.setattr(auth._cache, "clock", lambda: clock.now)
    return clock


@pytest.fixture
def cache_seconds(monkeypatch):
    def set_ttl(seconds: int) -> None:
        monkeypatch.setenv("API_KEY_CACHE_SECONDS", str(seconds))
        config.reset()

    yield set_ttl
    config.reset()


def revoke_elsewhere(key_id: str) -> None:
    """Revocation handled by another Lambda instance: this one's cache is untouched."""
    ApiKeyModel(id=key_id).update(actions=[ApiKeyModel.revoked_at.set("2026-01-01T00:00:00Z")])


# ------------------------------------------------------------------ creation


def test_admin_creates_a_partner(api):
    r = api.call("POST", "/v1/admin/partners", {"name": "Acme Coffee"}, headers=ADMIN)

    assert r.status_code == 201
    assert r.json_body["id"].startswith("ptn_")
    assert r.json_body["name"] == "Acme Coffee"
    assert r.json_body["created_at"].endswith("Z")


def test_admin_retry_of_create_partner_with_the_same_key_replays_it(api):
    body = {"name": "Acme Coffee"}
    first = api.call("POST", "/v1/admin/partners", body, headers={**ADMIN,
                                                                  "Idempotency-Key": "p-1"})
    retry = api.call("POST", "/v1/admin/partners", body, headers={**ADMIN,
                                                                  "Idempotency-Key": "p-1"})

    assert first.status_code == retry.status_code == 201
    assert retry.body == first.body and header(retry, "Idempotent-Replayed") == "true"


def test_admin_creates_a_key_shown_once_with_every_scope_by_default(api):
    # given
    partner_id = create_partner(api)

    # when
    r = create_key(api, partner_id)

    # then
    assert r.status_code == 201
    body = r.json_body
    assert body["id"].startswith("key_")
    assert body["key"].startswith("rk_")
    assert sorted(body["scopes"]) == sorted(ALL_SCOPES)
    assert body["partner_id"] == partner_id
    # and the key works for every scope's routes
    campaigns = api.call("GET", "/v1/campaigns", key=body["key"])
    assert campaigns.status_code == 200


def test_each_created_key_is_different(api):
    partner_id = create_partner(api)

    first = create_key(api, partner_id).json_body
    second = create_key(api, partner_id).json_body

    assert first["id"] != second["id"]
    assert first["key"] != second["key"]


def test_key_with_chosen_scopes_and_label_keeps_them(api):
    partner_id = create_partner(api)

    r = create_key(api, partner_id, {"scopes": ["gifts:redeem", "campaigns:read"],
                                     "label": "pos"})

    assert r.status_code == 201
    assert sorted(r.json_body["scopes"]) == ["campaigns:read", "gifts:redeem"]
    assert r.json_body["label"] == "pos"


@pytest.mark.parametrize("body, field", [
    ({"scopes": []}, "scopes"),
    ({"scopes": ["gifts:everything"]}, "scopes[0]"),
    ({"scopes": "campaigns:read"}, "scopes"),
    ({"label": ""}, "label"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_key_request_is_422_with_the_field(api, body, field):
    partner_id = create_partner(api)

    r = create_key(api, partner_id, body)

    problem = assert_problem(r, 422, "validation_error")
    assert field in [e["field"] for e in problem["errors"]]


def test_key_for_an_unknown_partner_is_404(api):
    r = create_key(api, "ptn_doesnotexist")

    assert_problem(r, 404, "not_found")


def test_stored_key_record_holds_only_a_hash_of_the_secret(api):
    # given
    partner_id = create_partner(api)
    created = create_key(api, partner_id).json_body
    secret = created["key"]
    secret_part = secret.removeprefix("rk_" + created["id"].removeprefix("key_") + "_")
    assert len(secret_part) == 43 and secret_part.isalnum()

    # when
    record = ApiKeyModel.get(created["id"], consistent_read=True)

    # then
    stored = json.dumps(record.serialize())
    assert secret not in stored
    assert secret_part not in stored
    assert record.key_hash != secret
    assert record.key_hash == hashlib.sha256(secret.encode()).hexdigest()


# ------------------------------------------------------------- admin token


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong-admin-token"},
    {"Authorization": "Bearer test-admin-token-but-longer"},
    {"Authorization": "Basic dGVzdC1hZG1pbi10b2tlbg=="},
    {"Authorization": "test-admin-token"},
])
def test_wrong_admin_token_is_401(api, headers):
    r = api.call("POST", "/v1/admin/partners", {"name": "Mallory"}, headers=headers)

    assert_problem(r, 401, "unauthorized")


def test_partner_key_is_not_an_admin_token(api, partner):
    r = api.call("POST", "/v1/admin/partners", {"name": "Mallory"}, key=partner["key"])

    assert_problem(r, 401, "unauthorized")


def test_admin_token_is_not_a_partner_key(api):
    r = api.call("GET", "/v1/campaigns", headers=ADMIN)

    assert_problem(r, 401, "unauthorized")


def test_wrong_admin_token_cannot_revoke_a_key(api, partner):
    r = api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/{partner['key_id']}",
                 headers={"Authorization": "Bearer nope"})

    assert_problem(r, 401, "unauthorized")
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200


# ------------------------------------------------------------------- scopes


def test_key_without_the_scope_is_403_insufficient_scope(api):
    # given a key that may only read campaigns
    reader = api.partner(scopes=["campaigns:read"])

    # when it tries to create one
    r = api.call("POST", "/v1/campaigns", {"name": "x"}, key=reader["key"])

    # then
    problem = assert_problem(r, 403, "insufficient_scope")
    assert "campaigns:write" in problem["detail"]
    assert api.call("GET", "/v1/campaigns", key=reader["key"]).status_code == 200


def test_redeem_only_key_cannot_issue_list_codes_or_read_reports(api, partner):
    # given a till's key: it redeems the codes customers show it, nothing more
    campaign = api.campaign(partner["key"])
    pos = create_key(api, partner["id"], {"scopes": ["gifts:redeem"]}).json_body["key"]

    # when / then
    assert_problem(api.issue(pos, campaign["id"]), 403, "insufficient_scope")
    assert_problem(api.call("GET", f"/v1/campaigns/{campaign['id']}/gifts", key=pos),
                   403, "insufficient_scope")
    assert_problem(api.call("GET", f"/v1/campaigns/{campaign['id']}/report", key=pos),
                   403, "insufficient_scope")
    assert_problem(api.call("GET", f"/v1/campaigns/{campaign['id']}", key=pos),
                   403, "insufficient_scope")


def test_scope_check_does_not_leak_existence_before_authentication(api):
    r = api.call("GET", "/v1/campaigns/cmp_whatever", key="rk_" + "a" * 22 + "_nope")

    assert_problem(r, 401, "unauthorized")


# --------------------------------------------------------- bad credentials


def _random_key() -> str:
    """Well formed, never issued; the same in every test process (pytest-xdist
    collects each test in each worker, and their ids must agree)."""
    rng = random.Random(11)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return ("rk_" + "".join(rng.choice(alphabet) for _ in range(22)) + "_"
            + "".join(rng.choice(alphabet.upper() + alphabet) for _ in range(43)))


@pytest.mark.parametrize("authorization", [
    None,
    "",
    "Basic x",
    "Basic cms6c2VjcmV0",
    "Bearer",
    "Bearer ",
    "Bearer    ",
    "Token rk_abc",
    "rk_abc",
    "Bearer rk_",
    "Bearer rk_short",
    "Bearer not-a-key-at-all",
    "Bearer " + _random_key(),
    "Bearer " + "rk_" + "a" * 22 + "-" + "b" * 40,
    "Bearer " + "rk_" + "a" * 21 + "!" + "_" + "b" * 40,
    "Bearer " + "rk_" + "a" * 400,
    "Bearer sk_live_" + "a" * 40,
])
def test_missing_or_garbled_key_is_401(api, partner, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}

    r = api.call("GET", "/v1/campaigns", headers=headers)

    assert_problem(r, 401, "unauthorized")


def test_missing_credentials_401_tells_the_scheme(api):
    r = api.call("GET", "/v1/campaigns")

    assert_problem(r, 401, "unauthorized")
    assert header(r, "WWW-Authenticate") == "Bearer"


def test_valid_key_id_with_a_wrong_secret_is_401(api, partner):
    # given a real key's id part
    prefix, _, real_secret = partner["key"].rpartition("_")
    forged = f"{prefix}_{secrets.token_urlsafe(32)}"

    # when
    r = api.call("GET", "/v1/campaigns", key=forged)

    # then
    assert_problem(r, 401, "unauthorized")
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200


def test_valid_key_with_a_truncated_or_extended_secret_is_401(api, partner):
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"][:-1]), 401,
                   "unauthorized")
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"] + "x"), 401,
                   "unauthorized")


def test_the_key_of_one_partner_with_the_id_of_another_is_401(api):
    a = api.partner("A")
    b = api.partner("B")
    a_id_part = a["key"].rpartition("_")[0]
    b_secret = b["key"].rpartition("_")[2]

    r = api.call("GET", "/v1/campaigns", key=f"{a_id_part}_{b_secret}")

    assert_problem(r, 401, "unauthorized")


def test_lowercase_bearer_scheme_is_accepted(api, partner):
    r = api.call("GET", "/v1/campaigns", headers={"Authorization": f"bearer {partner['key']}"})

    assert r.status_code == 200


# --------------------------------------------------------------- revocation


def test_revoke_is_204_and_the_key_is_401_immediately_on_the_same_lambda(api, partner):
    # given a key that has just been used (so it sits in this Lambda's cache)
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    # when
    r = api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/{partner['key_id']}",
                 headers=ADMIN)

    # then
    assert r.status_code == 204
    assert not r.body
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def test_revoking_one_key_leaves_the_partners_other_keys_working(api, partner):
    other = create_key(api, partner["id"]).json_body["key"]

    api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/{partner['key_id']}",
             headers=ADMIN)

    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")
    assert api.call("GET", "/v1/campaigns", key=other).status_code == 200


def test_revoked_key_is_401_once_the_cache_window_has_passed(api, partner, fake_clock):
    # given a key cached by this Lambda
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    # when another Lambda revokes it (this one's cache is not told)
    revoke_elsewhere(partner["key_id"])
    fake_clock.now += config.settings().key_cache_seconds + 1

    # then
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def test_revoked_key_is_401_within_sixty_seconds_with_the_default_cache(api, partner,
                                                                         fake_clock):
    # the contract: "A revoked key stops working within 60 seconds at most"
    assert config.settings().key_cache_seconds <= 60
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    revoke_elsewhere(partner["key_id"])
    fake_clock.now += 60

    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def test_revoked_key_is_401_within_a_short_cache_window(api, partner, fake_clock,
                                                        cache_seconds):
    # given a 2-second cache and a cached key
    cache_seconds(2)
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    # when it is revoked elsewhere and 2 seconds pass
    revoke_elsewhere(partner["key_id"])
    fake_clock.now += 2

    # then
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def _money_moves(api, partner: dict) -> dict:
    """One request per kind of money move, ready to send with the partner's key."""
    key = partner["key"]
    campaign = api.campaign(key)
    codes = [api.issue(key, campaign["id"], 10_000).json_body["code"] for _ in range(2)]
    cid = campaign["id"]
    return {
        "issue": ("POST", f"/v1/campaigns/{cid}/gifts", {"amount": 1_000}),
        "batch": ("POST", f"/v1/campaigns/{cid}/gift-batches", {"items": [{"amount": 1}]}),
        "redeem": ("POST", f"/v1/gifts/{codes[0]}/redeem", {"amount": 1_000}),
        "void": ("POST", f"/v1/gifts/{codes[1]}/void", {}),
        "top-up": ("POST", f"/v1/campaigns/{cid}/budget-topups", {"amount": 1_000}),
    }


@pytest.mark.parametrize("move", ["issue", "batch", "redeem", "void", "top-up"])
def test_revoked_key_stops_moving_money_within_three_seconds_on_another_instance(
        api, partner, fake_clock, move):
    # given a warm Lambda that has just authenticated the key
    method, path, body = _money_moves(api, partner)[move]
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    # when another instance revokes it and 3 seconds pass here
    revoke_elsewhere(partner["key_id"])
    fake_clock.now += config.settings().money_key_cache_seconds

    # then a read may still use the cached key (30 s), but the money move is refused,
    # and the record it re-read serves the reads that follow
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200
    r = api.call(method, path, body, key=partner["key"], idem=f"after-revoke-{move}")
    assert_problem(r, 401, "unauthorized")
    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def test_money_moves_accept_a_key_cached_for_under_three_seconds(api, partner, fake_clock):
    # given a key cached a moment ago: money moves do not re-read it on every call
    assert config.settings().money_key_cache_seconds <= 3
    campaign = api.campaign(partner["key"])
    fake_clock.now += 1

    r = api.issue(partner["key"], campaign["id"])

    assert r.status_code == 201, r.body


def test_money_key_cache_age_is_configurable(api, partner, fake_clock, monkeypatch):
    # given money moves allowed to trust the cache for 10 s
    monkeypatch.setenv("API_KEY_MONEY_CACHE_SECONDS", "10")
    config.reset()
    campaign = api.campaign(partner["key"])
    revoke_elsewhere(partner["key_id"])
    fake_clock.now += 5

    # then a revocation 5 s ago is not seen yet, and is after 10 s
    assert api.issue(partner["key"], campaign["id"]).status_code == 201
    fake_clock.now += 5
    assert_problem(api.issue(partner["key"], campaign["id"]), 401, "unauthorized")


def test_revoked_key_is_401_at_once_when_the_cache_is_cleared(api, partner):
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).status_code == 200

    revoke_elsewhere(partner["key_id"])
    cache.clear_all()

    assert_problem(api.call("GET", "/v1/campaigns", key=partner["key"]), 401, "unauthorized")


def test_revoking_another_partners_key_is_404_and_the_key_keeps_working(api):
    # given two partners
    a = api.partner("A")
    b = api.partner("B")

    # when the operator names B as the owner of A's key
    r = api.call("DELETE", f"/v1/admin/partners/{b['id']}/api-keys/{a['key_id']}",
                 headers=ADMIN)

    # then
    assert_problem(r, 404, "not_found")
    assert api.call("GET", "/v1/campaigns", key=a["key"]).status_code == 200
    assert ApiKeyModel.get(a["key_id"], consistent_read=True).revoked_at is None


def test_revoking_an_unknown_key_is_404(api, partner):
    r = api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/key_doesnotexist",
                 headers=ADMIN)

    assert_problem(r, 404, "not_found")
    assert sum(1 for _ in ApiKeyModel.scan(ApiKeyModel.partner_id == partner["id"])) == 1
