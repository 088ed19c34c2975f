"""The in-process stack every benchmark runs on: moto's DynamoDB (with
devtools/moto_patch.py), the app through Chalice's test client, and one partner
with an API key. Benchmarks compare rows with each other, not with AWS."""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ADMIN = {"Authorization": "Bearer bench-admin", "Content-Type": "application/json"}


def environment(prefix: str) -> None:
    """Fake credentials (no benchmark can reach AWS) and fixed local secrets."""
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1", "ADMIN_TOKEN": "bench-admin",
        "SIGNING_KEYS": "b1:bench-signing-secret-0123456789abcdefghij",
        "CODE_LOOKUP_KEYS": "bl1:bench-lookup-secret-0123456789abcdef",
        "CODE_DATA_KEYS": "bd1:" + base64.b64encode(bytes(range(32))).decode(),
        "GIFT_LINK_KEYS": "bg1:bench-gift-link-secret-0123456789abcdef",
        # one bench player spins in a loop: the per-player limit is not what is measured
        "PLAYER_RATE_LIMIT": "100000",
        "TABLE_PREFIX": prefix})
    os.environ.pop("DYNAMODB_ENDPOINT", None)


@contextmanager
def stack(prefix: str, partner: str = "Bench") -> Iterator[tuple[Any, str]]:
    """(Chalice test client's http, an API key of a fresh partner), tables created."""
    environment(prefix)
    from moto import mock_aws

    from devtools import moto_patch

    moto_patch.install()
    with mock_aws():
        from chalicelib.core import config
        from chalicelib.store import tables

        config.reset()
        config.settings()  # read now: chalice's test client sets the dev stage's variables
        tables.bind()
        tables.create_tables()
        from chalice.test import Client

        from app import app

        with Client(app) as client:
            http = client.http
            pid = http.post("/v1/admin/partners", headers=ADMIN,
                            body=f'{{"name": "{partner}"}}').json_body["id"]
            key = http.post(f"/v1/admin/partners/{pid}/api-keys", headers=ADMIN,
                            body="{}").json_body["key"]
            yield http, key
