"""One rule for player ids (often phone numbers and emails) and the client seeds
that hold them, through HTTP: in clear only to a key holding `players:read`, masked
for any other, the same in the spins list, the exports and the event log."""

from __future__ import annotations

import csv
import io

import pytest

from chalicelib.insights import exports
from tests.helpers import ADMIN, Api, assert_problem, ok

PLAYER = "zalo:84901112223"
MASKED = "zal" + "*" * 10 + "223"
ALWAYS_WIN = {
    "segments": [{"id": "win", "label": "20.000đ", "weight": 1, "prize": {"amount": 20_000}},
                 {"id": "none", "label": "Next time", "weight": 0, "prize": None}],
    "fallback_segment_id": "none"}
READER = ["campaigns:read", "reports:read", "webhooks:manage"]


def key_of(api: Api, partner_id: str, scopes: list[str]) -> str:
    r = api.call("POST", f"/v1/admin/partners/{partner_id}/api-keys", {"scopes": scopes},
                 headers=ADMIN)
    assert r.status_code == 201, r.body
    assert sorted(r.json_body["scopes"]) == sorted(scopes)
    return r.json_body["key"]


@pytest.fixture
def played(api: Api, partner: dict) -> dict:
    """A campaign with one spin of PLAYER, and two more keys of the partner: a reader
    without `players:read`, and one with it."""
    c = api.campaign(partner["key"], wheel=ALWAYS_WIN, budget=1_000_000)
    spin = ok(api.spin(api.player_token(partner["key"], c["id"], PLAYER)), 201)
    return {"campaign": c["id"], "spin": spin,
            "reader": key_of(api, partner["id"], READER),
            "clear": key_of(api, partner["id"], [*READER, "players:read"])}


def test_a_key_made_without_a_scope_list_holds_players_read(api: Api, partner: dict) -> None:
    r = api.call("POST", f"/v1/admin/partners/{partner['id']}/api-keys", {}, headers=ADMIN)
    assert "players:read" in r.json_body["scopes"]


def test_the_spins_list_masks_player_ids_and_seeds_without_players_read(
        api: Api, played: dict) -> None:
    path = f"/v1/campaigns/{played['campaign']}/spins"
    masked = ok(api.call("GET", path, key=played["reader"]))
    (row,) = masked["data"]
    assert masked["players_masked"] is True
    assert row["player_id"] == MASKED
    assert row["client_seed"] == f"16:{MASKED}:"
    assert PLAYER not in str(masked)
    clear = ok(api.call("GET", path, key=played["clear"]))
    assert clear["players_masked"] is False
    assert clear["data"][0]["player_id"] == PLAYER
    assert clear["data"][0]["client_seed"] == played["spin"]["fairness"]["client_seed"]


def _export(api: Api, key: str, campaign_id: str, query: str = "") -> dict:
    r = api.call("POST", f"/v1/campaigns/{campaign_id}/exports{query}", {"kind": "draw_log"},
                 key=key)
    assert r.status_code == 202, r.body
    for _ in range(50):
        exports.step(r.json_body["id"])
        body = ok(api.call("GET", f"/v1/exports/{r.json_body['id']}", key=key))
        if body["status"] == "completed":
            return body
    raise AssertionError("the export did not complete")


def _rows(api: Api, key: str, export_id: str) -> list[dict]:
    r = api.call("GET", f"/v1/exports/{export_id}/file", key=key)
    assert r.status_code == 200, r.body
    return list(csv.DictReader(io.StringIO(r.body.decode()[1:])))


def test_unmask_on_an_export_needs_players_read_and_so_does_reading_it(
        api: Api, played: dict) -> None:
    cid = played["campaign"]
    # without players:read: masked, as in the spins list, and no way to unmask
    masked = _export(api, played["reader"], cid)
    assert masked["unmasked"] is False
    (row,) = _rows(api, played["reader"], masked["id"])
    assert (row["player_id"], row["client_seed"]) == (MASKED, f"16:{MASKED}:")
    refused = api.call("POST", f"/v1/campaigns/{cid}/exports?unmask=true", {"kind": "draw_log"},
                       key=played["reader"])
    assert_problem(refused, 403, "insufficient_scope")
    assert "players:read" in refused.json_body["detail"]
    # with it: in clear; and an unmasked export stays out of reach of the reader
    clear = _export(api, played["clear"], cid, "?unmask=true")
    assert clear["unmasked"] is True
    (row,) = _rows(api, played["clear"], clear["id"])
    assert row["player_id"] == PLAYER
    for path in (f"/v1/exports/{clear['id']}", f"/v1/exports/{clear['id']}/file"):
        assert_problem(api.call("GET", path, key=played["reader"]), 403, "insufficient_scope")


def test_the_event_log_masks_a_spins_player_id_without_players_read(
        api: Api, played: dict) -> None:
    from chalicelib.delivery import events
    from chalicelib.store.models import SpinModel

    spin = next(s for s in SpinModel.scan() if s.id == played["spin"]["id"])
    (won,) = events.from_records([{
        "eventName": "INSERT", "dynamodb": {"NewImage": spin.serialize()},
        "eventSourceARN": f"arn:aws:dynamodb:us-east-1:1:table/{SpinModel.Meta.table_name}/s/x"}])
    assert won.type == "spin.won" and events.store(won)
    for path in (f"/v1/events?campaign_id={played['campaign']}", f"/v1/events/{won.id}"):
        masked = ok(api.call("GET", path, key=played["reader"]))
        clear = ok(api.call("GET", path, key=played["clear"]))
        one = masked["data"][0] if "next_cursor" in masked else masked
        assert one["data"]["player_id"] == MASKED and PLAYER not in str(masked)
        one = clear["data"][0] if "next_cursor" in clear else clear
        assert one["data"]["player_id"] == PLAYER


def test_the_openapi_document_says_when_ids_are_masked(api: Api) -> None:
    doc = ok(api.call("GET", "/v1/openapi.json"))
    spins = doc["paths"]["/v1/campaigns/{campaign_id}/spins"]["get"]
    assert "players:read" in spins["summary"]
    record = doc["components"]["schemas"]["SpinRecord"]["properties"]
    assert "players:read" in record["player_id"]["description"]
    export = doc["paths"]["/v1/campaigns/{campaign_id}/exports"]["post"]
    (unmask,) = [p for p in export["parameters"] if p["name"] == "unmask"]
    assert "players:read" in unmask["description"]
    assert "403" in export["responses"]
