"""DynamoDB calls and latency per operation, against moto in-process.

Run: `make bench` (or `.venv/bin/python -m bench.calls`). Counts every botocore
API call made while serving one HTTP request through Chalice's test client.
"Warm" means a Lambda that has already seen the campaign / gift (caches filled);
"cold" clears the in-process caches first, as a fresh Lambda would have them.
The calls column is the typical run's; `mean` is all calls over all runs, and
`limiter` the rate limiter's lease writes per run, amortised (a warm instance
leases a block of its key's window about once a second, not once a request).
Latencies are against the emulator, so compare them with each other, not with AWS.
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local import environment, stack  # noqa: E402

environment("rewards-bench")  # before app and botocore are imported

import botocore.client  # noqa: E402

CALLS: Counter[str] = Counter()
LIMITER: Counter[str] = Counter()  # the calls among CALLS on the rate-limits table
_original = botocore.client.BaseClient._make_api_call


def _counting(self, operation, params):  # noqa: ANN001
    CALLS[operation] += 1
    if str(params.get("TableName", "")).endswith("-rate-limits"):
        LIMITER[operation] += 1
    return _original(self, operation, params)


botocore.client.BaseClient._make_api_call = _counting


def clear_caches() -> None:
    from chalicelib.core import cache

    cache.clear_all()


class Bench:
    def __init__(self, http, key: str) -> None:  # noqa: ANN001 - Chalice's test client
        self.http = http
        self.key = key
        self.rows: list[tuple[str, str, float, float, int, float, float]] = []
        self.extra: list[str] = []

    def h(self, idem: bool = False) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        if idem:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers

    def measure(self, name: str, op: Callable[[], object], runs: int = 50,
                before: Callable[[], None] | None = None) -> None:
        samples, per_call, limiter = [], [], 0
        for _ in range(runs):
            if before:
                before()
            CALLS.clear()
            LIMITER.clear()
            start = time.perf_counter()
            op()
            samples.append((time.perf_counter() - start) * 1000)
            per_call.append(dict(CALLS))
            limiter += sum(LIMITER.values())
        # the calls most runs made: a run that refills a shard (its first charge, or a
        # dry slice) is the exception a single last run could show by chance
        shapes = Counter(tuple(sorted(c.items())) for c in per_call)
        typical = dict(shapes.most_common(1)[0][0])
        calls = ", ".join(f"{n} {op}" for op, n in sorted(typical.items())) or "none"
        q = statistics.quantiles(samples, n=20)
        mean = sum(sum(c.values()) for c in per_call) / runs
        self.rows.append((name, calls, q[9], q[18], sum(typical.values()), mean,
                          limiter / runs))

    def print(self) -> None:
        print(f"{'operation':34} {'DynamoDB calls':44} {'mean':>5} {'limiter':>7} "
              f"{'p50 ms':>8} {'p95 ms':>8}")
        for name, calls, p50, p95, _, mean, limiter in self.rows:
            print(f"{name:34} {calls:44} {mean:5.2f} {limiter:7.2f} {p50:8.1f} {p95:8.1f}")
        for line in self.extra:
            print(line)


def run() -> Bench:
    with stack("rewards-bench") as (http, key):
        b = Bench(http, key)
        body = ('{"name": "Bench", "currency": "VND", "budget": 1000000000000, '
                '"ends_at": "2099-01-01T00:00:00Z"}')
        cid = b.http.post("/v1/campaigns", headers=b.h(), body=body).json_body["id"]
        issue = lambda: b.http.post(f"/v1/campaigns/{cid}/gifts", headers=b.h(True),  # noqa: E731
                                    body='{"amount": 1000}')
        issue()
        b.measure("issue gift (warm)", issue)
        b.measure("issue gift (cold Lambda)", issue, before=clear_caches)
        codes = [issue().json_body["code"] for _ in range(120)]
        it = iter(codes)

        def redeem_after_lookup():
            code = next(it)
            b.http.get(f"/v1/gifts/{code}", headers=b.h())
            CALLS.clear()
            LIMITER.clear()
            b.http.post(f"/v1/gifts/{code}/redeem", headers=b.h(True), body="{}")

        b.measure("redeem (warm: till looked it up)", redeem_after_lookup, runs=40)

        def redeem_cold():
            clear_caches()
            b.http.get("/v1/health")
            b.http.post(f"/v1/gifts/{next(it)}/redeem", headers=b.h(True), body="{}")

        b.measure("redeem (cold Lambda)", redeem_cold, runs=40)
        b.measure("void (cold Lambda)", lambda: b.http.post(
            f"/v1/gifts/{next(it)}/void", headers=b.h(True), body="{}"), runs=30,
            before=clear_caches)
        b.measure("lookup gift", lambda: b.http.get(f"/v1/gifts/{codes[0]}", headers=b.h()))
        b.measure("campaign report", lambda: b.http.get(f"/v1/campaigns/{cid}/report",
                                                        headers=b.h()))
        for extra in _extras():
            extra(b, cid)
        return b


def _extras() -> list[Callable]:
    """Benchmarks other modules contribute (spins, batches), if present."""
    found = []
    for name in ("bench.spins", "bench.batches"):
        try:
            module = __import__(name, fromlist=["measure"])
        except ImportError:
            continue
        found.append(module.measure)
    return found


if __name__ == "__main__":
    run().print()
