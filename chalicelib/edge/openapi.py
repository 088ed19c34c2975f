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
                      "set when the key was made), or for a player token its player's (10 "
                      "a second) or its campaign's (20,000 a second), `limit` and `policy` "
                      "in the body; or the stage's throttling when deployed. Wait "
                      "`Retry-After` seconds and retry, with the same Idempotency-Key for a "
                      "POST")
_RETRY_AFTER = {"description": "Seconds to wait before retrying",
                "schema": {"type": "integer", "minimum": 0}}
_DRAFT = "draft-ietf-httpapi-ratelimit-headers-10"
RATE_HEADERS = {
    "RateLimit-Policy": {
        "description": f"The caller's quota policies ({_DRAFT}): `\"default\";q=<requests>;"
                       "w=1` for an API key; `\"player\";q=…;w=1, \"campaign\";q=…;w=1` "
                       "for a player token (windows in seconds)",
        "schema": {"type": "string"}},
    "RateLimit": {
        "description": f"What is left in the current window ({_DRAFT}): "
                       "`\"<policy>\";r=<remaining>;t=<seconds to reset>` per policy. At "
                       "`r=0`, wait `t` seconds instead of meeting a 429 (with several "
                       "servers `r` is an estimate: the 429 is the rule)",
        "schema": {"type": "string"}},
}
_RATE_REFS = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_HEADERS}


def _rate_limited(ref: Any) -> dict[str, Any]:
    """One shared 429 `rate_limited` answer, referenced by every operation."""
    return {"description": f"Rate limited (`{errors.RateLimited.code}`): " + _RATE_LIMITED_TEXT,
            "headers": {"Retry-After": _RETRY_AFTER, **_RATE_REFS},
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
    if spec.auth in ("partner", "player"):  # every answer to a counted caller
        for status, answer in responses.items():
            if "$ref" not in answer and status != "401":
                answer.setdefault("headers", {}).update(_RATE_REFS)
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
    own = _route_errors(spec)
    for status in spec.pages:  # answered as a page of the route's own (the gift page)
        responses[str(status)] = {"description": own.get(status, _COMMON_ERRORS.get(status, "")),
                                  "content": {"text/html": {"schema": {"type": "string"}}}}
    if "429" in responses:  # the route's own 429 (spin limits): throttling applies too
        responses["429"]["description"] += (f"; or `{errors.RateLimited.code}`: "
                                            + _RATE_LIMITED_TEXT)
        responses["429"]["headers"] = {"Retry-After": _RETRY_AFTER, **_RATE_REFS}
    else:
        responses["429"] = {"$ref": "#/components/responses/RateLimited"}


_WHEN = {
    "gift.issued": "A gift is created (singly, in a batch, or won on the wheel)",
    "gift.redeemed": "A gift's balance goes down (a redemption, a hold's capture)",
    "gift.voided": "A gift is voided",
    "redemption.reversed": "A redemption is reversed: the gift's balance goes back up",
    "gift_batch.completed": "A bulk batch has all its gifts",
    "spin.won": "A spin wins a prize",
    "campaign.budget_low": "The campaign's remaining budget falls below 10 % of its total "
                           "(once)",
    "campaign.budget_exhausted": "Nothing is left (for a wheel: less than its smallest "
                                 "prize; once)",
    "campaign.ended": "The campaign is ended",
    "recipient.erased": "A data-subject request erased a phone, email or player id "
                        "(POST /v1/recipients/erasures); the event names no contact",
    "gift.delivery_sent": "A message carrying a gift to its recipient (or a reminder) was "
                          "taken by its channel (email, SMS, Zalo); `to` is masked",
    "gift.delivery_failed": "A message to a gift's recipient failed or bounced (`reason` "
                            "says why: `suppressed`, `unconfirmed`, the channel's reason)",
}
_DELIVERY = (
    "Sent to every enabled endpoint subscribed to this type (or `*`), at least once and "
    "in no guaranteed order: deduplicate by `id` (also `webhook-id`). Verify the raw body "
    "before parsing it, with a Standard Webhooks library "
    "(`Webhook(secret).verify(body, headers)`) or `Rewards-Signature`. Answer 2xx within "
    "10 s; `410` disables the endpoint; a `429` or `5xx` with `Retry-After` is retried no "
    "sooner than that (at most 6 hours); anything else is retried with exponential "
    "backoff and jitter for 3 days, then the endpoint is disabled. Redirects are not "
    "followed.")


def _webhook_parameters() -> list[dict[str, Any]]:
    header = {"in": "header", "required": True, "schema": {"type": "string"}}
    return [
        {"name": "webhook-id", **header,
         "description": "Standard Webhooks: the event's id (`evt_…`), the same on every "
                        "attempt"},
        {"name": "webhook-timestamp", **header,
         "description": "Standard Webhooks: Unix seconds of this attempt; refuse one more "
                        "than 5 minutes from your clock"},
        {"name": "webhook-signature", **header,
         "description": "Standard Webhooks: `v1,<base64 HMAC-SHA256(key, "
                        "\"<webhook-id>.<webhook-timestamp>.<body>\")>`, space-separated, "
                        "one per active secret; the key is the base64-decoded part of the "
                        "`whsec_…` secret"},
        {"name": "Rewards-Event-Id", **header,
         "description": "The event's id, as `webhook-id` (kept for earlier receivers)"},
        {"name": "Rewards-Event-Type", **header},
        {"name": "Rewards-Signature", **header,
         "description": "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`, "
                        "one `v1` per active secret (kept for earlier receivers)"}]


def _webhooks(by_type: dict[Any, Any]) -> dict[str, Any]:
    """What Rewards POSTs to a partner's webhook endpoint (OpenAPI 3.1 `webhooks`):
    one entry per event type, its body the type the stream consumer builds it from."""
    out = {}
    for kind, body in schemas.WEBHOOK_EVENTS.items():
        out[kind] = {"post": {
            "operationId": "webhook_" + kind.replace(".", "_"),
            "summary": f"`{kind}`: {_WHEN[kind]}",
            "description": _DELIVERY,
            "tags": ["webhooks"],
            "parameters": _webhook_parameters(),
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": by_type[body]}}},
            "responses": {
                "2XX": {"description": "Acknowledged"},
                "410": {"description": "Gone: the endpoint is disabled at once"},
                "429": {"description": "Retried no sooner than `Retry-After` (at most 6 h)"},
                "5XX": {"description": "Retried no sooner than `Retry-After` if given, "
                                       "else with the backoff"}}}}
    return out


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    types = {schemas.Problem, schemas.Event, *schemas.WEBHOOK_EVENTS.values()}
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
                           "9457 problem details with a stable `code`; each `type` is a page "
                           "that explains it ([problem types](problems)). Every answer to an "
                           "API key or a player token carries `RateLimit-Policy` and "
                           "`RateLimit` (draft-ietf-httpapi-ratelimit-headers-10). Events "
                           "are POSTed to partners' endpoints signed per Standard Webhooks "
                           "(`webhooks` below). Rendered at `GET /v1/docs`.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "webhooks": _webhooks(by_type),
        "components": {
            "schemas": components,
            "responses": {"RateLimited": _rate_limited(lambda t: by_type[t])},
            "headers": RATE_HEADERS,
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
