"""The OpenAPI 3.1 document, generated from the same route specs and msgspec
types that validate requests and encode responses."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import msgspec

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge.contract import ROUTES, RouteSpec, When
from chalicelib.store import idempotency

_SECURITY = {"admin": "operatorToken", "partner": "apiKey", "player": "playerToken"}
_STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content"}
_COMMON: dict[int, tuple[str, tuple[type[errors.DomainError], ...]]] = {
    400: ("Malformed request", (errors.BadRequest, errors.InvalidJson, errors.InvalidCursor,
                                errors.IdempotencyKeyRequired, errors.InvalidIdempotencyKey)),
    401: ("Missing or invalid credentials", (errors.Unauthorized,)),
    403: ("The API key lacks the scope", (errors.InsufficientScope,)),
    404: ("Unknown resource, or another partner's", (errors.NotFound,)),
    413: ("Body too large", (errors.PayloadTooLarge,)),
    415: ("Unsupported Content-Type", (errors.UnsupportedMediaType,)),
    422: ("Validation failed, with `errors[]`", (errors.ValidationError,)),
    503: ("Storage busy; retry with the same Idempotency-Key", (errors.ServiceUnavailable,)),
}
"""The answers any operation may give, named by the classes that raise them."""
_COMMON_ERRORS = {status: f"{text} (" + ", ".join(f"`{e.code}`" for e in raised) + ")"
                  for status, (text, raised) in _COMMON.items()}

_RATE_LIMITED_TEXT = ("too many requests: this API key's own limit (1,000 a second unless "
                      "set when the key was made; `limit` in the body) or the stage's "
                      "throttling when deployed; wait `Retry-After` seconds and retry, with "
                      "the same Idempotency-Key for a POST")
_RETRY_AFTER = {"description": "Seconds to wait before retrying",
                "schema": {"type": "integer", "minimum": 0}}


def _rate_limited(ref: Any) -> dict[str, Any]:
    """One shared 429 `rate_limited` answer, referenced by every operation."""
    return {"description": f"Rate limited (`{errors.RateLimited.code}`): " + _RATE_LIMITED_TEXT,
            "headers": {"Retry-After": _RETRY_AFTER},
            "content": {"application/problem+json": {"schema": ref(schemas.Problem)}}}


def _route_errors(spec: RouteSpec) -> dict[int, str]:
    """The route's own errors by status, each named by its code (and the route's
    note on when), so the document can only cite codes that exist."""
    by_status: dict[int, list[tuple[str, str]]] = {}
    for entry in spec.errors:
        error, note = (entry.error, entry.note) if isinstance(entry, When) else (entry, "")
        by_status.setdefault(error.status, []).append((error.code, note))
    text = {}
    for status, found in sorted(by_status.items()):
        out = ""
        for i, (code, note) in enumerate(found):
            if i:  # a note may hold commas, so ';' sets it apart from its neighbours
                out += "; " if note or found[i - 1][1] else ", "
            out += f"`{code}`: {note}" if note else f"`{code}`"
        text[status] = out
    return text


def _operation(spec: RouteSpec, ref: Any) -> dict[str, Any]:
    # The keys are set in the order the served document has always shown them.
    op: dict[str, Any] = {"operationId": spec.name, "summary": spec.summary,
                          "tags": [spec.tag] if spec.tag else [], "parameters": _parameters(spec)}
    if spec.auth:
        op["security"] = [{_SECURITY[spec.auth]: []}]
        if spec.scopes:
            op["description"] = "Scope: " + " or ".join(f"`{s}`" for s in spec.scopes)
    else:
        op["security"] = []
    if spec.body is not None:
        content = {"application/json": {"schema": ref(spec.body)}}
        for extra in spec.content_types:
            if extra != "application/json":
                content[extra] = {"schema": {"type": "string"}}
        op["requestBody"] = {"required": spec.method != "POST" or spec.body is not None,
                             "content": content}
    responses = _success_responses(spec, ref)
    _add_error_responses(responses, spec, ref)
    op["responses"] = responses
    return op


def _parameters(spec: RouteSpec) -> list[dict[str, Any]]:
    """Path values, then query parameters, then the Idempotency-Key header."""
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", spec.path)]
    params += [{"name": p.name, "in": "query", "required": p.required,
                "description": p.description, "schema": p.schema} for p in spec.query]
    if spec.idempotent:
        params.append({
            "name": "Idempotency-Key", "in": "header",
            "required": spec.idempotent is True,
            "description": f"{idempotency.KEY_RULE}, unique per operation. A retry "
                           "with the same key and body replays the first response with "
                           "`Idempotent-Replayed: true`; remembered for at least 24 hours.",
            "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH,
                       "pattern": idempotency.KEY_PATTERN}})
    if spec.auth == "player" and spec.method == "POST":  # a play: the fraud controls
        params.append({
            "name": "Rewards-Device-Id", "in": "header", "required": False,
            "description": "A random id the widget keeps for the device (localStorage): "
                           "the campaign's `play_limits` per device and its deny list "
                           "apply to it. Up to 128 printable characters; any other "
                           "value counts as absent.",
            "schema": {"type": "string", "maxLength": 128}})
    return params


def _success_responses(spec: RouteSpec, ref: Any) -> dict[str, Any]:
    """The route's main success, then its other successes (same body shape)."""
    responses: dict[str, Any] = {}
    if spec.status == 204:
        responses["204"] = {"description": "No content"}
    else:
        schema = ref(spec.response) if spec.response is not None else {}
        responses[str(spec.status)] = {
            "description": _STATUS_TEXT.get(spec.status, "OK"),
            "content": {spec.produces: {"schema": schema if spec.produces.endswith("json")
                                        else {"type": "string"}}}}
    for status, when in spec.other_success:  # same body shape as the main success
        responses[str(status)] = {
            "description": f"{_STATUS_TEXT.get(status, 'OK')}: {when}",
            "content": {spec.produces: {"schema": ref(spec.response)}}}
    return responses


