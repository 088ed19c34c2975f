"""A crowd on one campaign: many threads, many players, spins and issues at once,
with DynamoDB's transaction conflicts emulated (moto has none).

Run: `make bench` (or `.venv/bin/python -m bench.crowd`). Each transaction keeps
its items busy for CONFLICT_MS after it applies, and any overlapping transaction
touching one of them is cancelled with TransactionConflict and retried by the
app, as on DynamoDB (devtools/moto_patch.py). The same crowd runs against a
campaign of 1 shard (every money move on one item, as before the shards) and of
32, and prints throughput, the 503 rate, the conflicts seen, and a ledger audit:
spent equals the face value of the gifts not voided (less what voids refunded),
the wins of a stocked segment stay within its stock, and the report agrees.
Throughput is the emulator's on 2 cores: compare the rows, not with AWS.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.local import stack
from devtools import moto_patch

THREADS = 16
PLAYERS = 160
SPINS_EACH = 3
ISSUES = 320
CONFLICT_MS = 10
STOCK = 25
WHEEL = {"segments": [
    {"id": "big", "label": "200.000đ", "weight": 5, "prize": {"amount": 200_000},
     "inventory": STOCK},
    {"id": "small", "label": "20.000đ", "weight": 40, "prize": {"amount": 20_000}},
    {"id": "none", "label": "Chúc may mắn", "weight": 55, "prize": None}],
    "fallback_segment_id": "none"}


def crowd(http: object, key: str, shards: int) -> dict:
    from chalicelib.core import config
    from chalicelib.store.models import GiftModel

    os.environ["CAMPAIGN_SHARDS"] = str(shards)
    config.reset()

    def h(idem: bool = True) -> dict[str, str]:
        out = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if idem:
            out["Idempotency-Key"] = str(uuid.uuid4())
        return out

    body = {"name": f"Crowd {shards}", "currency": "VND", "budget": 40_000_000,
            "ends_at": "2099-01-01T00:00:00Z", "wheel": WHEEL}
    cid = http.post("/v1/campaigns", headers=h(), body=json.dumps(body)).json_body["id"]
    tokens = [http.post(f"/v1/campaigns/{cid}/player-tokens", headers=h(False),
                        body=json.dumps({"player_id": f"p{i}"})).json_body["token"]
              for i in range(PLAYERS)]
    jobs = [("spin", t) for t in tokens for _ in range(SPINS_EACH)] + [("issue", None)] * ISSUES
    random.Random(7).shuffle(jobs)  # a player's spins are not all at the same instant

    def run(job: tuple[str, str | None]) -> int:
        kind, token = job
        if kind == "spin":
            return http.post("/v1/play/spins", body="{}", headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4())}).status_code
        return http.post(f"/v1/campaigns/{cid}/gifts", headers=h(),
                         body='{"amount": 50000}').status_code

    moto_patch.CONFLICTS[0] = 0
    moto_patch.set_conflict_window(CONFLICT_MS / 1000)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(run, jobs))
    elapsed = time.perf_counter() - start
    moto_patch.set_conflict_window(0)

    rep = http.get(f"/v1/campaigns/{cid}/report", headers=h(False)).json_body
    gifts = [g for g in GiftModel.scan(consistent_read=True) if g.campaign_id == cid]
    face = sum(int(g.amount) for g in gifts if g.status != "voided")
    big = next(s["count"] for s in rep["spins"]["by_segment"] if s["segment_id"] == "big")
    return {"shards": shards, "requests": len(jobs), "seconds": elapsed,
            "ok": sum(1 for s in statuses if s in (200, 201)),
            "refused": sum(1 for s in statuses if s in (409, 429)),
            "unavailable": sum(1 for s in statuses if s == 503),
            "other": sum(1 for s in statuses if s not in (200, 201, 409, 429, 503)),
            "conflicts": moto_patch.CONFLICTS[0],
            "audit_spent": rep["budget"]["spent"] == face,
            "audit_stock": big <= STOCK,
            "audit_report": rep["gifts"]["issued"]["count"] == len(gifts)}


def run() -> list[dict]:
    with stack("rewards-crowd", "Crowd") as (http, key):
        return [crowd(http, key, shards) for shards in (1, 32)]


def print_rows(rows: list[dict]) -> None:
    print(f"crowd: {THREADS} threads, {PLAYERS} players x {SPINS_EACH} spins + {ISSUES} "
          f"issues on one campaign, transactions conflicting for {CONFLICT_MS} ms")
    print(f"{'shards':>6} {'req/s':>7} {'ok':>5} {'409/429':>8} {'503':>5} {'503 %':>6} "
          f"{'conflicts':>9}  audit (spent = live gifts, stock, report)")
    for r in rows:
        audit = all((r["audit_spent"], r["audit_stock"], r["audit_report"])) and not r["other"]
        print(f"{r['shards']:>6} {r['requests'] / r['seconds']:7.0f} {r['ok']:5} "
              f"{r['refused']:8} {r['unavailable']:5} "
              f"{100 * r['unavailable'] / r['requests']:6.1f} {r['conflicts']:9}  "
              f"{'ok' if audit else 'FAILED'}")


if __name__ == "__main__":
    print_rows(run())
