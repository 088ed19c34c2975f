"""The HTTP edge: route registration, auth wiring, path checks, the idempotent-route
wrapper, storage faults as 503 and problem+json responses. What a route declares
lives in `contract`, body decoding in `bodies`, the headers every answer gets in
`security`.

Why a wrapper around Chalice's `route`: Chalice turns unexpected exceptions into
its own `{"Code", "Message"}` body and rejects content types before our code
runs; partners need one error format (RFC 9457) on every path, so every view
goes through `_dispatch`, and a middleware rewrites the few answers Chalice
produces by itself (405, 415)."""

from __future__ import annotations

import functools
import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import BotoCoreError, ClientError
from chalice import Blueprint, Chalice, CORSConfig, Response
from pynamodb.exceptions import PynamoDBException

from chalicelib.access import auth, ratelimit
from chalicelib.core import errors, ids
from chalicelib.core.config import settings
from chalicelib.edge.bodies import decode_json
from chalicelib.edge.contract import ROUTES, Param, Reply, Req, RouteErrors, RouteSpec, moves_money
from chalicelib.edge.security import secure
from chalicelib.money import campaigns
from chalicelib.schemas import encode
from chalicelib.store import idempotency, retry

log = logging.getLogger("rewards")
PROBLEM = "application/problem+json"
CORS = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type",
                                                   "Idempotency-Key", "Rewards-Device-Id"],
                  expose_headers=["Idempotent-Replayed", "Retry-After", "X-Request-Id",
                                  "RateLimit", "RateLimit-Policy"],
                  max_age=600)

# Chalice keeps the request on the app object, shared by every thread of a local
# server (or a threaded test); the middleware hands each thread its own.
_current = threading.local()


# ------------------------------------------------------------------ responses


def problem_response(exc: errors.DomainError, request_id: str = "") -> Response:
    """The one place a problem becomes an answer. Every 5xx says when to retry:
    an outage is worth retrying with the same Idempotency-Key, and a client that
    is told how long to wait does not hammer a struggling store."""
    headers: dict[str, str | list[str]] = {"Content-Type": PROBLEM, **exc.headers}
    if exc.status >= 500 and not any(k.lower() == "retry-after" for k in headers):
        headers["Retry-After"] = errors.RETRY_AFTER_SECONDS
    if request_id:
        headers["X-Request-Id"] = request_id
    return Response(body=encode(exc.problem()).decode(), status_code=exc.status,
                    headers=headers)


def _reply_response(reply: Reply, request_id: str) -> Response:
    if isinstance(reply.body, bytes | str):
        body = reply.body if isinstance(reply.body, str) else reply.body.decode()
    elif reply.body is None:
        body = ""
    else:
        body = encode(reply.body).decode()
    headers: dict[str, str | list[str]] = {"X-Request-Id": request_id, **reply.headers}
    if reply.status != 204:
        headers.setdefault("Content-Type", reply.content_type)
    return Response(body=body, status_code=reply.status, headers=headers)


# ------------------------------------------------------------------- routing


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}


def _authenticate(spec: RouteSpec, headers: dict[str, str], path_params: dict) -> Any:
    if spec.auth is None:
        return None
    header = headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.Unauthorized("Send Authorization: Bearer <credential>",
                                  headers={"WWW-Authenticate": "Bearer"})
    token = token.strip()
    if spec.auth == "admin":
        return auth.authenticate_admin(token)
    if spec.auth == "partner":
        return auth.authenticate_api_key(token, moves_money(spec))
    if spec.auth == "player":
        return auth.authenticate_player(token)
    raise errors.Unauthorized()


# The readable prefix of every id a path can carry (API.md: "IDs are opaque strings
# with a readable prefix"); a path value of another shape names nothing.
_ID_BODY = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_PATH_VALUE = 256


def check_path_values(path_params: dict[str, str]) -> None:
    """An empty, oversized or malformed path value is 404 before any storage call.

    Why here, for every route: DynamoDB rejects an empty key with a
    ValidationException, which surfaced as 503 (`POST /v1/admin/partners//api-keys`),
    and a partner must not be able to tell "malformed" from "absent". Codes keep
    their own rule (a wrong check character is 422 `invalid_code`, no lookup made)."""
    for name, value in path_params.items():
        prefix = ids.PATH_PREFIXES.get(name)
        if prefix is not None:
            ok = value.startswith(prefix + "_") and bool(
                _ID_BODY.fullmatch(value[len(prefix) + 1:]))
        else:
            ok = bool(value.strip()) and len(value) <= MAX_PATH_VALUE and all(
                ch.isprintable() for ch in value)
        if not ok:
            what = name.removesuffix("_id").replace("_", " ")
            raise errors.NotFound(f"No {what} {value[:64]!r}")


