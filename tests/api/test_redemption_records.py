"""A redemption is its gift's history row (issue 26): one item fewer per redemption
and capture than the redemption item and its reference item of before, found by
its id with no reference item; redemptions made before stay listed and reversible.
Races run with DynamoDB's transaction conflicts emulated (devtools.moto_patch)."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chalicelib.core import ids
from chalicelib.store.models import (
    GiftEventModel,
    GiftModel,
    RedemptionModel,
    RedemptionRefModel,
)
from tests.helpers import assert_problem, clear_caches, patch_dynamodb, stored_gifts


def post(api, path: str, body: dict | None, key: str, idem: str | None = None):
    return api.call("POST", path, body if body is not None else {}, key=key,
                    idem=idem or str(uuid.uuid4()))


def reverse(api, key: str, redemption_id: str, idem: str | None = None, **body: Any):
    return post(api, f"/v1/redemptions/{redemption_id}/reversals", body, key, idem)


def lookup(api, key: str, code: str) -> dict:
    r = api.call("GET", f"/v1/gifts/{code}", key=key)
    assert r.status_code == 200, r.body
    return r.json_body


def history(api, key: str, code: str) -> list[dict]:
    return list(api.pages(f"/v1/gifts/{code}/events?limit=7", key=key))


def new_gift(api, partner, amount: int = 100_000) -> tuple[dict, GiftModel]:
    c = api.campaign(partner["key"])
    g = api.issue(partner["key"], c["id"], amount).json_body
    (stored,) = stored_gifts(campaign_id=c["id"])
    return g, stored


def redeemed_before(gift: GiftModel, amount: int, *, with_history: bool) -> str:
    """A redemption as the code before issue 26 stored it: the gift's balance lowered,
    a `redemptions` item, its `redemption-refs` item and (since the history) a history
    row naming it. Returns its id (`red_` and 22 characters)."""
    rid = ids.new_id(ids.REDEMPTION)
    at = "2026-12-01T10:00:00Z"
    already = int(gift.amount) - int(gift.balance) + int(gift.reversed or 0)
    actions = [GiftModel.balance.set(int(gift.balance) - amount)]
    if with_history:
        seq = int(gift.seq or 0) + 1
        GiftEventModel(gift_id=gift.id, seq=seq, id=ids.new_id(ids.GIFT_EVENT), type="redeemed",
                       amount=amount, balance_after=int(gift.balance) - amount, at=at,
                       ref=rid).save()
        actions.append(GiftModel.seq.set(seq))
    gift.update(actions=actions)
    RedemptionModel(gift_id=gift.id, sort_key=f"{already:013d}#{rid}", id=rid, amount=amount,
                    redeemed_at=at).save()
    RedemptionRefModel(id=rid, gift_key=gift.code_hash, gift_id=gift.id,
                       partner_id=gift.partner_id, amount=amount, reversed=0,
                       redeemed_at=at).save()
    clear_caches()  # as a Lambda started after the deploy
    return rid


def test_a_redemption_is_its_history_row_and_writes_no_item_of_its_own(api, partner):
    k = partner["key"]
    g, stored = new_gift(api, partner)
    red = api.redeem(k, g["code"], amount=30_000, location="till 4").json_body["redemption"]
    body = stored.id.removeprefix("gft_")
    assert red["id"] == f"red_{body}_1"
    assert list(RedemptionModel.scan()) == [] and list(RedemptionRefModel.scan()) == []
    (row,) = GiftEventModel.query(stored.id, consistent_read=True)
    assert (row.type, int(row.amount), row.gift_key, row.ref, row.reversed) == (
        "redeemed", 30_000, stored.code_hash, red["id"], None)
    assert lookup(api, k, g["code"])["redemptions"] == [red]
    assert [e.get("ref") for e in history(api, k, g["code"])] == [None, red["id"]]
    # a capture is a redemption the same way: its row, its id, reversible
    h = post(api, f"/v1/gifts/{g['code']}/holds", {"amount": 10_000}, k).json_body
    captured = post(api, f"/v1/holds/{h['id']}/capture", {}, k).json_body
    assert captured["redemption"]["id"] == f"red_{body}_3"
    assert post(api, f"/v1/holds/{h['id']}/capture", {}, k).status_code == 409
    got = api.call("GET", f"/v1/holds/{h['id']}", key=k).json_body
    assert got["redemption_id"] == captured["redemption"]["id"]
    assert [x["id"] for x in lookup(api, k, g["code"])["redemptions"]] == [
        red["id"], captured["redemption"]["id"]]
    r = reverse(api, k, captured["redemption"]["id"], amount=4_000)
    assert r.status_code == 201, r.body
    assert r.json_body["gift"]["balance"] == 100_000 - 30_000 - 10_000 + 4_000
    assert list(RedemptionModel.scan()) == [] and list(RedemptionRefModel.scan()) == []


def test_an_id_that_names_no_redemption_is_404_before_or_after_a_read(api, partner):
    k = partner["key"]
    g, stored = new_gift(api, partner)
    h = post(api, f"/v1/gifts/{g['code']}/holds", {"amount": 10_000}, k).json_body  # row 1
    red = api.redeem(k, g["code"], amount=1_000).json_body["redemption"]  # row 2
    body = stored.id.removeprefix("gft_")
    assert red["id"] == f"red_{body}_2"
    for wrong in (f"red_{body}_1",  # the hold's row: not a redemption
                  f"red_{body}_3", f"red_{body}_0", f"red_{body}_2x", f"red_{body}_",
                  "red_nothere", "red_x_1", f"red_{body.upper()}_2", f"hld_{body}_2",
                  h["id"]):
        assert_problem(reverse(api, k, wrong), 404, "not_found")
    # another partner's redemption is as missing as one that never was
    assert_problem(reverse(api, api.partner("Other")["key"], red["id"]), 404, "not_found")
    assert reverse(api, k, red["id"]).status_code == 201


@pytest.mark.parametrize("with_history", [True, False])
def test_redemptions_made_before_stay_listed_first_and_reversible(api, partner,
                                                                  with_history):
    k = partner["key"]
    g, stored = new_gift(api, partner)
    old = redeemed_before(stored, 20_000, with_history=with_history)
    assert re.fullmatch(r"red_[0-9a-z]{22}", old)
    new = api.redeem(k, g["code"], amount=30_000).json_body["redemption"]
    seq = 2 if with_history else 1
    assert new["id"] == f"red_{stored.id.removeprefix('gft_')}_{seq}"
    listed = lookup(api, k, g["code"])
    assert [(x["id"], x["amount"]) for x in listed["redemptions"]] == [(old, 20_000),
                                                                       (new["id"], 30_000)]
    assert listed["balance"] == 50_000
    # the old one, through its ref item; then the new one, through its row
    r = reverse(api, k, old, amount=5_000)
    assert r.status_code == 201, r.body
    assert_problem(reverse(api, k, old, amount=15_001), 422, "reversal_too_large")
    assert reverse(api, k, old).json_body["amount"] == 15_000
    assert_problem(reverse(api, k, old), 409, "redemption_fully_reversed")
    assert int(RedemptionRefModel.get(old).reversed) == 20_000
    assert reverse(api, k, new["id"]).json_body["gift"]["balance"] == 100_000
    assert_problem(reverse(api, k, new["id"]), 409, "redemption_fully_reversed")
    # reversals give money back; the list of redemptions is unchanged by them
    assert [x["id"] for x in lookup(api, k, g["code"])["redemptions"]] == [old, new["id"]]


def test_a_gift_never_redeemed_before_reads_no_older_redemptions(api, partner, monkeypatch):
    """The older table is read only when the rows do not add up to what the gift gave."""
    k = partner["key"]
    g, _ = new_gift(api, partner)
    api.redeem(k, g["code"], amount=1_000)
    plan = patch_dynamodb(monkeypatch)
    lookup(api, k, g["code"])
    tables = [t for op, t in plan.every_call if op == "Query"]
    assert tables and not any(t.endswith("-redemptions") for t in tables), tables


# ------------------------------------------------------------------ races


@pytest.mark.parametrize("made_before", [False, True])
@pytest.mark.slow
def test_sixteen_threads_reversing_one_redemption_give_back_at_most_what_it_took(
        api, partner, conflicts, made_before):
    k = partner["key"]
    g, stored = new_gift(api, partner)
    if made_before:
        rid = redeemed_before(stored, 50_000, with_history=True)
    else:
        rid = api.redeem(k, g["code"], amount=50_000).json_body["redemption"]["id"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda _: reverse(api, k, rid, amount=10_000), range(16)))
    assert all(r.status_code in (201, 409, 422, 503) for r in results), \
        [r.body for r in results]
    done = sum(r.status_code == 201 for r in results)
    assert 1 <= done <= 5
    got = lookup(api, k, g["code"])
    assert got["balance"] == 50_000 + 10_000 * done
    left = 50_000 - 10_000 * done
    if left:
        assert_problem(reverse(api, k, rid, amount=left + 1), 422, "reversal_too_large")
        assert reverse(api, k, rid).json_body["amount"] == left
    assert_problem(reverse(api, k, rid), 409, "redemption_fully_reversed")
    assert lookup(api, k, g["code"])["balance"] == 100_000


def test_ten_tills_redeeming_one_gift_take_at_most_its_balance_each_once(api, partner,
                                                                         conflicts):
    k = partner["key"]
    g, _ = new_gift(api, partner, 90_000)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: api.redeem(k, g["code"], amount=30_000), range(10)))
    assert all(r.status_code in (200, 409, 422, 503) for r in results), \
        [r.body for r in results]
    won = [r.json_body["redemption"] for r in results if r.status_code == 200]
    assert 1 <= len(won) <= 3
    got = lookup(api, k, g["code"])
    assert got["balance"] == 90_000 - 30_000 * len(won)
    assert sorted(x["id"] for x in got["redemptions"]) == sorted(x["id"] for x in won)
    assert len({x["id"] for x in won}) == len(won)
    for x in won:  # each reversible once, by its own id
        assert reverse(api, k, x["id"]).status_code == 201
        assert_problem(reverse(api, k, x["id"]), 409, "redemption_fully_reversed")
    assert lookup(api, k, g["code"])["balance"] == 90_000


def test_one_idempotency_key_redeeming_from_eight_threads_redeems_once(api, partner,
                                                                       conflicts):
    k = partner["key"]
    g, stored = new_gift(api, partner)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: api.redeem(k, g["code"], idem="one-key",
                                                     amount=10_000), range(8)))
    assert {r.status_code for r in results} <= {200, 409, 503}, [r.body for r in results]
    answers = {r.body for r in results if r.status_code == 200}
    assert len(answers) == 1
    again = api.redeem(k, g["code"], idem="one-key", amount=10_000)
    assert again.status_code == 200 and again.body in answers
    assert lookup(api, k, g["code"])["balance"] == 90_000
    rows = list(GiftEventModel.query(stored.id, consistent_read=True))
    assert [(r.type, r.gift_key is not None) for r in rows] == [("redeemed", True)]
    # a reversal replayed with its key gives back once, the same answer
    rid = again.json_body["redemption"]["id"]
    first = reverse(api, k, rid, idem="rev-key", amount=1_000)
    assert reverse(api, k, rid, idem="rev-key", amount=1_000).body == first.body
    assert int(GiftEventModel.get(stored.id, 1).reversed) == 1_000
