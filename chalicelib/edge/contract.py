"""What a route declares (its contract: auth, scopes, body, answers, errors), which is
also its OpenAPI entry; what a view receives (`Req`) and returns (`Reply`); list
parameters and cursors."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from msgspec import Struct, field

from chalicelib.core import errors
from chalicelib.core.clock import now as utcnow
from chalicelib.store import idempotency

JSON = "application/json; charset=utf-8"


class Param(Struct):
    name: str
    description: str
    schema: dict[str, Any]
    required: bool = False


class When(Struct, frozen=True):
    """An error a route answers with, and a note on when: the OpenAPI entry
    shows the note beside the error's code, where the bare class would not say
    which of the route's inputs or states leads there."""
    error: type[errors.DomainError]
    note: str


# What a route lists beyond the errors every route shares (see openapi._COMMON_ERRORS).
RouteErrors = tuple[type[errors.DomainError] | When, ...]


class RouteSpec(Struct):
    path: str
    method: str
    name: str
    summary: str
    auth: str | None  # None | "admin" | "partner" | "player"
    scopes: tuple[str, ...] = ()
    body: Any = None
    response: Any = None
    status: int = 200
    idempotent: bool | str = False  # True: key required; "optional": honoured when sent
    query: tuple[Param, ...] = ()
    errors: RouteErrors = ()
    # another 2xx the route answers with, same body shape: (status, when)
    other_success: tuple[tuple[int, str], ...] = ()
    tag: str = ""
    content_types: tuple[str, ...] = ("application/json",)
    produces: str = "application/json"
    cors: bool = False
    max_body: int | None = None
    rules: Callable[[Any], list[dict]] | None = None
    pages: tuple[int, ...] = ()
    """Error statuses this route answers as an HTML page of its own, not problem+json
    (the gift page's 404: its reader is a person, not a client)."""


ROUTES: list[RouteSpec] = []


class Reply(Struct):
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON


class Req(Struct):
    """What a view needs from a request, already authenticated and decoded."""

    spec: RouteSpec
    principal: Any
    raw_body: bytes
    content_type: str
    query_params: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    idem: idempotency.Claim | None = None
    now: datetime = field(default_factory=utcnow)
    address: str | None = None  # API Gateway's source IP (the play's fraud controls)
    stage: str | None = None  # API Gateway's stage (links the API answers to itself)

    @property
    def claim(self) -> idempotency.Claim:
        """The key's claim on a route declared `idempotent=True`: the key is required
        there, so `_dispatch` has made the claim before the view runs."""
        if self.idem is None:
            raise AssertionError(f"{self.spec.name} is not declared idempotent=True")
        return self.idem

    def query(self, name: str) -> str | None:
        """An empty parameter (`?status=`) means the parameter is not given."""
        return self.query_params.get(name) or None

    @property
    def limit(self) -> int:
        raw = self.query("limit")
        if raw is None:
            return PAGE_DEFAULT
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= PAGE_MAX:
            raise errors.field_error("limit", f"must be an integer from 1 to {PAGE_MAX}")
        return int(raw)

    @property
    def cursor(self) -> dict[str, Any] | None:
        return decode_cursor(self.query("cursor"))


PAGE_DEFAULT, PAGE_MAX = 20, 100  # ?limit= on every list; LIMIT publishes them
LIMIT = Param("limit", f"Page size, 1..{PAGE_MAX} (default {PAGE_DEFAULT})",
              {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": PAGE_DEFAULT})
CURSOR = Param("cursor", "Opaque cursor from the previous page's next_cursor",
               {"type": "string"})


# ------------------------------------------------------------------ cursors


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    try:
        if len(value) > 2048:
            raise ValueError
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        key = json.loads(raw)
        if not isinstance(key, dict) or not all(
                isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
                for k, v in key.items()):
            raise ValueError
        return key
    except (ValueError, RecursionError, binascii.Error, UnicodeDecodeError) as exc:
        raise errors.InvalidCursor("The cursor is malformed; use next_cursor as returned") \
            from exc


def moves_money(spec: RouteSpec) -> bool:
    """The routes that require an Idempotency-Key are exactly those that move money or
    change a gift (API.md: issuance, batches, spins, redemptions, voids, top-ups, and
    holds, captures and reversals): a revoked key must stop them within seconds."""
    return spec.method == "POST" and spec.idempotent is True
