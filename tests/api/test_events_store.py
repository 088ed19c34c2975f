"""The event log's storage rules, driven by the stream consumer's own entry point
(`events.handle_records`) with records shaped as Lambda hands them over: each
event written once, an event a campaign makes once stored once whichever batch
noticed it, and the budget's figures read only near its thresholds."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import Api, ok

NOW = time.time()


def _record(model: Any, old: Any, new: Any, at: float, name: str = "MODIFY") -> dict:
    images: dict[str, Any] = {"ApproximateCreationDateTime": at, "NewImage": new.serialize()}
    if old is not None:
        images["OldImage"] = old.serialize()
    return {"eventName": name, "dynamodb": images,
            "eventSourceARN": f"arn:aws:dynamodb:us-east-1:1:table/{model.Meta.table_name}/s/x"}


def _shard_charged(cid: str, at: float) -> dict:
    """A record of shard 00 of `cid` whose `spent` moved (what triggers budget events)."""
    from chalicelib.store.keys import shard_key
    from chalicelib.store.models import ShardModel

    new = ShardModel.get(shard_key(cid, 0), consistent_read=True)
    old = ShardModel.from_raw_data(new.serialize())
    old.spent = int(new.spent or 0) - 1
    return _record(ShardModel, old, new, at)


@pytest.fixture
def shard_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from chalicelib.money import budget_shards

    calls: list[str] = []
    real = budget_shards.read_shards

    def counted(campaign_id: str, shards: int, consistent: bool = True) -> Any:
        calls.append(campaign_id)
        return real(campaign_id, shards, consistent)

    monkeypatch.setattr(budget_shards, "read_shards", counted)
    return calls


def _events(api: Api, key: str, cid: str, kind: str) -> list[dict]:
    return [e for e in api.pages(f"/v1/events?campaign_id={cid}&type={kind}&limit=100",
                                 key=key)]


def test_the_consumer_reads_no_shard_while_the_pool_shows_the_budget_is_far_from_low(
        api: Api, shard_reads: list[str]) -> None:
    from chalicelib.delivery import events

    key = api.partner()["key"]
    cid = api.campaign(key, budget=10_000_000)["id"]
    ok(api.issue(key, cid, 50_000), 201)
    assert events.handle_records([_shard_charged(cid, NOW)]) == 0
    assert shard_reads == []


def test_budget_low_is_stored_once_whichever_batch_notices_it(
        api: Api, shard_reads: list[str]) -> None:
    from chalicelib.delivery import events

    key = api.partner()["key"]
    cid = api.campaign(key, budget=100_000)["id"]
    ok(api.issue(key, cid, 95_000), 201)  # 5 % left: low, not exhausted
    first = events.from_records([_shard_charged(cid, NOW)])
    later = events.from_records([_shard_charged(cid, NOW + 60)])
    assert [e.type for e in first] == [e.type for e in later] == ["campaign.budget_low"]
    assert first[0].id != later[0].id  # each names the instant its batch noticed it
    assert shard_reads  # near the threshold the figures are read
    events._budget_done.clear()  # as another consumer process would be
    assert events.handle_records([_shard_charged(cid, NOW)]) == 1
    events._budget_done.clear()
    assert events.handle_records([_shard_charged(cid, NOW + 60)]) == 0
    (low,) = _events(api, key, cid, "campaign.budget_low")
    assert low["id"] == first[0].id and low["data"]["budget"]["remaining"] == 5_000


def test_a_redelivered_batch_queues_no_delivery_and_stores_nothing_twice(api: Api) -> None:
    from chalicelib.delivery import events, queues
    from chalicelib.store.models import GiftModel
    from devtools import local_queue

    key = api.partner()["key"]
    ok(api.call("POST", "/v1/webhook-endpoints",
                {"url": "http://127.0.0.1:9/", "events": ["*"]}, key=key), 201)
    cid = api.campaign(key)["id"]
    gift = ok(api.issue(key, cid, 1_000), 201)
    stored = next(g for g in GiftModel.scan() if g.id == gift["id"])
    record = _record(GiftModel, None, stored, NOW, name="INSERT")
    local_queue.LOCAL_QUEUE.clear()
    assert events.handle_records([record, record]) == 1
    (message,) = [local_queue.LOCAL_QUEUE.take(1.0)]
    assert message is not None
    sent = queues.opened_event(message, message["partner_id"])
    assert sent is not None and sent["data"]["id"] == gift["id"]
    assert events.handle_records([record]) == 0
    assert len(local_queue.LOCAL_QUEUE) == 0
    (issued,) = _events(api, key, cid, "gift.issued")
    assert issued == sent


def test_an_events_cursor_from_before_time_ordered_ids_still_pages(api: Api) -> None:
    from chalicelib.delivery import events
    from chalicelib.store.models import GiftModel

    key = api.partner()["key"]
    cid = api.campaign(key)["id"]
    made, stamps = [], []
    for hours in (3, 2, 1):
        gift = ok(api.issue(key, cid, 1_000), 201)
        stored = next(g for g in GiftModel.scan() if g.id == gift["id"])
        stored.issued_at = stamp = (datetime.now(UTC) - timedelta(hours=hours)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        stamps.append(stamp)
        made.append(_record(GiftModel, None, stored, NOW, name="INSERT"))
    assert events.handle_records(made) == 3
    # a cursor of the old shape: the created_at#id of the newest event seen
    old = {"after": f"{stamps[2]}#evt_0123456789abcdef0123456789"}
    cursor = base64.urlsafe_b64encode(json.dumps(old).encode()).decode().rstrip("=")
    page = ok(api.call("GET", f"/v1/events?type=gift.issued&cursor={cursor}", key=key))
    assert [e["created_at"] for e in page["data"]] == [stamps[1], stamps[0]]
