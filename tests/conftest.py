"""Fixtures: moto-backed DynamoDB (fake credentials, so no test can reach AWS) and
Chalice's test client, plus small helpers that speak the HTTP contract."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
    "ADMIN_TOKEN": "test-admin-token", "SIGNING_KEYS": "k1:test-signing-secret-0123456789abcdef",
    "CODE_LOOKUP_KEYS": "l1:test-lookup-secret-0123456789abcdef",
    "CODE_DATA_KEYS": "d1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "TABLE_PREFIX": "rewards-test", "STAGE": "test",
})
os.environ.pop("DYNAMODB_ENDPOINT", None)

from chalice.test import BaseClient, Client  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from moto import mock_aws  # noqa: E402

from devtools import moto_patch  # noqa: E402
from devtools.serve import patch_local_gateway  # noqa: E402

moto_patch.install()

# Speed is measured in bench/, never in tests: no per-example deadline. CI replays
# the same examples every run, so a red build is reproducible, not a coin toss.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@contextlib.contextmanager
def _keep_environment(self, environment_variables):  # noqa: ANN001, ANN202
    yield


# Chalice's test client swaps os.environ for a copy holding the stage's deploy-time
# variables on every request; the swap is not thread-safe (racing requests restore
# each other's copies) and would point tests at the dev stage's tables. Tests own
# their environment, set above.
BaseClient._patched_env_vars = _keep_environment

ADMIN = {"Authorization": "Bearer test-admin-token"}
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code"}
TRACE_MARKERS = (b"Traceback", b'File "', b"chalicelib/", b".py\", line")


def header(response: Any, name: str) -> str | None:
    return {k.lower(): v for k, v in response.headers.items()}.get(name.lower())


def assert_problem(response: Any, status: int, code: str | None = None) -> dict:
    """An RFC 9457 problem with our stable `code`, and never a stack trace."""
    assert response.status_code == status, response.body
    assert (header(response, "Content-Type") or "").startswith("application/problem+json")
    body = json.loads(response.body)
    assert PROBLEM_FIELDS <= body.keys(), body
    assert all(isinstance(body[f], str) for f in PROBLEM_FIELDS - {"status"})
    assert body["status"] == status == response.status_code
    if code is not None:
        assert body["code"] == code
    assert not any(marker in response.body for marker in TRACE_MARKERS)
    return body


class FaultPlan(dict):
    """Operation name -> exception factory, and the operations that got through."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []


@pytest.fixture
def dynamodb_faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultPlan]:
    """`dynamodb_faults["PutItem"] = make_error`: every later PutItem of any DynamoDB
    client raises `make_error()` instead of reaching the emulator; `calls` counts
    the operations that did reach it, but for the caller's API key and rate limit."""
    from botocore.client import BaseClient

    original = BaseClient._make_api_call
    plan = FaultPlan()

    def make_api_call(self: BaseClient, operation: str, params: dict) -> dict:
        if self.meta.service_model.service_name == "dynamodb":
            if operation in plan:
                raise plan[operation]()
            # the caller's own key (its lookup, its rate-limit count) is not the data
            # a malformed request must never reach
            if not params.get("TableName", "").endswith(("-api-keys", "-rate-limits")):
                plan.calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    yield plan


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """`later(timedelta(days=3))`: from then on the whole service lives three days
    later (every module reads the time through `clock.now()`)."""
    from chalicelib.core import clock

    def travel(delta: timedelta) -> None:
        monkeypatch.setattr(clock, "source", lambda: datetime.now(UTC) + delta)

    return travel


class StoppedClock:
    """A service clock that stands still until the test moves it with `tick`."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, seconds: float = 1) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> StoppedClock:
    """The service's clock stopped at the start of the current second."""
    from chalicelib.core import clock

    stopped = StoppedClock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(clock, "source", stopped)
    return stopped


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Api:
    """A thin client that speaks the contract, so tests read like a partner's code."""

    def __init__(self, client: Client) -> None:
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

    def partner(self, name: str = "Acme Coffee", scopes: list[str] | None = None) -> dict:
        p = self.call("POST", "/v1/admin/partners", {"name": name}, headers=ADMIN).json_body
        body = {"scopes": scopes} if scopes else {}
        k = self.call("POST", f"/v1/admin/partners/{p['id']}/api-keys", body,
                      headers=ADMIN).json_body
        return {"id": p["id"], "key": k["key"], "key_id": k["id"]}

    def campaign(self, key: str, **overrides: Any) -> dict:
        now = datetime.now(UTC)
        body = {"name": "Tet 2027", "currency": "VND", "budget": 1_000_000,
                "starts_at": iso(now - timedelta(minutes=1)),
                "ends_at": iso(now + timedelta(days=30)), "gift_expiry_days": 30}
        body.update(overrides)
        r = self.call("POST", "/v1/campaigns", body, key=key)
        assert r.status_code == 201, r.body
        return r.json_body

    def issue(self, key: str, campaign_id: str, amount: int = 50_000,
              idem: str | None = None, **extra: Any) -> Any:
        return self.call("POST", f"/v1/campaigns/{campaign_id}/gifts",
                         {"amount": amount, **extra}, key=key,
                         idem=idem or str(uuid.uuid4()))


@pytest.fixture
def two_partners(api: Api) -> tuple[dict, dict, dict, dict]:
    """Partner A with a campaign and a gift, and partner B who must see none of it."""
    a = api.partner("Acme Coffee")
    b = api.partner("Bobs Burgers")
    campaign = api.campaign(a["key"])
    gift = api.issue(a["key"], campaign["id"], amount=50_000).json_body
    return a, b, campaign, gift


def stored_gifts(*, campaign_id: str | None = None, batch_id: str | None = None) -> list:
    """Every stored gift of a campaign or a batch, in batch order: a test-only Scan
    that sees past the API's sharded reads."""
    from chalicelib.store.models import GiftModel

    found = [g for g in GiftModel.scan(consistent_read=True)
             if (campaign_id is None or g.campaign_id == campaign_id)
             and (batch_id is None or g.batch_id == batch_id)]
    return sorted(found, key=lambda g: (g.batch_index or 0, g.issued_key))


def count_data_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, every DynamoDB operation a request makes on the data, not on the
    caller's own API key or rate-limit count, is appended to the returned list."""
    import botocore.client

    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict) -> Any:
        if not params.get("TableName", "").endswith(("-api-keys", "-rate-limits")):
            calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return calls


def clear_caches() -> None:
    """Every per-Lambda cache, so each test starts as a fresh Lambda would (a module
    not imported yet has no cache to clear). Settings are not a cache of data: the
    `aws` fixture resets them after each test, as the environment may have changed."""
    from chalicelib.core import cache

    cache.clear_all()


@pytest.fixture(scope="module")
def _tables() -> Iterator[None]:
    """One moto account and one set of tables per test module (creating nine
    tables costs seconds); tests stay apart through their own partners."""
    from chalicelib.core import config
    from chalicelib.store import tables
    from devtools import local_queue

    local_queue.install()  # webhook deliveries (a redelivery) queue in this process
    with mock_aws():
        config.reset()
        tables.bind()
        tables.create_tables()
        yield


@pytest.fixture
def aws(_tables: None) -> Iterator[None]:
    from chalicelib.core import config
    from chalicelib.store import tables

    clear_caches()
    yield
    clear_caches()
    config.reset()  # a test may have changed the environment the settings came from
    tables.bind()


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    from app import app

    patch_local_gateway()  # unknown routes: 404 problem+json, as the deployed gateway

    with Client(app) as c:
        yield c


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def partner(api: Api) -> dict:
    return api.partner()
