"""No redeemable code at rest: a dump of every table holds no code in any form,
while lookups stay one read and codes can still be shown again where the
contract says so (replays, a batch's gifts, a player's won gifts)."""

from __future__ import annotations

import base64
import json
import uuid

import boto3

from chalicelib.core import codes, config, vault
from chalicelib.store import tables
from tests.helpers import patched_dynamodb


def _every_item() -> list[str]:
    """Every item of every table, as raw JSON text: what a dump would hand out (Binary
    values in base64, as an export writes them; their raw bytes are searched too)."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    dumped = []
    for model in tables.MODELS:
        for page in client.get_paginator("scan").paginate(TableName=model.Meta.table_name):
            for item in page["Items"]:
                dumped.append(json.dumps(item, default=lambda raw: base64.b64encode(
                    raw).decode() + " " + raw.decode("latin-1")))
    return dumped


def _forms(code: str) -> set[str]:
    canonical = codes.normalize(code)
    return {canonical, codes.format_code(canonical), canonical.lower()}


def test_a_dump_of_every_table_holds_no_redeemable_code(api, partner):
    # given gifts issued singly, in a batch, won on the wheel, redeemed, and replayed
    key = partner["key"]
    c = api.wheel_campaign(key, {"segments": [
        {"id": "win", "label": "5.000d", "weight": 1, "prize": {"amount": 5_000}},
        {"id": "none", "label": "Next time", "weight": 1, "prize": None}],
        "fallback_segment_id": "none"}, budget=10_000_000)
    issued = [api.issue(key, c["id"], 1_000, idem=f"single-{i}").json_body["code"]
              for i in range(3)]
    replay = api.issue(key, c["id"], 1_000, idem="single-0")
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json_body["code"] == issued[0]  # shown again from the sealed record
    batch = api.call("POST", f"/v1/campaigns/{c['id']}/gift-batches",
                     {"items": [{"amount": 500}, {"amount": 700}]}, key=key,
                     idem=str(uuid.uuid4())).json_body
    page = api.call("GET", f"/v1/gift-batches/{batch['id']}/gifts", key=key).json_body
    batch_codes = [g["code"] for g in page["data"]]
    assert len(batch_codes) == 2
    token = api.player_token(key, c["id"], "dump-test")
    won = []
    for _ in range(10):
        body = api.spin(token).json_body
        if body["gift"]:
            won.append(body["gift"]["code"])
    assert won, "the demo wheel should pay some prizes in 10 spins"
    mine = api.call("GET", "/v1/play/gifts", key=token).json_body["data"]
    assert {g["code"] for g in mine} == set(won)
    redeem = api.call("POST", f"/v1/gifts/{issued[1]}/redeem", {"amount": 100}, key=key,
                      idem=str(uuid.uuid4()))
    assert redeem.status_code == 200

    # when every table is dumped
    dump = "\n".join(_every_item())

    # then no code appears in any form
    every_code = issued + batch_codes + won
    leaked = [code for code in every_code if any(form in dump for form in _forms(code))]
    assert leaked == []
    # and yet each is still found by its code, in one read
    for code in every_code:
        assert api.call("GET", f"/v1/gifts/{code}", key=key).status_code == 200


def test_a_sealed_code_copied_onto_another_gift_does_not_open(api, partner):
    sealed = vault.seal("7KQ2M9XD4TRW8HN6", "l1.aaaa")
    assert vault.open_sealed(sealed, "l1.aaaa") == "7KQ2M9XD4TRW8HN6"
    try:
        vault.open_sealed(sealed, "l1.bbbb")
    except Exception as exc:  # noqa: BLE001 - the domain error is what the API maps
        assert getattr(exc, "code", "") == "service_unavailable"
    else:
        raise AssertionError("a seal bound to another item must not open")


def test_codes_made_before_a_lookup_key_rotation_are_still_found(api, partner, monkeypatch):
    key = partner["key"]
    c = api.campaign(key)
    old = api.issue(key, c["id"], 1_000).json_body["code"]
    # rotate: a new lookup key first, the old one kept for reading
    monkeypatch.setenv("CODE_LOOKUP_KEYS", "l2:rotated-lookup-secret-0123456789,"
                                           "l1:test-lookup-secret-0123456789abcdef")
    config.reset()
    new = api.issue(key, c["id"], 1_000).json_body["code"]
    assert api.call("GET", f"/v1/gifts/{old}", key=key).status_code == 200
    assert api.call("GET", f"/v1/gifts/{new}", key=key).status_code == 200
    assert vault.code_hash(codes.normalize(new)).startswith("l2.")


def _calls_for(api, key: str, code: str) -> list[str]:
    with patched_dynamodb() as dynamodb:
        r = api.redeem(key, code)
    assert r.status_code == 404
    return dynamodb.calls


def test_another_partners_code_and_an_unknown_code_take_the_same_path(api, partner,
                                                                     monkeypatch):
    # given a code of another partner, read recently by that partner on this Lambda
    other = api.partner("Other")
    c = api.campaign(other["key"])
    theirs = api.issue(other["key"], c["id"], 1_000).json_body["code"]
    assert api.call("GET", f"/v1/gifts/{theirs}", key=other["key"]).status_code == 200
    unknown = codes.format_code(codes.generate())

    # when this partner tries both
    # then both are one GetItem and a 404: nothing to time
    assert _calls_for(api, partner["key"], theirs) == ["GetItem"]
    assert _calls_for(api, partner["key"], unknown) == ["GetItem"]


def test_deployed_data_keys_are_unwrapped_by_kms(aws, monkeypatch):
    """Deployed, the data key is stored wrapped by the stage's KMS key, with the
    encryption context the key policy expects."""
    kms = boto3.client("kms", region_name="us-east-1")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    made = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256",
                                 EncryptionContext={"purpose": "gift-codes"})
    import base64
    wrapped = base64.b64encode(made["CiphertextBlob"]).decode()
    monkeypatch.setenv("CODE_DATA_KEYS", "")
    monkeypatch.setenv("CODE_DATA_KEYS_WRAPPED", f"w1:{wrapped}")
    config.reset()
    sealed = vault.seal("7KQ2M9XD4TRW8HN6", "bound")
    assert sealed.startswith("v1.w1.")
    assert vault.open_sealed(sealed, "bound") == "7KQ2M9XD4TRW8HN6"
    assert vault._data_keys()["w1"] == made["Plaintext"]
