"""Hot partitions: write units per operation on each partition key, and the ceiling
they set on one campaign.

Run: `make bench` (or `.venv/bin/python -m bench.partitions`). moto shows neither
partition limits nor write units, so this models them from what is written: every
TransactWriteItems made while serving a request is intercepted, each item read
before and after, and charged as DynamoDB would: ceil(larger size / 1 KB) write
units, doubled inside a transaction; a global index is charged ceil(index entry /
1 KB) on its own hash key whenever the projected item changes. Keys are grouped
into families (`campaign-shards <cmp>#NN`, `gifts/by_shard <cmp>#NN`, a key new
with every request...). A family whose key is spread over K keys at random takes
units/K per operation on each; a partition serves 1,000 write units a second, so
the family caps the operation at 1,000 x K / units per second; a key new with
every request caps nothing. Set CAMPAIGN_SHARDS=1 to see the one-item design.
"""

from __future__ import annotations

import math
import re
import sys
import threading
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local import environment, stack  # noqa: E402

environment("rewards-part")

import botocore.client  # noqa: E402

from chalicelib.store.sizes import item_size  # noqa: E402
from devtools import moto_patch  # noqa: E402

PREFIX = "rewards-part-"
RUNS = 640
HOLD_SECONDS = 3600
"""The longest hold (schemas.MAX_HOLD_SECONDS): every hold is made before the first
capture, which on a busy machine came after the default 300 s had run out."""
OPS = ("spin", "issue", "redeem", "hold", "capture", "release", "reverse")
SIX_SEGMENTS = {"segments": [
    {"id": "big", "label": "500.000đ", "weight": 1, "prize": {"amount": 500_000},
     "inventory": 100_000},
    {"id": "mid", "label": "100.000đ", "weight": 5, "prize": {"amount": 100_000}},
    {"id": "small", "label": "20.000đ", "weight": 20, "prize": {"amount": 20_000}},
    {"id": "tiny", "label": "10.000đ", "weight": 24, "prize": {"amount": 10_000}},
    {"id": "again", "label": "Quay lại", "weight": 20, "prize": None},
    {"id": "none", "label": "Chúc may mắn", "weight": 30, "prize": None}],
    "fallback_segment_id": "none"}

_local = threading.local()
_original = botocore.client.BaseClient._make_api_call
UNITS: dict[str, Counter[str]] = defaultdict(Counter)  # key -> op -> units
_current = ["setup"]
_schemas: dict[str, dict] = {}


def _schema(client: Any, table: str) -> dict:
    if table not in _schemas:
        _local.inside = True
        try:
            t = client.describe_table(TableName=table)["Table"]
        finally:
            _local.inside = False
        key = [k["AttributeName"] for k in t["KeySchema"]]
        indexes = [(i["IndexName"], [k["AttributeName"] for k in i["KeySchema"]],
                    i["Projection"]["ProjectionType"])
                   for i in t.get("GlobalSecondaryIndexes", [])]
        _schemas[table] = {"key": key, "indexes": indexes}
    return _schemas[table]


def _get(client: Any, table: str, key: dict) -> dict | None:
    _local.inside = True
    try:
        return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
    finally:
        _local.inside = False


def _charge(client: Any, writes: list[tuple[str, dict]], factor: int, call: Any) -> Any:
    before = [(t, k, _get(client, t, k)) for t, k in writes]
    result = call()
    for table, key, old in before:
        new = _get(client, table, key)
        schema = _schema(client, table)
        base = table.removeprefix(PREFIX)
        hash_value = next(iter(key[schema["key"][0]].values()))
        units = factor * max(1, math.ceil(max(item_size(old), item_size(new)) / 1024))
        UNITS[f"{base} {hash_value}"][_current[0]] += units
        for name, attrs, projection in schema["indexes"]:
            if not new or attrs[0] not in new:
                continue
            keys_changed = not old or any(old.get(a) != new.get(a) for a in attrs)
            if projection == "KEYS_ONLY" and not keys_changed:
                continue
            if projection == "ALL" and old == new:
                continue
            entry = new if projection == "ALL" else {a: new[a] for a in
                                                     set(attrs) | set(schema["key"])}
            index_hash = next(iter(new[attrs[0]].values()))
            UNITS[f"{base}/{name} {index_hash}"][_current[0]] += max(
                1, math.ceil(item_size(entry) / 1024))
    return result


def _metering(self: Any, operation: str, params: dict) -> Any:
    if getattr(_local, "inside", False):
        return _original(self, operation, params)
    if operation == "TransactWriteItems":
        writes = []
        for op in params["TransactItems"]:
            (kind, body), = op.items()
            if kind == "ConditionCheck":
                continue
            table = body["TableName"]
            if kind == "Put":
                names = _schema(self, table)["key"]
                key = {n: body["Item"][n] for n in names}
            else:
                key = body["Key"]
            writes.append((table, key))
        return _charge(self, writes, 2, lambda: _original(self, operation, params))
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        table = params["TableName"]
        key = params.get("Key") or {n: params["Item"][n] for n in _schema(self, table)["key"]}
        return _charge(self, [(table, key)], 1, lambda: _original(self, operation, params))
    return _original(self, operation, params)


