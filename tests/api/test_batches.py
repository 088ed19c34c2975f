"""Bulk issuance through the HTTP surface: all-or-nothing reserve, exactly-once
issue across crashes, CSV in and out, and the partner CLI's retry discipline."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from pynamodb.connection.base import Connection

from chalicelib.bulk import batches
from chalicelib.core import codes, config, vault
from chalicelib.money.gifts import plain_code
from chalicelib.store import jobs
from chalicelib.store.models import GiftModel, IdempotencyModel
from chalicelib.store.records import BatchModel
from tests.helpers import HANG, stored_gifts


class Crash(BaseException):
    """A process dying mid-request: no except Exception handler may catch it."""


def items_of(n: int, amount: int = 1000) -> list[dict]:
    return [{"amount": amount, "reference": f"emp-{i}"} for i in range(n)]


def export(api, key: str, batch_id: str) -> list[dict]:
    r = api.call("GET", f"/v1/gift-batches/{batch_id}/gifts.csv", key=key)
    assert r.status_code == 200, r.body
    assert r.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.body.decode())))


def pending_markers() -> int:
    return sum(1 for _ in BatchModel.query(batches.PENDING))


def stored_chunks() -> int:
    return sum(1 for m in BatchModel.scan() if m.part.startswith("chunk#"))


def stored_batch_gifts(batch_id: str) -> list[GiftModel]:
    return stored_gifts(batch_id=batch_id)


@pytest.fixture
def sync_max(monkeypatch):
    """Lower the synchronous threshold so async paths run with small batches."""
    def set_to(n: int) -> None:
        monkeypatch.setenv("SYNC_BATCH_MAX_ITEMS", str(n))
        config.reset()
    yield set_to
    config.reset()


def reserve_then_crash(api, key: str, campaign_id: str, items: list[dict], idem: str,
                       monkeypatch) -> str:
    """A batch request that dies right after its reserve: debited, no gift written.
    Returns the batch's id (from its pending marker)."""
    real = batches.process

    def dies(batch_id, deadline=None):
        raise Crash("crash right after the reserve")
    monkeypatch.setattr(batches, "process", dies)
    with pytest.raises(Crash):
        api.post_batch(key, campaign_id, items, idem=idem)
    monkeypatch.setattr(batches, "process", real)
    return next(m.part for m in BatchModel.query(batches.PENDING, consistent_read=True)
                if m.campaign_id == campaign_id)


@pytest.fixture
def crash_after(monkeypatch):
    """Make the gift writer die after `k` successful transactions (100 gifts each)."""
    state = {"calls": 0, "written": []}
    real = batches._put_absent

    def arm(k: int) -> dict:
        def writer(models):
            if state["calls"] >= k:
                raise Crash(f"crash after {k} writes")
            state["calls"] += 1
            state["written"] += [m.code_hash for m in models]
            real(models)
        monkeypatch.setattr(batches, "_put_absent", writer)
        return state

    def disarm() -> None:
        monkeypatch.setattr(batches, "_put_absent", real)

    arm.disarm = disarm
    return arm


# ------------------------------------------------------------------ small batches


def test_batch_small_is_issued_within_the_request(api, partner):
    # given
    c = api.campaign(partner["key"], budget=100_000)
    # when
    r = api.post_batch(partner["key"], c["id"], items_of(30))
    # then
    assert r.status_code == 201, r.body
    b = r.json_body
    assert b["id"].startswith("bat_") and b["status"] == "completed"
    assert (b["count"], b["total_amount"], b["issued"]) == (30, 30_000, 30)
    assert b["completed_at"] is not None
    assert api.budget(partner["key"], c["id"])["spent"] == 30_000
    assert len(stored_batch_gifts(b["id"])) == 30
    assert pending_markers() == 0