def _read_body(spec: RouteSpec, request: Any, headers: dict[str, str]) -> tuple[bytes, str]:
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode()
    limit = spec.max_body or settings().max_body_bytes
    if len(raw) > limit:
        raise errors.PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {limit}")
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if not raw.strip() and content_type not in spec.content_types:
        content_type = ""  # no body is no body, whatever it is labelled (curl -d '')
    if raw.strip() and spec.body is not None and content_type not in spec.content_types:
        allowed = ", ".join(spec.content_types)
        raise errors.UnsupportedMediaType(f"Send the body as {allowed}")
    return raw, content_type


def _replay_response(replay: idempotency.Replay, request_id: str) -> Response:
    return Response(body=replay.body, status_code=replay.status,
                    headers={**replay.headers, "Idempotent-Replayed": "true",
                             "X-Request-Id": request_id})


STORAGE_ERRORS = (PynamoDBException, BotoCoreError, ClientError)


def _from_storage(exc: BaseException) -> bool:
    """True when a storage error is the exception or anywhere in its chain.

    Why the chain: code that inspects a storage error can itself fail on it (reading
    `cause_response_code` of a lost answer raises AttributeError inside the
    `except`), and the request then failed because DynamoDB did: a retryable 503,
    never a 500."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, STORAGE_ERRORS):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _storage_unavailable(spec: RouteSpec, request_id: str) -> Response:
    log.exception("storage error on %s %s", spec.method, spec.path)
    return problem_response(errors.ServiceUnavailable(
        "Storage is unavailable right now; retry with the same Idempotency-Key"), request_id)


REQUEST_SECONDS = 20.0
"""How long a request may keep retrying storage before it answers 503: API Gateway
gives up at 29 s (and so does the function, `lambda_timeout`), and the last attempt
and the idempotency record still need time after the deadline."""


def _dispatch(spec: RouteSpec, view: Callable[..., Reply], request: Any,
              path_params: dict[str, str], request_id: str) -> Response:
    """The answer, with the caller's RateLimit fields when its limits were counted
    (a refusal carries its own, with Retry-After)."""
    rate: list[ratelimit.Decision] = []
    response = _answer(spec, view, request, path_params, request_id, rate)
    if rate:
        response.headers.update(ratelimit.headers(rate))
    return response


def _check_scope(spec: RouteSpec, principal: Any) -> None:
    if isinstance(principal, auth.PartnerPrincipal) and spec.scopes and not any(
            s in principal.scopes for s in spec.scopes):
        raise errors.InsufficientScope(
            f"This operation needs the scope {' or '.join(spec.scopes)}")


def _admit(principal: Any, rate: list[ratelimit.Decision]) -> None:
    """Count the request against the caller's limits (API key; player and campaign
    for a player token), or raise 429 `rate_limited`."""
    if isinstance(principal, auth.PartnerPrincipal):
        decision = ratelimit.admit(principal.key_id, principal.rate_limit)
        if decision is not None:
            rate.append(decision)
    elif isinstance(principal, auth.PlayerPrincipal):
        rate.extend(ratelimit.admit_player(principal.campaign_id, principal.player_id))


def _answer(spec: RouteSpec, view: Callable[..., Reply], request: Any,
            path_params: dict[str, str], request_id: str,
            rate: list[ratelimit.Decision]) -> Response:
    claim = None
    try:
        headers = _lower(request.headers)
        principal = _authenticate(spec, headers, path_params)
        _admit(principal, rate)  # before the scope: a 403 is an answer to the key too
        _check_scope(spec, principal)
        if 404 not in spec.pages:  # a route answering its own 404 page checks its values
            check_path_values(path_params)
        raw, content_type = (b"", "") if spec.method in ("GET", "DELETE") else \
            _read_body(spec, request, headers)
        req = Req(spec=spec, principal=principal, raw_body=raw, content_type=content_type,
                  query_params=dict(request.query_params or {}), headers=headers,
                  address=((request.context or {}).get("identity") or {}).get("sourceIp"),
                  stage=(request.context or {}).get("stage"))
        if spec.idempotent is True or (spec.idempotent and "idempotency-key" in headers):
            claim = idempotency.claim(headers.get("idempotency-key"),
                                      _idempotency_scope(principal), spec.method,
                                      request.context.get("resourcePath", spec.path),
                                      path_params, raw, content_type, req.now)
            req.idem = claim
        if spec.body is not None and content_type in ("", "application/json"):
            req.body = decode_json(raw, spec.body, spec.rules)
        return _reply_response(view(req, **path_params), request_id)
    except idempotency.Replay as replay:
        return _replay_response(replay, request_id)
    except errors.DomainError as exc:
        if claim is not None and exc.remember:
            try:
                idempotency.remember(claim, exc.status, encode(exc.problem()).decode(),
                                     {"Content-Type": PROBLEM, **exc.headers})
            except idempotency.Replay as replay:
                return _replay_response(replay, request_id)
            except errors.DomainError as other:
                return problem_response(other, request_id)
            except Exception as failure:  # noqa: BLE001 - never a stack trace
                # the answer could not be kept for retries: don't give it as final
                return _unexpected(failure, spec, request_id)
        return problem_response(exc, request_id)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a stack trace
        return _unexpected(exc, spec, request_id)


def _idempotency_scope(principal: object) -> idempotency.Scope:
    """A player's records are keyed by the key their campaign keeps them under (a keyed
    hash since issue 21): the campaign's terms are cached, so this reads nothing warm."""
    if isinstance(principal, auth.PlayerPrincipal):
        terms = campaigns.terms(principal.partner_id, principal.campaign_id)
        player = campaigns.player_key_of(terms, principal.player_id).split("#", 1)[1]
        return auth.idempotency_scope(principal, player, hashed=terms.player_kid is not None)
    return auth.idempotency_scope(principal)


