"""Spins: DynamoDB calls and latency per spin (warm: the player and campaign are
known to this Lambda; cold: caches cleared, as a fresh Lambda)."""

from __future__ import annotations

import json
import uuid

WHEEL = {"segments": [
    {"id": "small", "label": "20.000d", "weight": 30, "prize": {"amount": 20000}},
    {"id": "none", "label": "Next time", "weight": 70, "prize": None}],
    "fallback_segment_id": "none"}


def measure(b, _campaign_id: str) -> None:  # noqa: ANN001
    from bench.calls import clear_caches

    body = {"name": "Bench wheel", "currency": "VND", "budget": 10**12,
            "ends_at": "2099-01-01T00:00:00Z", "wheel": WHEEL}
    cid = b.http.post("/v1/campaigns", headers=b.h(), body=json.dumps(body)).json_body["id"]
    players = iter(range(10**6))

    def token() -> str:
        r = b.http.post(f"/v1/campaigns/{cid}/player-tokens", headers=b.h(),
                        body=json.dumps({"player_id": f"p{next(players)}"}))
        return r.json_body["token"]

    player = token()

    def spin(tok: str) -> None:
        r = b.http.post("/v1/play/spins", body="{}", headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.body

    spin(player)
    b.measure("spin (warm)", lambda: spin(player))
    b.measure("spin (cold Lambda)", lambda: spin(player), before=clear_caches)