def test_batch_gifts_page_and_csv_export_are_in_item_order(api, partner):
    c = api.campaign(partner["key"])
    items = [{"amount": 1000 + i, "reference": f"r-{i}",
              "recipient": {"phone": "+84901234567"}} for i in range(45)]
    items[3]["recipient"]["email"] = "=cmd@evil.example"
    b = api.post_batch(partner["key"], c["id"], items).json_body
    # paged gifts
    seen = list(api.pages(f"/v1/gift-batches/{b['id']}/gifts?limit=20", key=partner["key"]))
    assert [g["index"] for g in seen] == list(range(45))
    assert [g["amount"] for g in seen] == [1000 + i for i in range(45)]
    assert seen[7]["recipient"]["reference"] == "r-7"
    # CSV
    rows = export(api, partner["key"], b["id"])
    assert len(rows) == 45
    assert list(rows[0]) == ["index", "reference", "amount", "currency", "code", "gift_id",
                             "expires_at", "phone", "email", "gift_url"]
    assert [r["gift_url"] for r in rows] == [g["gift_url"] for g in seen]
    assert [int(r["index"]) for r in rows] == list(range(45))
    assert [r["code"] for r in rows] == [g["code"] for g in seen]
    assert [r["gift_id"] for r in rows] == [g["id"] for g in seen]
    assert rows[7]["reference"] == "r-7" and rows[7]["currency"] == "VND"
    assert rows[7]["expires_at"] == seen[7]["expires_at"]
    assert rows[3]["email"] == "'=cmd@evil.example"  # no formula runs in a spreadsheet


def test_batch_of_another_partner_is_404(api, partner):
    c = api.campaign(partner["key"])
    b = api.post_batch(partner["key"], c["id"], items_of(3)).json_body
    intruder = api.partner("Rival Tea")
    for suffix in ("", "/gifts", "/gifts.csv"):
        r = api.call("GET", f"/v1/gift-batches/{b['id']}{suffix}", key=intruder["key"])
        assert r.status_code == 404 and r.json_body["code"] == "not_found"
    r = api.post_batch(intruder["key"], c["id"], items_of(3))
    assert r.status_code == 404
    assert api.call("GET", "/v1/gift-batches/bat_nope", key=partner["key"]).status_code == 404


# ---------------------------------------------------------------------- budget


def test_batch_over_budget_writes_nothing(api, partner):
    # given
    c = api.campaign(partner["key"], budget=10_000)
    chunks_before = stored_chunks()
    # when
    r = api.post_batch(partner["key"], c["id"], items_of(11), idem="too-big")
    # then
    assert r.status_code == 409 and r.json_body["code"] == "budget_exhausted"
    assert api.budget(partner["key"], c["id"]) == {"total": 10_000, "spent": 0,
                                                    "remaining": 10_000}
    assert pending_markers() == 0
    assert stored_gifts(campaign_id=c["id"]) == []
    report = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=partner["key"]).json_body
    assert report["gifts"]["issued"]["count"] == 0
    headers = [m for m in BatchModel.scan() if m.part == "header" and m.campaign_id == c["id"]]
    assert headers == []
    assert stored_chunks() == chunks_before  # the refused batch's rows are not kept
    again = api.post_batch(partner["key"], c["id"], items_of(11), idem="too-big")
    assert again.status_code == 409 and again.headers.get("Idempotent-Replayed") == "true"
    fits = api.post_batch(partner["key"], c["id"], items_of(10))
    assert fits.status_code == 201


# ------------------------------------------------------------------- validation


def test_batch_csv_errors_name_their_line_numbers(api, partner):
    c = api.campaign(partner["key"])
    text = ("amount,reference,phone,email\n"
            "1000,a,+84901234567,a@example.com\n"
            "ten,b,,\n"
            "\n"
            "2000,c,,not-an-email\n"
            "3000,d,12,\n")
    r = api.post_batch(partner["key"], c["id"], csv_text=text)
    assert r.status_code == 422 and r.json_body["code"] == "validation_error"
    fields = [e["field"] for e in r.json_body["errors"]]
    assert fields == ["rows[3].amount", "rows[5].email", "rows[6].phone"]
    assert r.json_body["errors"][0]["message"].startswith("line 3:")
    assert "line number" in r.json_body["detail"]
    assert pending_markers() == 0