def _unexpected(exc: BaseException, spec: RouteSpec, request_id: str) -> Response:
    """A storage failure is a retryable 503; anything else is a logged 500."""
    if _from_storage(exc):
        return _storage_unavailable(spec, request_id)
    log.exception("unhandled error on %s %s", spec.method, spec.path)
    return problem_response(errors.InternalError(
        f"Something went wrong on our side (request {request_id})"), request_id)


def route(app: Chalice | Blueprint, path: str, method: str = "GET", *, summary: str,
          auth: str | None = "partner", scopes: tuple[str, ...] = (), body: Any = None,
          response: Any = None, status: int = 200, idempotent: bool | str = False,
          query: tuple[Param, ...] = (), errors: RouteErrors = (),
          other_success: tuple[tuple[int, str], ...] = (), tag: str = "",
          content_types: tuple[str, ...] = ("application/json",),
          produces: str = "application/json", cors: bool = False,
          max_body: int | None = None,
          rules: Callable[[Any], list[dict]] | None = None,
          pages: tuple[int, ...] = ()) -> Callable:
    """Register a view with its contract; the contract is also the OpenAPI entry."""

    def decorator(view: Callable[..., Reply]) -> Callable[..., Reply]:
        spec = RouteSpec(path=path, method=method, name=view.__name__, summary=summary,
                         auth=auth, scopes=scopes, body=body, response=response,
                         status=status, idempotent=idempotent, query=query, errors=errors,
                         other_success=other_success, tag=tag, content_types=content_types,
                         produces=produces, cors=cors, max_body=max_body, rules=rules,
                         pages=pages)
        ROUTES.append(spec)

        @functools.wraps(view)
        def handler(**path_params: str) -> Response:
            request = getattr(_current, "request", None) or app.current_request
            context = getattr(request, "lambda_context", None)
            request_id = getattr(context, "aws_request_id", None) or uuid.uuid4().hex
            # the gateway and the local server differ on decoding path values; none of
            # ours holds a '%', so decoding here gives both the same (a code typed with
            # spaces arrives as "7KQ2%20M9XD...")
            decoded = {name: unquote(value) for name, value in path_params.items()}
            with retry.request_deadline(REQUEST_SECONDS):
                return _dispatch(spec, view, request, decoded, request_id)

        app.route(path, methods=[method], content_types=["*/*"],
                  cors=CORS if cors else None)(handler)
        return view

    return decorator


def install(app: Chalice) -> None:
    """Rewrite the answers Chalice gives by itself (405, 415, 500) as problem+json,
    and give every answer its security headers (`secure`)."""

    @app.middleware("http")
    def problem_everywhere(event: Any, get_response: Callable) -> Response:
        _current.request = event
        try:
            response = get_response(event)
        finally:
            _current.request = None
        body = response.body
        if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
            mapped = {405: errors.MethodNotAllowed, 415: errors.UnsupportedMediaType,
                      400: errors.BadRequest}.get(response.status_code, errors.InternalError)
            kept = {k: v for k, v in response.headers.items() if k.lower() == "allow"}
            problem = mapped(str(body.get("Message", "")) or None, headers=kept)
            response = problem_response(problem)
        return secure(response)
