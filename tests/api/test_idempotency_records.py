"""Idempotency records under 1 KB (issue 26): the record is one item of its money
move's transaction, billed 2 write units per started KB, so every money move's
record is measured as DynamoDB sizes it, with the largest answers the contract
allows or a partner realistically sends; each still replays its exact answer.
Records written before (the sealed text in `body`) still replay, and a sealed
answer opens only on its own record."""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from chalicelib.core import vault
from chalicelib.store import idempotency
from chalicelib.store.models import IdempotencyModel
from chalicelib.store.sizes import item_size
from tests.helpers import assert_problem, stored_gifts

LIMIT = 1000  # bytes, by DynamoDB's rules: 2 write units with room to spare
_random = random.Random(26)


def _text(n: int) -> str:
    """`n` characters of free text that compresses as little as a partner's could
    (letters, digits, spaces drawn at random): the worst case, not a friendly one."""
    return "".join(_random.choices(string.ascii_letters + string.digits + "    ", k=n))


def _stored(key: str) -> dict[str, Any]:
    """The record of Idempotency-Key `key` as DynamoDB holds it (attribute names and
    wire-form values, Binary as raw bytes), read back from the emulator."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    pages = client.get_paginator("scan").paginate(TableName=IdempotencyModel.Meta.table_name)
    found = [item for page in pages for item in page["Items"]
             if item["pk"]["S"].endswith("#" + key)]
    assert len(found) == 1, f"{len(found)} records for {key}"
    return found[0]


def _wheel() -> dict:
    """24 segments (the most a wheel has) with 100-character labels (the longest):
    the largest answer a top-up can give. Half the weight on the fallback, so a few
    spins see both a win and a loss."""
    prizes = [{"id": f"p{i}", "label": _text(100), "weight": 1,
               "prize": {"amount": 1_000 * (i + 1)}} for i in range(23)]
    return {"segments": [*prizes, {"id": "none", "label": _text(100), "weight": 23,
                                   "prize": None}],
            "fallback_segment_id": "none"}


RECIPIENT = {"reference": _text(128), "name": _text(200),
             "email": "nguyen.van.an.customer@example-retail.com.vn", "phone": "+84901234567"}
METADATA = {"order_id": "ORD-2027-000123456", "store": "HCM-District-1-Nguyen-Hue",
            "channel": "zalo-mini-app", "note": _text(120)}


class Moves:
    """Sends money moves with fresh keys, keeping what each record measured and
    checking that the same request with the same key replays the exact answer."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.sizes: dict[str, int] = {}

    def send(self, name: str, request: Callable[[str], Any]) -> Any:
        key = str(uuid.uuid4())
        first = request(key)
        assert first.status_code < 500, first.body
        self.sizes[name] = item_size(_stored(key))
        again = request(key)
        assert again.status_code == first.status_code
        assert again.body == first.body, name
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert again.headers["Content-Type"] == first.headers["Content-Type"]
        return first


def test_every_money_moves_idempotency_record_is_under_1000_bytes_and_replays(api, partner):
    # given a wheel campaign with the largest wheel and a gift with a long recipient
    key = partner["key"]
    moves = Moves(api)
    c = api.wheel_campaign(key, _wheel(), budget=100_000_000, name=_text(200))

    def post(path: str, body: dict) -> Callable[[str], Any]:
        return lambda idem: api.call("POST", path, body, key=key, idem=idem)

    # when every kind of money move is made (and made again with its key)
    moves.send("issue, no recipient", post(f"/v1/campaigns/{c['id']}/gifts",
                                           {"amount": 10_000}))
    gift = moves.send("issue", post(f"/v1/campaigns/{c['id']}/gifts", {
        "amount": 500_000, "recipient": RECIPIENT, "metadata": METADATA})).json_body
    code = gift["code"]
    redemption = moves.send("redeem", post(f"/v1/gifts/{code}/redeem", {
        "amount": 1_000, "location": _text(100)})).json_body["redemption"]
    hold_body = {"amount": 2_000, "location": _text(100), "reference": _text(128)}
    held = moves.send("hold", post(f"/v1/gifts/{code}/holds", hold_body)).json_body
    moves.send("capture", post(f"/v1/holds/{held['id']}/capture", {"amount": 1_500}))
    held = api.call("POST", f"/v1/gifts/{code}/holds", hold_body, key=key,
                    idem=str(uuid.uuid4())).json_body
    moves.send("release", post(f"/v1/holds/{held['id']}/release", {}))
    moves.send("reverse", post(f"/v1/redemptions/{redemption['id']}/reversals",
                               {"amount": 500, "reason": _text(200)}))
    moves.send("refused (409, remembered)", post(f"/v1/gifts/{code}/redeem",
                                                  {"amount": 900_000}))
    moves.send("void", post(f"/v1/gifts/{code}/void", {"reason": _text(200)}))
    moves.send("top-up", post(f"/v1/campaigns/{c['id']}/budget-topups", {"amount": 1_000}))
    moves.send("batch", post(f"/v1/campaigns/{c['id']}/gift-batches", {"items": [
        {"amount": 1_000, "reference": _text(128)} for _ in range(3)]}))
    token = api.player_token(key, c["id"], "zalo:" + "8" * 11 + "-" + _text(24))
    seed = {"client_seed": _text(64)}
    for _ in range(40):
        won = moves.send("spin", lambda idem: api.spin(token, seed, idem=idem)).json_body
        moves.sizes["spin win" if won["gift"] else "spin loss"] = moves.sizes.pop("spin")
        if {"spin win", "spin loss"} <= moves.sizes.keys():
            break

    # then each record is under the limit
    assert {"spin win", "spin loss"} <= moves.sizes.keys(), moves.sizes
    assert {name: size for name, size in moves.sizes.items() if size >= LIMIT} == {}, \
        moves.sizes