def test_batch_csv_header_is_required_and_checked(api, partner):
    c = api.campaign(partner["key"])
    r = api.post_batch(partner["key"], c["id"], csv_text="1000,a\n2000,b\n")
    assert r.status_code == 422 and r.json_body["errors"][0]["field"] == "rows[1]"
    r = api.post_batch(partner["key"], c["id"], csv_text="amount,colour\n1000,red\n")
    assert r.status_code == 422 and "colour" in r.json_body["errors"][0]["message"]
    r = api.post_batch(partner["key"], c["id"], csv_text="amount\n")
    assert r.status_code == 422


def test_batch_csv_with_bom_and_crlf_is_issued(api, partner):
    c = api.campaign(partner["key"])
    text = "\ufeffAmount,Reference,Phone\r\n1000,x-1,+84 901 234 567\r\n2500,\"x,2\",\r\n"
    r = api.post_batch(partner["key"], c["id"], csv_text=text)
    assert r.status_code == 201, r.body
    assert (r.json_body["count"], r.json_body["total_amount"]) == (2, 3500)
    rows = export(api, partner["key"], r.json_body["id"])
    assert [(x["reference"], x["phone"]) for x in rows] == [("x-1", "+84901234567"),
                                                             ("x,2", "")]


def test_batch_json_errors_name_the_item(api, partner):
    c = api.campaign(partner["key"])
    items = items_of(5)
    items[3]["amount"] = 0
    r = api.post_batch(partner["key"], c["id"], items)
    assert r.status_code == 422
    assert r.json_body["errors"][0]["field"] == "items[3].amount"
    r = api.post_batch(partner["key"], c["id"], [])
    assert r.status_code == 422 and r.json_body["errors"][0]["field"] == "items"


# ------------------------------------------------------------ crashes and resume


def test_batch_crash_mid_write_then_retry_issues_each_item_once(api, partner, crash_after,
                                                                 monkeypatch):
    # given: a synchronous batch whose writer dies after 3 of its 4 transactions
    c = api.campaign(partner["key"], budget=1_000_000)
    state = crash_after(3)
    with pytest.raises(Crash):
        api.post_batch(partner["key"], c["id"], items_of(400), idem="crashy")
    written_before = list(state["written"])
    assert len(written_before) == 300
    assert api.budget(partner["key"], c["id"])["spent"] == 400_000  # reserved once
    crash_after.disarm()
    # a retry while the claim looks alive is told to wait
    r = api.post_batch(partner["key"], c["id"], items_of(400), idem="crashy")
    assert r.status_code == 409 and r.json_body["code"] == "idempotency_in_progress"
    # when: the claim is stale, the retry takes over and finishes the same batch
    monkeypatch.setattr(batches, "STALE_AFTER", 0)
    r = api.post_batch(partner["key"], c["id"], items_of(400), idem="crashy")
    # then
    assert r.status_code == 201, r.body
    assert r.json_body["status"] == "completed" and r.json_body["issued"] == 400
    stored = stored_batch_gifts(r.json_body["id"])
    assert len(stored) == 400
    assert set(written_before) <= {g.code_hash for g in stored}
    assert len({plain_code(g) for g in stored}) == 400
    assert api.budget(partner["key"], c["id"])["spent"] == 400_000
    report = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=partner["key"]).json_body
    assert report["gifts"]["issued"] == {"count": 400, "amount": 400_000}
    again = api.post_batch(partner["key"], c["id"], items_of(400), idem="crashy")
    assert again.body == r.body and again.headers.get("Idempotent-Replayed") == "true"