def _add_error_responses(responses: dict[str, Any], spec: RouteSpec, ref: Any) -> None:
    """The answers any such route may give, then the route's own errors merged into
    them by status, then 429: every operation can be throttled, so a route with no
    429 of its own points at the shared answer."""
    problem = {"application/problem+json": {"schema": ref(schemas.Problem)}}
    codes = {400, 404, 422, 503}
    if spec.auth:
        codes |= {401}
    if spec.scopes:
        codes |= {403}
    if spec.body is not None:
        codes |= {413, 415}
    for status in sorted(codes):
        responses[str(status)] = {"description": _COMMON_ERRORS[status], "content": problem}
    for status, text in _route_errors(spec).items():
        entry = responses.setdefault(str(status), {"description": "", "content": problem})
        entry["description"] = f"{entry['description']}; {text}".strip("; ")
    if "429" in responses:  # the route's own 429 (spin limits): throttling applies too
        responses["429"]["description"] += (f"; or `{errors.RateLimited.code}`: "
                                            + _RATE_LIMITED_TEXT)
        responses["429"]["headers"] = {"Retry-After": _RETRY_AFTER}
    else:
        responses["429"] = {"$ref": "#/components/responses/RateLimited"}


def _webhooks(by_type: dict[Any, Any]) -> dict[str, Any]:
    """What Rewards POSTs to a partner's webhook endpoint (OpenAPI 3.1 `webhooks`)."""
    header = {"required": True, "schema": {"type": "string"}}
    return {"event": {"post": {
        "summary": "An event, sent to every enabled endpoint that subscribes to its type",
        "description": "At least once, in no guaranteed order: deduplicate by `id` (also in "
                       "`Rewards-Event-Id`). Verify `Rewards-Signature` over the raw body "
                       "before parsing it. Answer 2xx within 10 s; anything else is retried "
                       "with exponential backoff and jitter for 3 days, then the endpoint "
                       "is disabled. Redirects are not followed.",
        "parameters": [
            {"name": "Rewards-Event-Id", "in": "header", **header,
             "description": "The event's id (`evt_…`), the same on every attempt"},
            {"name": "Rewards-Event-Type", "in": "header", **header},
            {"name": "Rewards-Signature", "in": "header", **header,
             "description": "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`, "
                            "one `v1` per active secret (two for 24 hours after a rotation); "
                            "refuse a `t` more than 5 minutes from your clock"}],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": by_type[schemas.Event]}}},
        "responses": {"2XX": {"description": "Acknowledged"}}}}}


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    types = {schemas.Problem, schemas.Event}
    for spec in ROUTES:
        types |= {t for t in (spec.body, spec.response) if t is not None}
    ordered = sorted(types, key=lambda t: getattr(t, "__name__", str(t)))
    refs, components = msgspec.json.schema_components(
        ordered, ref_template="#/components/schemas/{name}")
    by_type = dict(zip(ordered, refs, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    for spec in ROUTES:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(
            spec, lambda t: by_type[t])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rewards API",
            "version": "1.0.0",
            "description": "Gamified rewards for B2B partners: campaigns with budgets, instant "
                           "e-gift codes, redemption, spin-the-wheel and bulk issuance. Money "
                           "is an integer amount in the currency's minor unit. Errors are RFC "
                           "9457 problem details with a stable `code`.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "webhooks": _webhooks(by_type),
        "components": {
            "schemas": components,
            "responses": {"RateLimited": _rate_limited(lambda t: by_type[t])},
            "securitySchemes": {
                "operatorToken": {"type": "http", "scheme": "bearer",
                                  "description": "Platform operator token (ADMIN_TOKEN)"},
                "apiKey": {"type": "http", "scheme": "bearer",
                           "description": "Partner API key `rk_…`, shown once at creation. "
                                          "Once revoked, it stops moving money (issue, "
                                          "batches, redeem, void, top-ups) within 3 seconds "
                                          "and stops working entirely within 30 seconds "
                                          "(the contract's bound is 60)"},
                "playerToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                "description": "Short-lived player token minted by the "
                                               "partner (players:mint)"},
            },
        },
    }