def test_the_longest_player_id_and_client_seed_keep_a_spin_win_under_1000_bytes(api, partner):
    # given a player id and a client seed of the most characters allowed (128, 64)
    c = api.wheel_campaign(partner["key"], {"segments": [
        {"id": "win", "label": _text(100), "weight": 1, "prize": {"amount": 5_000}},
        {"id": "none", "label": _text(100), "weight": 0, "prize": None}],
        "fallback_segment_id": "none"})
    token = api.player_token(partner["key"], c["id"], _text(128).replace(" ", "-"))
    key = str(uuid.uuid4())

    # when the player wins
    first = api.spin(token, {"client_seed": _text(64)}, idem=key)

    # then its record, whose key alone holds the player id, stays under the limit
    assert first.json_body["gift"] is not None
    assert item_size(_stored(key)) < LIMIT


def test_an_answer_too_large_to_keep_is_read_again_from_its_gift_on_replay(
        api, partner, dynamodb_faults):
    # given a gift with the most metadata allowed: 20 pairs of 500 characters
    key = partner["key"]
    c = api.campaign(key, budget=10_000_000)
    metadata = {f"field_{i:02d}": _text(500) for i in range(20)}
    issue_key, redeem_key = str(uuid.uuid4()), str(uuid.uuid4())
    issue = api.issue(key, c["id"], 100_000, idem=issue_key, recipient=RECIPIENT,
                      metadata=metadata)
    redeem = api.redeem(key, issue.json_body["code"], idem=redeem_key, amount=1_000)

    # then the records (an 11 KB answer each) stay under the limit
    assert len(issue.body) > 10_000 and len(redeem.body) > 10_000
    for idem in (issue_key, redeem_key):
        record = _stored(idem)
        assert item_size(record) < LIMIT
        assert record["r"]["S"].startswith("gift:")

    # when both are sent again, the answers are the first ones, read again from the gift
    before = len(dynamodb_faults.calls)
    again = api.issue(key, c["id"], 100_000, idem=issue_key, recipient=RECIPIENT,
                      metadata=metadata)
    redeem_again = api.redeem(key, issue.json_body["code"], idem=redeem_key, amount=1_000)
    assert again.body == issue.body and redeem_again.body == redeem.body
    assert again.headers["Idempotent-Replayed"] == redeem_again.headers[
        "Idempotent-Replayed"] == "true"
    assert "GetItem" in dynamodb_faults.calls[before:]
    assert len(stored_gifts(campaign_id=c["id"])) == 1


def test_an_answer_that_fits_replays_without_another_read(api, partner, dynamodb_faults):
    c = api.campaign(partner["key"])
    idem = str(uuid.uuid4())
    path = f"/v1/campaigns/{c['id']}/budget-topups"
    first = api.call("POST", path, {"amount": 1_000}, key=partner["key"], idem=idem)
    assert "r" not in _stored(idem)

    calls = len(dynamodb_faults.calls)
    again = api.call("POST", path, {"amount": 1_000}, key=partner["key"], idem=idem)

    assert again.body == first.body
    made = dynamodb_faults.calls[calls:]
    assert made[-1] == "TransactWriteItems", made  # ALL_OLD: no read after the write


