"""The served OpenAPI document is valid OpenAPI 3.1 (openapi-spec-validator), with a
`webhooks` entry per event type whose body is the type the sender builds it from,
and the RateLimit fields on every answer to a counted caller."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

SDKS = Path(__file__).resolve().parents[2] / "sdks"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    import app  # noqa: F401 - registers the routes
    from chalicelib.edge import openapi

    return openapi.document()


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_event_type_is_a_webhook_with_its_own_payload_schema(document: dict[str, Any]
                                                                   ) -> None:
    from chalicelib import schemas

    hooks = document["webhooks"]
    assert sorted(hooks) == sorted(schemas.EVENT_TYPES) == sorted(schemas.EVENT_PAYLOADS)
    components = document["components"]["schemas"]
    for kind, hook in hooks.items():
        body = hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        name = body["$ref"].rsplit("/", 1)[1]
        assert name == schemas.WEBHOOK_EVENTS[kind].__name__
        envelope = components[name]
        assert envelope["properties"]["type"] == {"enum": [kind]}
        data = envelope["properties"]["data"]["$ref"].rsplit("/", 1)[1]
        assert data == schemas.EVENT_PAYLOADS[kind].__name__
        headers = {p["name"] for p in hook["post"]["parameters"]}
        assert {"webhook-id", "webhook-timestamp", "webhook-signature",
                "Rewards-Signature"} <= headers


def test_counted_callers_answers_declare_the_ratelimit_fields(document: dict[str, Any]
                                                             ) -> None:
    declared = 0
    for path, item in document["paths"].items():
        for method, op in item.items():
            counted = op["security"] and next(iter(op["security"][0])) in (
                "apiKey", "playerToken")
            for status, answer in op["responses"].items():
                if "$ref" in answer or status == "401":
                    continue
                has = {"RateLimit", "RateLimit-Policy"} <= set(answer.get("headers", {}))
                assert has == bool(counted), (method, path, status)
                declared += has
    assert declared > 100
    limited = document["components"]["responses"]["RateLimited"]["headers"]
    assert {"Retry-After", "RateLimit", "RateLimit-Policy"} <= set(limited)


def test_the_committed_sdks_come_from_the_served_document(document: dict[str, Any]) -> None:
    """`make sdks` regenerates both SDKs (sdks/) from sdks/openapi.json; a change to
    the API's contract not followed by `make sdks` fails here."""
    committed = json.loads((SDKS / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(document)), \
        "the API's document changed: run `make sdks` and commit sdks/"
    schema = (SDKS / "typescript" / "src" / "schema.d.ts").read_text()
    assert all(f'"{kind}": {{' in schema for kind in document["webhooks"])
