"""DynamoDB as the tests see it: one patch of botocore's `BaseClient._make_api_call`
that makes a named operation fail (throttle, lose its answer, time out), runs a
concurrent writer's change just before it, or counts the operations that reached
the emulator; and a test-only Scan of the stored gifts.

Faults are injected under the service (every DynamoDB client of any module), never
by mocking domain functions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

# The caller's own key (its lookup, its rate-limit count) is not the data a request
# is about: counts leave those tables out.
OWN_TABLES = ("-api-keys", "-rate-limits")


class DynamoPatch(dict):
    """`patch["PutItem"] = lost_answer`: every later PutItem of any DynamoDB client
    raises `lost_answer()` instead of reaching the emulator (`del` ends it).
    `patch.before["TransactWriteItems"] = act`: `act()` runs just before each such
    call, as a concurrent writer would (an exception it raises fails the call).
    `patch.sent`: the DynamoDB operations the service sent, failed ones included;
    `patch.calls`: those that reached the emulator. Neither counts the caller's own
    API key and rate limit; `patch.every_call` does: (operation, table) of every
    DynamoDB call that reached the emulator."""

    def __init__(self) -> None:
        super().__init__()
        self.before: dict[str, Callable[[], None]] = {}
        self.sent: list[str] = []
        self.calls: list[str] = []
        self.every_call: list[tuple[str, str]] = []

    def wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def make_api_call(client: BaseClient, operation: str, params: dict) -> Any:
            if client.meta.service_model.service_name == "dynamodb":
                data = not params.get("TableName", "").endswith(OWN_TABLES)
                if data:
                    self.sent.append(operation)
                act = self.before.get(operation)
                if act is not None:
                    act()
                if operation in self:
                    raise self[operation]()
                if data:
                    self.calls.append(operation)
                self.every_call.append((operation, params.get("TableName", "")))
            return original(client, operation, params)

        return make_api_call


def patch_dynamodb(monkeypatch: pytest.MonkeyPatch) -> DynamoPatch:
    """A DynamoPatch in place until the end of the test."""
    plan = DynamoPatch()
    monkeypatch.setattr(BaseClient, "_make_api_call", plan.wrap(BaseClient._make_api_call))
    return plan


@contextlib.contextmanager
def patched_dynamodb() -> Iterator[DynamoPatch]:
    """A DynamoPatch in place for the `with` block only."""
    original = BaseClient._make_api_call
    plan = DynamoPatch()
    BaseClient._make_api_call = plan.wrap(original)  # type: ignore[method-assign]
    try:
        yield plan
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def count_data_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, every DynamoDB operation a request makes on the data, not on the
    caller's own API key or rate-limit count, is appended to the returned list."""
    return patch_dynamodb(monkeypatch).calls


# ------------------------------------------------------------------ faults

ENDPOINT = "https://dynamodb.us-east-1.amazonaws.com"



def aws_error(code: str) -> ClientError:
    """An error DynamoDB answered with (throttling, a conflict, a service error...)."""
    return ClientError({"Error": {"Code": code, "Message": code}}, "PutItem")


def lost_answer() -> Exception:
    """The write may have happened; the answer never came back (no response at all)."""
    return ConnectionClosedError(endpoint_url=ENDPOINT)


def read_timeout() -> Exception:
    return ReadTimeoutError(endpoint_url=ENDPOINT)


def unreachable() -> Exception:
    return EndpointConnectionError(endpoint_url=ENDPOINT)


def throttled() -> Exception:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                       "TransactWriteItems")


# ------------------------------------------------------------------ stored data


def stored_gifts(*, campaign_id: str | None = None, batch_id: str | None = None) -> list:
    """Every stored gift of a campaign or a batch, in batch order: a test-only Scan
    that sees past the API's sharded reads."""
    from chalicelib.store.models import GiftModel

    found = [g for g in GiftModel.scan(consistent_read=True)
             if (campaign_id is None or g.campaign_id == campaign_id)
             and (batch_id is None or g.batch_id == batch_id)]
    return sorted(found, key=lambda g: (g.batch_index or 0, g.issued_key))


def stored_redemptions(gift_id: str) -> list[tuple[str, int]]:
    """(redeemed_at, amount) of every redemption of a gift as stored, whichever shape
    holds it: a history row that is a redemption (since issue 26), or an item of the
    older `redemptions` table. A test-only read past the API."""
    from chalicelib.store.models import GiftEventModel, RedemptionModel

    rows = [(e.at, int(e.amount)) for e in GiftEventModel.query(gift_id, consistent_read=True)
            if e.type in ("redeemed", "captured") and e.gift_key]
    return [(r.redeemed_at, int(r.amount))
            for r in RedemptionModel.query(gift_id, consistent_read=True)] + rows


def clear_caches() -> None:
    """Every per-Lambda cache, so each test starts as a fresh Lambda would (a module
    not imported yet has no cache to clear). Settings are not a cache of data: the
    `aws` fixture resets them after each test, as the environment may have changed."""
    from chalicelib.core import cache

    cache.clear_all()
