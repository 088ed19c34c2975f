"""Bulk issuance: 1,000 codes as one batch versus 1,000 single issuances.

Counts DynamoDB calls for the whole batch (request + background processing) and
its throughput in codes per second, next to the same codes issued one request at
a time, against the same emulator.
"""

from __future__ import annotations

import json
import time

from bench.calls import CALLS

N = 1000


def measure(b, _campaign_id: str) -> None:  # noqa: ANN001
    from chalicelib.bulk import batches
    from chalicelib.store import jobs

    body = {"name": "Bench batch", "currency": "VND", "budget": 10**12,
            "ends_at": "2099-01-01T00:00:00Z"}
    cid = b.http.post("/v1/campaigns", headers=b.h(), body=json.dumps(body)).json_body["id"]
    items = [{"amount": 50_000, "reference": f"row-{i}"} for i in range(N)]

    CALLS.clear()
    start = time.perf_counter()
    r = b.http.post(f"/v1/campaigns/{cid}/gift-batches", headers=b.h(True),
                    body=json.dumps({"items": items}))
    assert r.status_code in (201, 202), r.body
    while b.http.get(f"/v1/gift-batches/{r.json_body['id']}",
                     headers=b.h()).json_body["status"] != "completed":
        jobs.sweep([batches.JOB], 30)
    batch_seconds = time.perf_counter() - start
    batch_calls = sum(CALLS.values())
    batch_detail = ", ".join(f"{n} {op}" for op, n in sorted(CALLS.items()))

    CALLS.clear()
    start = time.perf_counter()
    for _ in range(N):
        b.http.post(f"/v1/campaigns/{cid}/gifts", headers=b.h(True), body='{"amount": 50000}')
    single_seconds = time.perf_counter() - start
    single_calls = sum(CALLS.values())

    b.extra.append(
        f"1,000 codes as one batch:   {batch_calls:5d} DynamoDB calls ({batch_detail}), "
        f"{N / batch_seconds:7.0f} codes/s")
    b.extra.append(
        f"1,000 codes one at a time:  {single_calls:5d} DynamoDB calls, "
        f"{N / single_seconds:7.0f} codes/s")
    b.extra.append(
        f"batch vs single: {single_calls / batch_calls:.1f}x fewer calls, "
        f"{single_seconds / batch_seconds:.1f}x the throughput")
