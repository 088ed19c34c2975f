"""What every answer of the contract must be, checked one way everywhere."""

from __future__ import annotations

import json
from typing import Any

ADMIN = {"Authorization": "Bearer test-admin-token"}
# Every scope the contract names, in its order: a key made without a choice holds all.
ALL_SCOPES = ["campaigns:read", "campaigns:write", "gifts:issue", "gifts:redeem",
              "reports:read", "players:mint", "players:read", "webhooks:manage"]
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code"}
TRACE_MARKERS = (b"Traceback", b'File "', b"chalicelib/", b".py\", line")


def header(response: Any, name: str) -> str | None:
    """A response header by name, whatever its case."""
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


def ok(response: Any, status: int = 200) -> Any:
    """The JSON body of an answer that must have `status`."""
    assert response.status_code == status, response.body
    return response.json_body


def fields(problem: dict) -> list[str]:
    """The fields a validation problem names, in its order."""
    return [e["field"] for e in problem["errors"]]