def test_batch_resume_never_resets_a_redeemed_gift(api, partner, crash_after, monkeypatch):
    c = api.campaign(partner["key"])
    state = crash_after(1)
    with pytest.raises(Crash):
        api.post_batch(partner["key"], c["id"], items_of(150), idem="k")
    crash_after.disarm()
    first = GiftModel.get(state["written"][0])
    r = api.call("POST", f"/v1/gifts/{plain_code(first)}/redeem", {}, key=partner["key"],
                 idem=str(uuid.uuid4()))
    assert r.status_code == 200, r.body
    monkeypatch.setattr(batches, "STALE_AFTER", 0)
    assert jobs.sweep([batches.JOB], 30) == 1
    assert GiftModel.get(first.code_hash).balance == 0  # not overwritten by the resume
    assert len(stored_batch_gifts(first.batch_id)) == 150


def test_batch_writer_overlapping_another_never_resets_redeemed_or_voided_gifts(api, partner):
    # given: a finished batch, one gift redeemed and one voided since
    c = api.campaign(partner["key"], budget=100_000)
    r = api.post_batch(partner["key"], c["id"], items_of(30), idem="overlap")
    assert r.status_code == 201, r.body
    stored = sorted(stored_batch_gifts(r.json_body["id"]), key=lambda g: g.batch_index)
    redeemed, voided = stored[0], stored[1]
    assert api.call("POST", f"/v1/gifts/{plain_code(redeemed)}/redeem", {}, key=partner["key"],
                    idem=str(uuid.uuid4())).status_code == 200
    assert api.call("POST", f"/v1/gifts/{plain_code(voided)}/void", {}, key=partner["key"],
                    idem=str(uuid.uuid4())).status_code == 200
    spent = api.budget(partner["key"], c["id"])["spent"]

    # when: a second writer (an SQS redelivery, the sweeper) writes the same gifts late
    fresh = [GiftModel(**{k: getattr(g, k) for k in GiftModel.get_attributes()})
             for g in stored]
    for g in fresh:
        g.balance, g.status, g.voided_at = g.amount, "active", None
    batches._write_missing(fresh)

    # then: the conditions kept what happened since; nothing was paid twice
    assert GiftModel.get(redeemed.code_hash, consistent_read=True).balance == 0
    assert GiftModel.get(voided.code_hash, consistent_read=True).status == "voided"
    assert api.budget(partner["key"], c["id"])["spent"] == spent == 29_000
    again = api.call("POST", f"/v1/gifts/{plain_code(redeemed)}/redeem", {}, key=partner["key"],
                     idem=str(uuid.uuid4()))
    assert again.status_code == 409 and again.json_body["code"] == "gift_already_redeemed"


def test_batch_writer_racing_another_writer_and_a_till_never_pays_a_gift_twice(
        api, partner, monkeypatch):
    # given a reserved batch whose gifts are not written yet (its request died)
    c = api.campaign(partner["key"], budget=100_000)
    batch_id = reserve_then_crash(api, partner["key"], c["id"], items_of(5), "race",
                                  monkeypatch)

    # when, just before this writer's first gift write reaches DynamoDB, another
    # writer stores the first gift and a till redeems it in full
    real_dispatch = Connection.dispatch
    raced = {}

    def first_gift(operation, kwargs):  # either way of writing gifts, old or new
        if operation == "BatchWriteItem":
            return next(iter(kwargs["RequestItems"].values()))[0]["PutRequest"]["Item"]
        if operation == "TransactWriteItems":
            for item in kwargs["TransactItems"]:
                if "Put" in item and "batch_index" in item["Put"]["Item"]:
                    return item["Put"]["Item"]
        return None

    def racing_dispatch(self, operation, kwargs, *args, **kw):
        item = None if raced else first_gift(operation, kwargs)
        if item is not None:
            raced["code"] = plain_code(GiftModel.from_raw_data(item))
            raced["hash"] = item["code_hash"]["S"]
            GiftModel.from_raw_data(item).save()
            raced["redeem"] = api.call("POST", f"/v1/gifts/{raced['code']}/redeem", {},
                                       key=partner["key"], idem=str(uuid.uuid4()))
        return real_dispatch(self, operation, kwargs, *args, **kw)
    monkeypatch.setattr(Connection, "dispatch", racing_dispatch)
    batches.process(batch_id)
    monkeypatch.setattr(Connection, "dispatch", real_dispatch)

    # then the redeemed gift stays redeemed, and the batch is complete
    assert raced["redeem"].status_code == 200, raced["redeem"].body
    assert GiftModel.get(raced["hash"], consistent_read=True).balance == 0
    again = api.call("POST", f"/v1/gifts/{raced['code']}/redeem", {}, key=partner["key"],
                     idem=str(uuid.uuid4()))
    assert again.status_code == 409 and again.json_body["code"] == "gift_already_redeemed"
    assert len(stored_batch_gifts(batch_id)) == 5


