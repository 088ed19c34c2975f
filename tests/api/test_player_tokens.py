"""Player tokens: minting, and every way a forged or misused token must fail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from chalicelib.access import auth
from tests.helpers import WHEEL, assert_problem

SECRET = "test-signing-secret-0123456789abcdef"  # tests/conftest.py SIGNING_KEYS k1
ATTACKER_KEY = "an-attackers-own-secret-32-bytes"


@pytest.fixture
def camp(wheel_campaign: dict) -> dict:
    """The partner's wheel campaign, under a short name: nearly every test here uses it."""
    return wheel_campaign


def mint(api, key: str, campaign_id: str, **body):
    return api.call("POST", f"/v1/campaigns/{campaign_id}/player-tokens",
                    {"player_id": "p-1", **body}, key=key)


def claims(partner_id: str, campaign_id: str, **over) -> dict:
    now = int(datetime.now(UTC).timestamp())
    base = {"iss": auth.ISSUER, "aud": auth.PLAYER_AUDIENCE, "sub": "p-1", "ptn": partner_id,
            "cmp": campaign_id, "iat": now, "exp": now + 600}
    base.update(over)
    return base


def forge(payload: dict, key: str = SECRET, alg: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": "k1"})


def wheel_status(api, token: str) -> int:
    return api.call("GET", "/v1/play/wheel", key=token).status_code


# ------------------------------------------------------------------ minting


def test_mint_for_a_campaign_without_a_wheel_is_409_campaign_has_no_wheel(api, partner):
    plain = api.campaign(partner["key"])

    r = mint(api, partner["key"], plain["id"])

    assert_problem(r, 409, "campaign_has_no_wheel")


def test_mint_for_an_ended_campaign_is_409_campaign_ended(api, partner, camp):
    api.call("PATCH", f"/v1/campaigns/{camp['id']}", {"status": "ended"}, key=partner["key"])

    r = mint(api, partner["key"], camp["id"])

    assert_problem(r, 409, "campaign_ended")


def test_mint_for_a_paused_campaign_still_works(api, partner, camp):
    api.call("PATCH", f"/v1/campaigns/{camp['id']}", {"status": "paused"}, key=partner["key"])

    assert mint(api, partner["key"], camp["id"]).status_code == 201


def test_mint_returns_a_token_for_the_campaign_that_expires_in_the_ttl(api, partner, camp,
                                                                       stopped_clock):
    r = mint(api, partner["key"], camp["id"], ttl_seconds=120)
    assert r.status_code == 201
    expires = datetime.strptime(r.json_body["expires_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert expires.replace(tzinfo=UTC) - stopped_clock() == timedelta(seconds=120)
    view = api.call("GET", "/v1/play/wheel", key=r.json_body["token"])
    assert view.status_code == 200 and view.json_body["campaign_id"] == camp["id"]


def test_mint_defaults_to_fifteen_minutes(api, partner, camp):
    token = mint(api, partner["key"], camp["id"]).json_body["token"]
    payload = jwt.decode(token, SECRET, algorithms=["HS256"], audience=auth.PLAYER_AUDIENCE)
    assert payload["exp"] - payload["iat"] == 900


@pytest.mark.parametrize("body", [{"ttl_seconds": 59}, {"ttl_seconds": 3601},
                                  {"player_id": ""}, {"player_id": "x" * 129},
                                  {"extra": 1}])
def test_mint_validates_the_body(api, partner, camp, body):
    r = mint(api, partner["key"], camp["id"], **body)
    assert r.status_code == 422 and r.json_body["code"] == "validation_error"


def test_mint_needs_the_players_mint_scope(api, camp):
    reader = api.partner("Reader", scopes=["campaigns:read"])
    r = mint(api, reader["key"], camp["id"])
    assert r.status_code == 403  # the scope is checked before anything is looked up
    own = api.partner("Own", scopes=["campaigns:write"])
    c = api.campaign(own["key"], wheel=WHEEL)
    assert mint(api, own["key"], c["id"]).status_code == 403


def test_mint_for_another_partners_campaign_is_404(api, partner, camp):
    stranger = api.partner("Stranger")

    assert_problem(mint(api, stranger["key"], camp["id"]), 404, "not_found")


# ------------------------------------------------------------------ attacks


def test_tampered_signature_is_401(api, partner, camp):
    token = mint(api, partner["key"], camp["id"]).json_body["token"]
    head, body, sig = token.split(".")
    flipped = sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB")
    assert wheel_status(api, f"{head}.{body}.{flipped}") == 401


def test_tampered_claims_with_the_old_signature_is_401(api, partner, camp):
    other = api.campaign(partner["key"], wheel=WHEEL)
    token = mint(api, partner["key"], camp["id"]).json_body["token"]
    head, _, sig = token.split(".")
    _, body, _ = forge(claims(partner["id"], other["id"]), key=ATTACKER_KEY).split(".")
    assert wheel_status(api, f"{head}.{body}.{sig}") == 401


def test_expired_token_is_401(api, partner, camp):
    past = datetime.now(UTC) - timedelta(hours=2)
    token, _ = auth.mint_player_token(partner["id"], camp["id"], "p-1", 60, past)
    r = api.call("GET", "/v1/play/wheel", key=token)
    assert r.status_code == 401 and r.json_body["code"] == "unauthorized"


def test_alg_none_is_401(api, partner, camp):
    token = jwt.encode(claims(partner["id"], camp["id"]), None, algorithm="none",
                       headers={"kid": "k1"})
    assert wheel_status(api, token) == 401


def test_wrong_audience_is_401(api, partner, camp):
    assert wheel_status(api, forge(claims(partner["id"], camp["id"], aud="rewards:admin"))) == 401


def test_wrong_key_or_unknown_kid_is_401(api, partner, camp):
    assert wheel_status(api, forge(claims(partner["id"], camp["id"]), key=ATTACKER_KEY)) == 401
    token = jwt.encode(claims(partner["id"], camp["id"]), SECRET, algorithm="HS256",
                       headers={"kid": "k9"})
    assert wheel_status(api, token) == 401


def test_token_with_a_lifetime_over_an_hour_is_401(api, partner, camp):
    now = int(datetime.now(UTC).timestamp())
    assert wheel_status(api, forge(claims(partner["id"], camp["id"], iat=now,
                                          exp=now + 7200))) == 401


def test_partner_api_key_used_as_a_player_token_is_401(api, partner, camp):
    assert wheel_status(api, partner["key"]) == 401
    r = api.call("POST", "/v1/play/spins", {}, key=partner["key"], idem=str(uuid.uuid4()))
    assert r.status_code == 401


def test_player_token_on_a_partner_endpoint_is_401(api, partner, camp):
    token = mint(api, partner["key"], camp["id"]).json_body["token"]
    for method, path in (("GET", f"/v1/campaigns/{camp['id']}"),
                         ("GET", f"/v1/campaigns/{camp['id']}/report"),
                         ("GET", f"/v1/campaigns/{camp['id']}/spins")):
        assert api.call(method, path, key=token).status_code == 401
    r = api.call("POST", f"/v1/campaigns/{camp['id']}/gifts", {"amount": 1000}, key=token,
                 idem=str(uuid.uuid4()))
    assert r.status_code == 401


def test_token_for_campaign_a_never_reaches_campaign_b(api, partner, camp):
    b = api.wheel_campaign(partner["key"])
    token = mint(api, partner["key"], camp["id"]).json_body["token"]
    # the campaign always comes from the token, whatever the request says
    view = api.call("GET", f"/v1/play/wheel?campaign_id={b['id']}", key=token).json_body
    assert view["campaign_id"] == camp["id"]
    assert spin_status(api, token, {"campaign_id": b["id"]}) == 422
    assert api.call("POST", "/v1/play/spins", {}, key=token,
                    idem=str(uuid.uuid4())).status_code == 201
    rep_b = api.call("GET", f"/v1/campaigns/{b['id']}/report", key=partner["key"]).json_body
    assert rep_b["spins"]["count"] == 0


def test_validly_signed_token_naming_another_partners_campaign_is_404(api, partner, camp):
    stranger = api.partner("Stranger")
    token = forge(claims(stranger["id"], camp["id"]))
    assert wheel_status(api, token) == 404
    r = api.call("POST", "/v1/play/spins", {}, key=token, idem=str(uuid.uuid4()))
    assert r.status_code == 404
    rep = api.call("GET", f"/v1/campaigns/{camp['id']}/report", key=partner["key"]).json_body
    assert rep["spins"]["count"] == 0


def test_missing_or_malformed_bearer_is_401(api):
    assert api.call("GET", "/v1/play/wheel").status_code == 401
    assert wheel_status(api, "not.a.jwt") == 401
    assert wheel_status(api, "x" * 5000) == 401


def spin_status(api, token: str, body: dict) -> int:
    return api.call("POST", "/v1/play/spins", body, key=token,
                    idem=str(uuid.uuid4())).status_code
