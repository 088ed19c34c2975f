"""A thin client that speaks the contract, so tests read like a partner's code:
`api.issue(key, campaign_id)`, `api.spin(token)`, `api.pages(path, key=key)`.
It wraps Chalice's test client (in-process) and returns its responses as they are,
but where a method says it returns a body (it then checks the status first)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.helpers.assertions import ADMIN
from tests.helpers.clocks import iso

# A wheel of three segments: a rare stocked prize, a common one, and the fallback.
WHEEL = {
    "segments": [
        {"id": "big", "label": "100.000d voucher", "weight": 1, "prize": {"amount": 100_000},
         "inventory": 10},
        {"id": "small", "label": "20.000d voucher", "weight": 20, "prize": {"amount": 20_000}},
        {"id": "none", "label": "Better luck next time", "weight": 79, "prize": None},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 10, "spins_per_player_per_day": 3},
}

PLAYER = "zalo:84901234567"


def campaign_body(**overrides: Any) -> dict:
    """A valid campaign: started a minute ago, ending in 30 days (so nothing a test
    does ends it by accident), 1,000,000 VND."""
    now = datetime.now(UTC)
    body = {"name": "Tet 2027", "currency": "VND", "budget": 1_000_000,
            "starts_at": iso(now - timedelta(minutes=1)),
            "ends_at": iso(now + timedelta(days=30)), "gift_expiry_days": 30}
    body.update(overrides)
    return body


def until_final(send: Callable[[], Any], attempts: int = 10) -> Any:
    """`send()` again while it answers 503, as the contract tells a client to (with the
    same Idempotency-Key, which `send` must carry): on a loaded machine a crowd can
    outlast one request's attempts, an answer to retry rather than a result."""
    for _ in range(attempts - 1):
        r = send()
        if r.status_code != 503:
            return r
    return send()


def items_of(n: int, amount: int = 1000) -> list[dict]:
    """`n` batch items, each with its own reference."""
    return [{"amount": amount, "reference": f"emp-{i}"} for i in range(n)]


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, method: str, path: str, body: Any = None, *, key: str | None = None,
             headers: dict[str, str] | None = None, idem: str | None = None,
             raw: bytes | str | None = None) -> Any:
        h = dict(headers or {})
        if key is not None:
            h["Authorization"] = f"Bearer {key}"
        if idem is not None:
            h["Idempotency-Key"] = idem
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        return getattr(self.client.http, method.lower())(path, headers=h, body=data)

    def pages(self, path: str, *, key: str | None = None,
              headers: dict[str, str] | None = None) -> Iterator[dict]:
        """Every item of a paginated list, following `next_cursor` to the end
        (`path` may carry its own query, e.g. `?limit=3`)."""
        cursor = None
        while True:
            at = path if cursor is None else \
                f"{path}{'&' if '?' in path else '?'}cursor={cursor}"
            r = self.call("GET", at, key=key, headers=headers)
            assert r.status_code == 200, r.body
            yield from r.json_body["data"]
            cursor = r.json_body["next_cursor"]
            if not cursor:
                return

    # ------------------------------------------------------------------ admin

    def partner(self, name: str = "Acme Coffee", scopes: list[str] | None = None) -> dict:
        """A new partner and one API key: {"id", "key", "key_id"}."""
        p = self.call("POST", "/v1/admin/partners", {"name": name}, headers=ADMIN).json_body
        body = {"scopes": scopes} if scopes else {}
        k = self.call("POST", f"/v1/admin/partners/{p['id']}/api-keys", body,
                      headers=ADMIN).json_body
        return {"id": p["id"], "key": k["key"], "key_id": k["id"]}

    # -------------------------------------------------------------- campaigns

    def campaign(self, key: str, **overrides: Any) -> dict:
        """A created campaign's body (`campaign_body` with `overrides`)."""
        r = self.call("POST", "/v1/campaigns", campaign_body(**overrides), key=key)
        assert r.status_code == 201, r.body
        return r.json_body

    def wheel_campaign(self, key: str, wheel: dict | None = None, **overrides: Any) -> dict:
        """A created campaign with a wheel (`WHEEL` unless given)."""
        return self.campaign(key, wheel=wheel or WHEEL, **overrides)

    def get_campaign(self, key: str, campaign_id: str) -> Any:
        return self.call("GET", f"/v1/campaigns/{campaign_id}", key=key)

    def budget(self, key: str, campaign_id: str) -> dict:
        return self.get_campaign(key, campaign_id).json_body["budget"]

    def top_up(self, key: str, campaign_id: str, amount: int, idem: str | None = None,
               **kw: Any) -> Any:
        """A budget top-up; with no `idem`, the request carries no Idempotency-Key."""
        return self.call("POST", f"/v1/campaigns/{campaign_id}/budget-topups",
                         {"amount": amount}, key=key, idem=idem, **kw)

    def report(self, key: str, campaign_id: str) -> dict:
        return self.call("GET", f"/v1/campaigns/{campaign_id}/report", key=key).json_body

    # ------------------------------------------------------------------ gifts

    def issue(self, key: str, campaign_id: str, amount: int = 50_000,
              idem: str | None = None, **extra: Any) -> Any:
        return self.call("POST", f"/v1/campaigns/{campaign_id}/gifts",
                         {"amount": amount, **extra}, key=key,
                         idem=idem or str(uuid.uuid4()))

    def redeem(self, key: str, code: str, idem: str | None = None, **body: Any) -> Any:
        """A redemption (`amount=...`; none: the whole balance), with a fresh key
        unless `idem` is given."""
        return self.call("POST", f"/v1/gifts/{code}/redeem", body, key=key,
                         idem=idem or str(uuid.uuid4()))

    def post_batch(self, key: str, campaign_id: str, items: list[dict] | None = None, *,
                   csv_text: str | None = None, idem: str | None = None) -> Any:
        """A gift batch, as JSON `items` or as CSV text."""
        path = f"/v1/campaigns/{campaign_id}/gift-batches"
        if csv_text is not None:
            return self.call("POST", path, key=key, idem=idem or str(uuid.uuid4()),
                             raw=csv_text, headers={"Content-Type": "text/csv"})
        return self.call("POST", path, {"items": items}, key=key,
                         idem=idem or str(uuid.uuid4()))

    # ------------------------------------------------------------------- play

    def player_token(self, key: str, campaign_id: str, player_id: str = PLAYER) -> str:
        r = self.call("POST", f"/v1/campaigns/{campaign_id}/player-tokens",
                      {"player_id": player_id}, key=key)
        assert r.status_code == 201, r.body
        return r.json_body["token"]

    def spin(self, token: str, body: dict | None = None, idem: str | None = None) -> Any:
        return self.call("POST", "/v1/play/spins", body if body is not None else {},
                         key=token, idem=idem or str(uuid.uuid4()))