def test_batch_claim_whose_answer_was_lost_is_its_own_and_goes_on(api, partner,
                                                                   monkeypatch):
    # given the claim's put reaches DynamoDB but its answer is lost, and the SDK
    # sends it again (the second attempt meets the record the first one wrote)
    from pynamodb.models import Model

    c = api.campaign(partner["key"])
    real_save = Model.save
    sent = {"n": 0}

    def save_twice(self, *args, **kwargs):
        if isinstance(self, IdempotencyModel) and self.state == "in_progress" \
                and not sent["n"]:
            sent["n"] += 1
            real_save(self, *args, **kwargs)  # applied; its answer "lost", sent again
        return real_save(self, *args, **kwargs)
    monkeypatch.setattr(Model, "save", save_twice)

    # when the request goes on
    r = api.post_batch(partner["key"], c["id"], items_of(10), idem="lost-answer")

    # then it is not its own duplicate: the batch is issued now, not in 60 s
    assert sent["n"] == 1
    assert r.status_code == 201, r.body
    assert r.json_body["issued"] == 10


def test_batch_claim_with_nothing_reserved_is_taken_over_after_seconds(api, partner,
                                                                       monkeypatch, later):
    # given a request that claimed its key, then died before reserving anything
    c = api.campaign(partner["key"])
    real = batches._reserve

    def dies(*args, **kwargs):
        raise Crash("crash between begin and reserve")
    monkeypatch.setattr(batches, "_reserve", dies)
    with pytest.raises(Crash):
        api.post_batch(partner["key"], c["id"], items_of(10), idem="k-early")
    monkeypatch.setattr(batches, "_reserve", real)

    # when the client retries at once, then a few seconds later
    early = api.post_batch(partner["key"], c["id"], items_of(10), idem="k-early")
    later(timedelta(seconds=batches.STALE_UNRESERVED + 1))
    retry = api.post_batch(partner["key"], c["id"], items_of(10), idem="k-early")

    # then it waits seconds, not a minute, and is then issued once
    assert early.status_code == 409
    assert int(early.headers["Retry-After"]) <= batches.STALE_UNRESERVED
    assert retry.status_code == 201, retry.body
    assert api.budget(partner["key"], c["id"])["spent"] == 10_000


def test_batch_crash_before_the_reserve_is_retried_cleanly(api, partner, monkeypatch):
    c = api.campaign(partner["key"])
    real = batches._reserve

    def dies(*args, **kwargs):
        raise Crash("crash between begin and reserve")
    monkeypatch.setattr(batches, "_reserve", dies)
    with pytest.raises(Crash):
        api.post_batch(partner["key"], c["id"], items_of(10), idem="k2")
    monkeypatch.setattr(batches, "_reserve", real)
    monkeypatch.setattr(batches, "STALE_UNRESERVED", 0)
    r = api.post_batch(partner["key"], c["id"], items_of(10), idem="k2")
    assert r.status_code == 201 and r.json_body["issued"] == 10
    assert api.budget(partner["key"], c["id"])["spent"] == 10_000


