"""Read units and DynamoDB calls per request: a page of a campaign's 10,000 gifts,
listing them all, a campaign GET, a budget top-up, a report.

Run: `.venv/bin/python -m bench.reads`. moto charges nothing, so every read call
made while serving a request is intercepted and charged as DynamoDB would
(read-write-operations in its developer guide): GetItem, BatchGetItem and
TransactGetItems per item, each rounded up to 4 KB (a missing item still costs
one step); Query and Scan per 4 KB of the items they *evaluate* (a filter drops
items after they are charged: the call is re-run unmetered without its filter to
size them), at least one step per call. A strongly consistent step is one read
unit, an eventually consistent one half (a global index is always eventual),
a transactional one two. Item sizes: `chalicelib.store.sizes.item_size`.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local import environment, stack  # noqa: E402

environment("rewards-reads")

import botocore.client  # noqa: E402

from chalicelib.store.sizes import item_size  # noqa: E402

GIFTS = int(os.environ.get("BENCH_READS_GIFTS", "10000"))
STEP = 4096
_original = botocore.client.BaseClient._make_api_call
_local = threading.local()
_lock = threading.Lock()


@dataclass
class Meter:
    units: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)
    evaluated: int = 0  # items Queries evaluated

    def add(self, operation: str, units: float, evaluated: int = 0) -> None:
        with _lock:
            self.calls[operation] += 1
            self.units += units
            self.evaluated += evaluated


METER = Meter()


def _steps(items: list[dict]) -> int:
    """Query/Scan: the evaluated items' sizes summed, then rounded up to 4 KB."""
    return max(1, math.ceil(sum(item_size(i) for i in items) / STEP))


def _item_steps(item: dict | None) -> int:
    """GetItem and each item of a batch: rounded up to 4 KB on its own."""
    return max(1, math.ceil(item_size(item) / STEP))


def _unmetered(client: Any, operation: str, params: dict) -> Any:
    _local.inside = True
    try:
        return _original(client, operation, params)
    finally:
        _local.inside = False


def _evaluated(client: Any, operation: str, params: dict, result: dict) -> list[dict]:
    """The items a Query/Scan evaluated: those it returned, or with a filter (or a
    projection) the same call without them, as DynamoDB charges before filtering."""
    if "FilterExpression" not in params and "ProjectionExpression" not in params \
            and params.get("Select") not in ("COUNT", "SPECIFIC_ATTRIBUTES"):
        return result.get("Items") or []
    bare = {k: v for k, v in params.items()
            if k not in ("FilterExpression", "ProjectionExpression", "Select")}
    used = " ".join(str(bare.get(k, "")) for k in ("KeyConditionExpression",))
    if "ExpressionAttributeNames" in bare:
        names = {k: v for k, v in bare["ExpressionAttributeNames"].items()
                 if re.search(re.escape(k) + r"\b", used)}
        bare["ExpressionAttributeNames"] = names
        if not names:
            del bare["ExpressionAttributeNames"]
    if "ExpressionAttributeValues" in bare:
        values = {k: v for k, v in bare["ExpressionAttributeValues"].items()
                  if re.search(re.escape(k) + r"\b", used)}
        bare["ExpressionAttributeValues"] = values
        if not values:
            del bare["ExpressionAttributeValues"]
    return _unmetered(client, operation, bare).get("Items") or []


def _metering(self: Any, operation: str, params: dict) -> Any:
    if getattr(_local, "inside", False):
        return _original(self, operation, params)
    result = _original(self, operation, params)
    half = 1.0 if params.get("ConsistentRead") else 0.5
    if operation == "GetItem":
        METER.add(operation, half * _item_steps(result.get("Item")))
    elif operation in ("Query", "Scan"):
        items = _evaluated(self, operation, params, result)
        if "IndexName" in params:
            half = 0.5  # a global secondary index serves eventually consistent reads only
        METER.add(operation, half * _steps(items), len(items))
    elif operation == "BatchGetItem":
        units = 0.0
        for table, ask in params["RequestItems"].items():
            rate = 1.0 if ask.get("ConsistentRead") else 0.5
            found = (result.get("Responses") or {}).get(table) or []
            missing = len(ask["Keys"]) - len(found)
            units += rate * (sum(_item_steps(i) for i in found) + missing)
        METER.add(operation, units)
    elif operation == "TransactGetItems":
        METER.add(operation, 2.0 * sum(_item_steps(r.get("Item"))
                                       for r in result.get("Responses") or []))
    else:
        METER.add(operation, 0.0)
    return result


def measured(op: Any) -> tuple[Any, Meter]:
    global METER
    METER = Meter()
    out = op()
    return out, METER


def _row(name: str, m: Meter, note: str = "") -> str:
    calls = ", ".join(f"{n} {op}" for op, n in sorted(m.calls.items()))
    return f"{name:34} {m.units:9.1f} {sum(m.calls.values()):6d}  {calls}{note}"


