"""The API tier: moto-backed DynamoDB in this process (one set of tables per test
module), Chalice's test client, and the fixtures most tests start from (a partner,
its campaign, a wheel campaign, a DynamoDB fault plan)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chalice.test import Client
from moto import mock_aws

from devtools.serve import patch_local_gateway
from tests.helpers import Api, DynamoPatch, clear_caches, patch_dynamodb


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
def dynamodb_faults(monkeypatch: pytest.MonkeyPatch) -> DynamoPatch:
    """`dynamodb_faults["PutItem"] = lost_answer`: every later PutItem fails so;
    `dynamodb_faults.calls`: the data operations that reached the emulator."""
    return patch_dynamodb(monkeypatch)


# ------------------------------------------------------------ the campaign family


@pytest.fixture
def partner(api: Api) -> dict:
    """A partner with one key of every scope: {"id", "key", "key_id"}."""
    return api.partner()


@pytest.fixture
def campaign(api: Api, partner: dict) -> dict:
    """A running campaign of `partner`, no wheel (`campaign_body`'s defaults)."""
    return api.campaign(partner["key"])


@pytest.fixture
def wheel_campaign(api: Api, partner: dict) -> dict:
    """A running campaign of `partner` with the standard wheel (`helpers.WHEEL`)."""
    return api.wheel_campaign(partner["key"])


@pytest.fixture
def two_partners(api: Api) -> tuple[dict, dict, dict, dict]:
    """Partner A with a campaign and a gift, and partner B who must see none of it."""
    a = api.partner("Acme Coffee")
    b = api.partner("Bobs Burgers")
    campaign = api.campaign(a["key"])
    gift = api.issue(a["key"], campaign["id"], amount=50_000).json_body
    return a, b, campaign, gift


@pytest.fixture
def one_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every move on shard 00, so they all share one holder of carried counts
    (`money.tallies`) and race for its rolls."""
    from chalicelib.money import budget_shards
    from chalicelib.store.keys import shard_key

    monkeypatch.setattr(budget_shards, "pick", lambda campaign_id, shards: shard_key(
        campaign_id, 0))


@pytest.fixture
def conflicts() -> Iterator[None]:
    """Each transaction keeps its items busy for 3 ms: overlapping ones are cancelled
    with TransactionConflict, as on DynamoDB."""
    from devtools import moto_patch

    moto_patch.set_conflict_window(0.003)
    yield
    moto_patch.set_conflict_window(0)