def test_batch_crash_after_the_reserve_is_finished_by_the_worker(api, partner, monkeypatch):
    c = api.campaign(partner["key"])
    reserve_then_crash(api, partner["key"], c["id"], items_of(10), "k3", monkeypatch)
    assert jobs.sweep([batches.JOB], 10) == 0  # a young synchronous batch is left to its request
    monkeypatch.setattr(batches, "STALE_AFTER", 0)
    assert jobs.sweep([batches.JOB], 10) == 1
    r = api.post_batch(partner["key"], c["id"], items_of(10), idem="k3")
    assert r.status_code == 201 and r.json_body["status"] == "completed"
    assert len(stored_batch_gifts(r.json_body["id"])) == 10
    assert api.budget(partner["key"], c["id"])["spent"] == 10_000


@pytest.mark.slow
def test_batch_async_worker_crash_is_resumed(api, partner, sync_max, crash_after):
    sync_max(100)
    c = api.campaign(partner["key"])
    r = api.post_batch(partner["key"], c["id"], items_of(600), idem="big")
    assert r.status_code == 202 and r.json_body["status"] == "processing"
    crash_after(3)  # of 6 transactions of 100: progress is marked every 200
    with pytest.raises(Crash):
        jobs.sweep([batches.JOB], 30)
    crash_after.disarm()
    mid = api.call("GET", f"/v1/gift-batches/{r.json_body['id']}", key=partner["key"]).json_body
    assert mid["status"] == "processing" and mid["issued"] == 200
    replay = api.post_batch(partner["key"], c["id"], items_of(600), idem="big")
    assert replay.status_code == 202 and replay.body == r.body
    assert jobs.sweep([batches.JOB], 30) == 1
    done = api.call("GET", f"/v1/gift-batches/{r.json_body['id']}", key=partner["key"]).json_body
    assert done["status"] == "completed" and done["issued"] == 600
    assert len(stored_batch_gifts(done["id"])) == 600
    assert api.budget(partner["key"], c["id"])["spent"] == 600_000


def test_batch_export_of_a_processing_batch_is_409(api, partner, sync_max):
    sync_max(1)
    c = api.campaign(partner["key"])
    b = api.post_batch(partner["key"], c["id"], items_of(2)).json_body
    r = api.call("GET", f"/v1/gift-batches/{b['id']}/gifts.csv", key=partner["key"])
    assert r.status_code == 409 and r.json_body["code"] == "batch_processing"


# ------------------------------------------------------------------ 10,000 items


@pytest.mark.slow
@pytest.mark.timeout(HANG)  # about a minute idle: a guard against a hang, not a bound on speed
def test_batch_of_10000_is_issued_once_with_distinct_codes(api, partner):
    # given
    c = api.campaign(partner["key"], budget=50_000_000)
    items = [{"amount": 1000 + i % 7, "reference": f"emp-{i}"} for i in range(10_000)]
    total = sum(i["amount"] for i in items)
    # when
    r = api.post_batch(partner["key"], c["id"], items, idem="ten-k")
    assert r.status_code == 202, r.body
    assert r.json_body["status"] == "processing" and r.json_body["count"] == 10_000
    # sweep until done, failing only if sweeps stop making progress (never on time)
    stalled = 0
    b = r.json_body
    while b["status"] != "completed" and stalled < 5:
        before = b["issued"]
        jobs.sweep([batches.JOB], 5)
        b = api.call("GET", f"/v1/gift-batches/{r.json_body['id']}",
                     key=partner["key"]).json_body
        stalled = stalled + 1 if b["issued"] == before else 0
    # then
    assert b["status"] == "completed" and b["issued"] == 10_000
    rows = export(api, partner["key"], b["id"])
    assert len(rows) == 10_000 and len({row["code"] for row in rows}) == 10_000
    assert all(codes.is_valid(row["code"]) for row in rows[:200])
    tail = [vault.code_hash(codes.normalize(row["code"])) for row in rows[-100:]]
    assert {g.code_hash for g in GiftModel.batch_get(tail, consistent_read=True)} == set(tail)
    assert api.budget(partner["key"], c["id"])["spent"] == total
    report = api.call("GET", f"/v1/campaigns/{c['id']}/report", key=partner["key"]).json_body
    assert report["gifts"]["issued"] == {"count": 10_000, "amount": total}
    assert len(stored_batch_gifts(b["id"])) == 10_000
    replay = api.post_batch(partner["key"], c["id"], items, idem="ten-k")
    assert replay.status_code == 202 and replay.body == r.body