def family(key: str, campaign_id: str) -> tuple[str, bool]:
    """(the key with its campaign written <cmp> and its shard #NN, spread at random?)"""
    table, _, value = key.partition(" ")
    if table == "idempotency":  # caller scope#Idempotency-Key: new with every request
        return f"{table} (a new key per request)", False
    if campaign_id and campaign_id in value:
        shape = value.replace(campaign_id, "<cmp>")
        if re.search(r"#\d{2}(#r)?$", shape):  # a shard's key, or its redemptions' hours
            return f"{table} " + re.sub(r"#\d{2}(?=(#r)?$)", "#NN", shape), True
        if shape == "<cmp>":
            return f"{table} <cmp>", False
        return f"{table} <cmp>#<player> (one per player)", False
    if value.startswith("ptn_"):
        return f"{table} <partner> (all its campaigns)", False
    return f"{table} (a new key per request)", False


def measure() -> list[tuple[str, str, float, int, float]]:
    """Rows: (operation, key family, units per op, keys it spreads over, ceiling/s)."""
    moto_patch.install()
    botocore.client.BaseClient._make_api_call = _metering
    with stack("rewards-part", "Bench") as (http, key):
        from chalicelib.core import config

        def h(idem: bool = True) -> dict[str, str]:
            out = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            if idem:
                out["Idempotency-Key"] = str(uuid.uuid4())
            return out

        import json

        body = {"name": "Tết", "currency": "VND", "budget": 10**13,
                "ends_at": "2099-01-01T00:00:00Z", "wheel": SIX_SEGMENTS}
        cid = http.post("/v1/campaigns", headers=h(),
                        body=json.dumps(body)).json_body["id"]
        shards = getattr(config.settings(), "campaign_shards", 1)  # 1: before the shards
        tokens = [http.post(f"/v1/campaigns/{cid}/player-tokens", headers=h(False),
                            body=json.dumps({"player_id": f"zalo:8490{i:07d}"})
                            ).json_body["token"] for i in range(RUNS)]
        # warm every shard (its first charge refills it from the pool), unmetered
        for _ in range(shards * 4):
            http.post(f"/v1/campaigns/{cid}/gifts", headers=h(), body='{"amount": 1}')
        UNITS.clear()
        _current[0] = "spin"
        for token in tokens:
            r = http.post("/v1/play/spins", body="{}", headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4())})
            assert r.status_code == 201, r.body
        _current[0] = "issue"
        codes = []
        for _ in range(RUNS):
            r = http.post(f"/v1/campaigns/{cid}/gifts", headers=h(),
                          body='{"amount": 50000}')
            assert r.status_code == 201, r.body
            codes.append(r.json_body["code"])
        _current[0] = "redeem"
        redemptions = []
        for code in codes:
            r = http.post(f"/v1/gifts/{code}/redeem", headers=h(), body='{"amount": 20000}')
            assert r.status_code == 200, r.body
            redemptions.append(r.json_body["redemption"]["id"])
        # holds: a hold then its capture on every gift; a second hold,
        # made unmetered, then released; a reversal of every redemption
        held: dict[str, list[str]] = {"capture": [], "release": []}
        for then in ("capture", "release"):
            _current[0] = "hold" if then == "capture" else "setup"
            for code in codes:
                r = http.post(f"/v1/gifts/{code}/holds", headers=h(),
                              body=f'{{"amount": 5000, "ttl_seconds": {HOLD_SECONDS}}}')
                assert r.status_code == 201, r.body
                held[then].append(r.json_body["id"])
        for then in ("capture", "release"):
            _current[0] = then
            for hold_id in held[then]:
                r = http.post(f"/v1/holds/{hold_id}/{then}", headers=h(), body="{}")
                assert r.status_code == 200, r.body
        _current[0] = "reverse"
        for red in redemptions:
            r = http.post(f"/v1/redemptions/{red}/reversals", headers=h(),
                          body='{"amount": 1000}')
            assert r.status_code == 201, r.body
    botocore.client.BaseClient._make_api_call = _original

    rows = []
    for op in OPS:
        families: dict[str, list[int]] = defaultdict(list)
        spread: dict[str, bool] = {}
        for k, per_op in UNITS.items():
            if per_op[op]:
                name, sharded = family(k, cid)
                families[name].append(per_op[op])
                spread[name] = sharded
        for name, values in sorted(families.items(), key=lambda kv: -sum(kv[1])):
            per_op = sum(values) / RUNS
            if "new key per request" in name or "one per player" in name:
                per_op = max(values) / RUNS if "one per player" in name else per_op
                rows.append((op, name, per_op, 0, math.inf))
                continue
            keys = shards if spread[name] else 1
            rows.append((op, name, per_op, keys, 1000 * keys / per_op))
    return rows


def print_table(rows: list[tuple[str, str, float, int, float]]) -> None:
    print(f"{'op':7} {'partition key family':46} {'WCU/op':>7} {'keys':>5} "
          f"{'ceiling/s':>10}")
    for op, name, per_op, keys, ceiling in rows:
        ceil_text = "none" if math.isinf(ceiling) else f"{ceiling:,.0f}"
        keys_text = "new" if not keys else str(keys)
        print(f"{op:7} {name:46} {per_op:7.2f} {keys_text:>5} {ceil_text:>10}")
    for op in OPS:
        ceiling = min(r[4] for r in rows if r[0] == op)
        print(f"one campaign's ceiling for {op}: {ceiling:,.0f}/s")


if __name__ == "__main__":
    print_table(measure())