def _seed(cid: str) -> None:
    """GIFTS gifts on random shards, as issuance spreads them, written straight to
    the table (setup: issuing them one request at a time takes minutes)."""
    import random

    from chalicelib.core.clock import now as utcnow
    from chalicelib.money import campaigns, gifts
    from chalicelib.store.keys import shard_key
    from chalicelib.store.models import CampaignModel, GiftModel

    c = CampaignModel.get(cid)
    terms = campaigns.terms(c.partner_id, cid)
    start = utcnow() - timedelta(hours=3)
    with GiftModel.batch_write() as batch:
        for i in range(GIFTS - 64):
            g = gifts.new_gift(terms, 50_000, start + timedelta(milliseconds=i),
                               shard_key=shard_key(cid, random.randrange(int(c.shards))))
            batch.save(g)


class Rows(list):
    """Printed as they come: the walk over 10,000 gifts takes minutes on moto."""

    def append(self, line: str) -> None:
        super().append(line)
        print(line, flush=True)


def run() -> list[str]:
    rows = Rows()
    rows.append(f"{'request':34} {'read units':>9} {'calls':>6}  DynamoDB calls")
    with stack("rewards-reads") as (http, key):
        botocore.client.BaseClient._make_api_call = _metering

        def h(idem: bool = False) -> dict[str, str]:
            out = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            if idem:
                out["Idempotency-Key"] = str(uuid.uuid4())
            return out

        body = {"name": "Reads", "currency": "VND", "budget": 10**13,
                "ends_at": "2099-01-01T00:00:00Z"}
        cid = http.post("/v1/campaigns", headers=h(), body=json.dumps(body)).json_body["id"]
        for _ in range(64):  # through the API: shards refilled, day rows, hour rows
            assert http.post(f"/v1/campaigns/{cid}/gifts", headers=h(True),
                             body='{"amount": 50000}').status_code == 201
        _seed(cid)
        gifts_url = f"/v1/campaigns/{cid}/gifts"
        http.get(gifts_url + "?limit=1", headers=h())  # warm: the key, the campaign

        r, m = measured(lambda: http.get(gifts_url + "?limit=100", headers=h()))
        assert r.status_code == 200 and len(r.json_body["data"]) == 100, r.body
        rows.append(_row(f"page of 100 gifts (of {GIFTS:,})", m, f"; {m.evaluated} evaluated"))

        seen: list[str] = []
        pages = 0

        def walk() -> None:
            nonlocal pages
            cursor = None
            while True:
                q = "?limit=100" + (f"&cursor={cursor}" if cursor else "")
                page = http.get(gifts_url + q, headers=h()).json_body
                pages += 1
                seen.extend(g["id"] for g in page["data"])
                cursor = page["next_cursor"]
                if cursor is None:
                    return

        began = time.perf_counter()
        _, m = measured(walk)
        took = time.perf_counter() - began
        assert len(seen) == len(set(seen)) == GIFTS, (len(seen), len(set(seen)))
        rows.append(_row(f"list all {GIFTS:,} ({pages} pages)", m,
                         f"; {m.evaluated} evaluated, {took:.0f} s"))

        for status in ("active", "voided"):
            r, m = measured(lambda s=status: http.get(gifts_url + f"?limit=100&status={s}",
                                                      headers=h()))
            rows.append(_row(f"page of 100 ?status={status}", m,
                             f"; {m.evaluated} evaluated, {len(r.json_body['data'])} returned"))

        r, m = measured(lambda: http.get(f"/v1/campaigns/{cid}", headers=h()))
        assert r.status_code == 200, r.body
        rows.append(_row("campaign GET", m))
        r, m = measured(lambda: http.post(f"/v1/campaigns/{cid}/budget-topups",
                                          headers=h(True), body='{"amount": 1000}'))
        assert r.status_code == 201, r.body
        rows.append(_row("budget top-up", m))
        r, m = measured(lambda: http.get(f"/v1/campaigns/{cid}/report", headers=h()))
        assert r.status_code == 200, r.body
        rows.append(_row("report", m))
        hold = http.post(f"/v1/gifts/{_a_code(http, h, cid)}/holds", headers=h(True),
                         body='{"amount": 1000}')
        assert hold.status_code == 201, hold.body
        r, m = measured(lambda: http.get(f"/v1/campaigns/{cid}/report", headers=h()))
        rows.append(_row("report (a hold outstanding)", m))
        botocore.client.BaseClient._make_api_call = _original
    return rows


def _a_code(http: Any, h: Any, cid: str) -> str:
    r = http.post(f"/v1/campaigns/{cid}/gifts", headers=h(True), body='{"amount": 50000}')
    return r.json_body["code"]


if __name__ == "__main__":
    run()