# --------------------------------------------------------------------------- CLI


def test_cli_issues_a_batch_end_to_end_after_a_lost_response(api, partner, tmp_path,
                                                             sync_max):
    from rewards_cli.__main__ import main

    sync_max(5)
    c = api.campaign(partner["key"])
    src = tmp_path / "staff.csv"
    src.write_text("amount,reference,email\n" + "".join(
        f"{1000 + i},s-{i},s{i}@example.com\n" for i in range(12)))
    out = tmp_path / "codes.csv"
    posts = []

    def transport(method, url, headers, body):
        path = url.removeprefix("https://api.test")
        r = getattr(api.client.http, method.lower())(path, headers=headers, body=body)
        if method == "POST":
            posts.append(headers["Idempotency-Key"])
            if len(posts) == 1:
                raise TimeoutError("the response was lost")  # after the server acted
        return r.status_code, dict(r.headers), r.body

    def sleep(_seconds):
        jobs.sweep([batches.JOB], 5)

    err = io.StringIO()
    argv = ["issue-batch", "--api", "https://api.test", "--key", partner["key"],
            "--campaign", c["id"], "--csv", str(src), "--out", str(out)]
    assert main(argv, transport=transport, sleep=sleep, err=err) == 0, err.getvalue()
    assert len(posts) == 2 and posts[0] == posts[1]
    saved = tmp_path / f"codes.csv.{c['id']}.idempotency-key"  # one per campaign
    assert saved.read_text().splitlines()[0] == posts[0]
    rows = list(csv.DictReader(out.open()))
    assert [r["reference"] for r in rows] == [f"s-{i}" for i in range(12)]
    assert api.budget(partner["key"], c["id"])["spent"] == sum(1000 + i for i in range(12))
    # a re-run reuses the saved key: the same batch, no second debit
    assert main(argv, transport=transport, sleep=sleep, err=err) == 0
    assert posts[2] == posts[0]
    assert api.budget(partner["key"], c["id"])["spent"] == sum(1000 + i for i in range(12))
    assert "100.0%" in err.getvalue()


def test_cli_reports_row_errors(api, partner, tmp_path):
    from rewards_cli.__main__ import main

    c = api.campaign(partner["key"])
    src = tmp_path / "bad.csv"
    src.write_text("amount,reference\n1000,a\nabc,b\n")

    def transport(method, url, headers, body):
        r = getattr(api.client.http, method.lower())(url.removeprefix("https://api.test"),
                                                     headers=headers, body=body)
        return r.status_code, dict(r.headers), r.body

    err = io.StringIO()
    code = main(["issue-batch", "--api", "https://api.test", "--key", partner["key"],
                 "--campaign", c["id"], "--csv", str(src), "--out", str(tmp_path / "o.csv")],
                transport=transport, sleep=lambda s: None, err=err)
    assert code == 2 and "rows[3].amount" in err.getvalue()


def test_queue_message_finishes_a_background_batch(api, partner, client, sync_max):
    # given a batch too large to finish within the request
    sync_max(5)
    c = api.campaign(partner["key"], budget=1_000_000)
    r = api.post_batch(partner["key"], c["id"], items_of(12))
    assert r.status_code == 202 and r.json_body["status"] == "processing"
    # when the queue delivers its message to the worker Lambda
    event = client.events.generate_sqs_event(
        message_bodies=[json.dumps({"batch_id": r.json_body["id"]})],
        queue_name="rewards-batches")
    client.lambda_.invoke("process_gift_batches", event)
    # then the batch is complete, with every gift and one debit
    done = api.call("GET", f"/v1/gift-batches/{r.json_body['id']}", key=partner["key"])
    assert done.json_body["status"] == "completed" and done.json_body["issued"] == 12
    assert api.budget(partner["key"], c["id"])["spent"] == 12_000
