"""Insights: what a report with a time series reads for a campaign 30
days old, and how fast an export writes its rows.

Run: `make bench` (or `.venv/bin/python -W ignore -m bench.insights`). moto in
process: the call counts and items read are what DynamoDB would serve; the times
are the emulator's, a floor on the shape, not AWS latencies.

1. A campaign whose 32 shards each have an hour row for every hour of 30 days (the
   worst case: traffic every hour on every shard, 23,040 rows): the report with
   `granularity=day` and `granularity=hour` (capped at 31 days) reads the campaign,
   its shards (a BatchGetItem before and after the day rows, and again around the
   hour rows), one Query of day rows and two of hour rows per shard, whatever the
   traffic was.
2. An export of a draw log of N spins (default 20,000; BENCH_EXPORT_SPINS): rows/s
   through the worker's steps (k-way merge of the shards, one multipart part per
   step, the cursor stored after each).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local import environment, stack  # noqa: E402

environment("rewards-insights")

import botocore.client  # noqa: E402

from devtools import moto_patch  # noqa: E402

SPINS = int(os.environ.get("BENCH_EXPORT_SPINS", "20000"))
DAYS = 30
SEGMENTS = [
    {"id": "big", "label": "500.000đ", "weight": 1, "prize": {"amount": 500_000}},
    {"id": "small", "label": "20.000đ", "weight": 30, "prize": {"amount": 20_000}},
    {"id": "none", "label": "Chúc may mắn", "weight": 69, "prize": None}]


def main() -> None:
    moto_patch.install()
    original = botocore.client.BaseClient._make_api_call
    calls: Counter[str] = Counter()
    items = Counter()

    def counting(self, operation, params):  # noqa: ANN001, ANN202
        result = original(self, operation, params)
        calls[operation] += 1
        items[operation] += len(result.get("Items", [])) if isinstance(result, dict) else 0
        if operation == "BatchGetItem":
            items[operation] += sum(len(v) for v in result.get("Responses", {}).values())
        return result

    with stack("rewards-insights", "Bench") as (http, key):
        from chalicelib.core import fair_draw, periods
        from chalicelib.insights import exports
        from chalicelib.store import models

        h = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        now = datetime.now(UTC)
        import json

        body = {"name": "Tết", "currency": "VND", "budget": 10**12,
                "starts_at": (now - timedelta(days=DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ends_at": "2099-01-01T00:00:00Z", "timezone": "Asia/Ho_Chi_Minh",
                "wheel": {"segments": SEGMENTS, "fallback_segment_id": "none"}}
        cid = http.post("/v1/campaigns", headers=h, body=json.dumps(body)).json_body["id"]
        c = models.CampaignModel.get(cid)
        shards = int(c.shards)
        t = periods.hour_start(now - timedelta(days=DAYS), c.timezone)
        hours = []
        while t < now:
            hours.append(periods.fmt(t))
            t = periods.next_hour(t, c.timezone)
        with models.HourModel.batch_write() as batch:
            for n in range(shards):
                for hour in hours:
                    batch.save(models.HourModel(pk=f"{cid}#{n:02d}", hour=hour, sp=40,
                                               wn=12, ph=30, pd=3, in_=12, ia=600_000,
                                               rn=5, ra=250_000))
        print(f"report of a campaign {DAYS} days old: {len(hours) * shards:,} hour rows "
              f"({len(hours)} hours x {shards} shards)")
        print(f"{'query':34} {'calls':>28} {'items read':>11} {'ms (moto)':>10}")
        botocore.client.BaseClient._make_api_call = counting
        for query in ("", "?granularity=day", "?granularity=hour"):
            calls.clear()
            items.clear()
            started = time.perf_counter()
            r = http.get(f"/v1/campaigns/{cid}/report{query}", headers=h)
            ms = (time.perf_counter() - started) * 1000
            assert r.status_code == 200, r.body
            shown = ", ".join(f"{n} {op}" for op, n in sorted(calls.items()))
            print(f"report{query:28} {shown:>28} {sum(items.values()):>11,} {ms:>10,.0f}")
        botocore.client.BaseClient._make_api_call = original

        spins_written = 0
        start = now - timedelta(days=2)
        with models.SpinModel.batch_write() as batch:
            for n in range(SPINS):
                player = f"zalo:849{n % 4999:08d}"
                nonce = n // 4999
                d = fair_draw.draw(c.server_seed, player, nonce, SEGMENTS)
                at = (start + timedelta(milliseconds=500 * n)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
                batch.save(models.SpinModel(
                    shard_key=f"{cid}#{n % shards:02d}", sort_key=f"{at}#spn_{n:020d}",
                    campaign_id=cid, id=f"spn_{n:020d}", player_id=player,
                    segment_id=d.segment_id, drawn_segment_id=d.segment_id, fallback=0,
                    client_seed=player, nonce=nonce, roll=d.roll,
                    total_weight=d.total_weight, prize_amount=None, spun_at=at))
                spins_written += 1
        r = http.post(f"/v1/campaigns/{cid}/exports?unmask=true", headers=h,
                      body='{"kind": "draw_log"}')
        export_id = r.json_body["id"]
        started = time.perf_counter()
        steps = 0
        while True:
            steps += 1
            header = exports.step(export_id)
            if header.status == "completed":
                break
        seconds = time.perf_counter() - started
        print(f"\nexport of a draw log: {int(header.rows):,} rows, "
              f"{int(header.bytes):,} bytes in {len(header.parts)} part(s), "
              f"{steps} step(s), {seconds:.1f} s: {int(header.rows) / seconds:,.0f} rows/s "
              "(moto in process)")


if __name__ == "__main__":
    main()