def test_a_gift_answer_is_kept_without_its_link_and_replays_the_current_one(
        api, partner, dynamodb_faults):
    # given a gift issued with a key, and its record
    c = api.campaign(partner["key"])
    idem = str(uuid.uuid4())
    first = api.issue(partner["key"], c["id"], 1_000, idem=idem, metadata=METADATA)
    record = _stored(idem)
    url = first.json_body["gift_url"]
    assert record["r"]["S"].startswith("gift:")
    opened = vault.open_compact(record["b"]["B"], record["pk"]["S"])
    assert url not in opened and '"gift_url":\x00gift_url\x00' in opened

    # when it is sent again: the same answer, its link read from the gift (one GetItem)
    calls = len(dynamodb_faults.calls)
    again = api.issue(partner["key"], c["id"], 1_000, idem=idem, metadata=METADATA)
    assert again.body == first.body
    assert dynamodb_faults.calls[calls:] == ["TransactWriteItems", "GetItem"]

    # and after the link is replaced, a replay shows the new link, never the old one
    code = first.json_body["code"]
    rotated = api.call("POST", f"/v1/gifts/{code}/link-rotations", key=partner["key"],
                       idem=str(uuid.uuid4())).json_body
    later = api.issue(partner["key"], c["id"], 1_000, idem=idem, metadata=METADATA)
    assert later.json_body["gift_url"] == rotated["gift_url"] != url
    assert {k: v for k, v in later.json_body.items() if k != "gift_url"} == {
        k: v for k, v in first.json_body.items() if k != "gift_url"}


def _as_before_issue_26(pk: str, answer: bytes) -> None:
    """Rewrite a record as the code before issue 26 wrote it: the answer (whole, as
    first given) sealed as base64 text in `body`, the fingerprint in hex, the headers,
    owner and created_at always stored."""
    record = IdempotencyModel.get(pk, consistent_read=True)
    body = answer.decode()
    IdempotencyModel(
        pk=pk, fingerprint=record.f.hex(), state=record.state, owner=uuid.uuid4().hex,
        status_code=record.status_code, body=vault.seal(body, pk),
        headers=record.headers or idempotency.DEFAULT_HEADERS,
        created_at="2026-01-01T00:00:00Z", expires_at=record.expires_at).save()


@pytest.mark.parametrize("refused", [False, True], ids=["issued", "refused"])
def test_a_record_written_before_issue_26_still_replays(api, partner, refused):
    # given an answer (an issue, or a remembered refusal) stored in the old format
    c = api.campaign(partner["key"], budget=100_000)
    amount = 500_000 if refused else 30_000
    idem = str(uuid.uuid4())
    first = api.issue(partner["key"], c["id"], amount, idem=idem, metadata=METADATA)
    pk = _stored(idem)["pk"]["S"]
    _as_before_issue_26(pk, first.body)
    assert {"body", "fingerprint"} <= _stored(idem).keys()
    assert not {"b", "f"} & _stored(idem).keys()

    # when the request is sent again after the deploy
    again = api.issue(partner["key"], c["id"], amount, idem=idem, metadata=METADATA)

    # then it replays the first answer, headers included, and nothing moved twice
    assert (again.status_code, again.body) == (first.status_code, first.body)
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.budget(partner["key"], c["id"])["spent"] == (0 if refused else 30_000)


def test_a_sealed_answer_copied_onto_another_record_does_not_open(api, partner):
    # given two gifts issued with their own keys
    c = api.campaign(partner["key"])
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    api.issue(partner["key"], c["id"], 1_000, idem=mine)
    theirs = api.issue(partner["key"], c["id"], 1_000, idem=other)

    # when one record's sealed answer is copied onto the other
    target = IdempotencyModel.get(_stored(mine)["pk"]["S"], consistent_read=True)
    target.b = _stored(other)["b"]["B"]
    target.save()

    # then a retry gets a 503, never the other gift's code; the original still replays
    copied = api.issue(partner["key"], c["id"], 1_000, idem=mine)
    assert_problem(copied, 503, "service_unavailable")
    assert theirs.json_body["code"] not in copied.body.decode()
    assert api.issue(partner["key"], c["id"], 1_000, idem=other).body == theirs.body
