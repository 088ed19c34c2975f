"""The HTTP edge: route registration, auth wiring, body decoding and validation,
pagination cursors, the idempotent-route wrapper and problem+json responses.

Why a wrapper around Chalice's `route`: Chalice turns unexpected exceptions into
its own `{"Code", "Message"}` body and rejects content types before our code
runs; partners need one error format (RFC 9457) on every path, so every view
goes through `_dispatch`, and a middleware rewrites the few answers Chalice
produces by itself (405, 415).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import msgspec
from botocore.exceptions import BotoCoreError, ClientError
from chalice import Blueprint, Chalice, CORSConfig, Response
from pynamodb.exceptions import PynamoDBException

from chalicelib import schemas
from chalicelib.access import auth, ratelimit
from chalicelib.core import errors, ids
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.schemas import encode
from chalicelib.store import idempotency, retry

log = logging.getLogger("rewards")

JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json"
CORS = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type",
                                                   "Idempotency-Key"],
                  expose_headers=["Idempotent-Replayed", "Retry-After", "X-Request-Id"],
                  max_age=600)


@dataclass
class Param:
    name: str
    description: str
    schema: dict[str, Any]
    required: bool = False


@dataclass(frozen=True)
class When:
    """An error a route answers with, and a note on when: the OpenAPI entry
    shows the note beside the error's code, where the bare class would not say
    which of the route's inputs or states leads there."""
    error: type[errors.DomainError]
    note: str


# What a route lists beyond the errors every route shares (see openapi._COMMON_ERRORS).
RouteErrors = tuple[type[errors.DomainError] | When, ...]


@dataclass
class RouteSpec:
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


ROUTES: list[RouteSpec] = []

# Chalice keeps the request on the app object, shared by every thread of a local
# server (or a threaded test); the middleware hands each thread its own.
_current = threading.local()


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON


@dataclass
class Req:
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


# ---------------------------------------------------------------- decoding


_AT = re.compile(r"^(?P<msg>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.S)


def _field_from(exc: msgspec.ValidationError, prefix: str = "") -> dict[str, str]:
    match = _AT.match(str(exc))
    message = schemas.readable(match.group("msg") if match else str(exc))
    path = (match.group("path") or "") if match else ""
    path = path[1:] if path.startswith(".") else path
    if match and match.group("key"):
        message = f"a key {message}"
    named = re.match(r"Object (missing required|contains unknown) field `([^`]+)`", message)
    if named:
        path = f"{path}.{named.group(2)}" if path else named.group(2)
        message = "is required" if named.group(1) == "missing required" else "is not a known field"
    if prefix:
        path = f"{prefix}{path}" if path.startswith("[") else (
            f"{prefix}.{path}" if path else prefix)
    return {"field": path, "message": message}


def _name_the_entry(error: dict[str, str], value: Any, kind: Any) -> dict[str, str]:
    """msgspec reports a bad map value as `metadata[...]`; name its key
    (`metadata.note`), so a partner knows which entry to fix."""
    if "[...]" not in error["field"] or not isinstance(value, dict):
        return error
    for key, entry in value.items():
        try:
            msgspec.convert({key: entry}, kind)
        except msgspec.ValidationError:
            return {**error, "field": error["field"].replace("[...]", f".{key}", 1)}
    return error


def _collect_errors(data: Any, target: Any, first: msgspec.ValidationError) -> list[dict]:
    """msgspec stops at the first error; partners want all of them at once."""
    if not isinstance(data, dict) or not isinstance(target, type) or \
            not issubclass(target, msgspec.Struct):
        return [_field_from(first)]
    found: list[dict] = []
    known = set()
    for f in msgspec.structs.fields(target):
        known.add(f.encode_name)
        if f.encode_name in data:
            try:
                msgspec.convert(data[f.encode_name], f.type)
            except msgspec.ValidationError as exc:
                found.append(_name_the_entry(_field_from(exc, f.encode_name),
                                             data[f.encode_name], f.type))
        elif f.required:
            found.append({"field": f.encode_name, "message": "is required"})
    found += [{"field": k, "message": "is not a known field"} for k in data if k not in known]
    return found or [_field_from(first)]


def decode_json(raw: bytes, target: Any,
                rules: Callable[[Any], list[dict]] | None = None) -> Any:
    """Decode and validate in one pass. On failure report every field at once: the
    type errors and, from `rules` (the domain's own checks), the rule errors of
    the fields whose types are right, so a partner fixes a body in one round trip."""
    if not raw.strip():
        raw = b"{}"
    try:
        raw.decode("utf-8")  # msgspec raises UnicodeDecodeError, not DecodeError, on bad bytes
    except UnicodeDecodeError as exc:
        raise errors.InvalidJson(f"The body is not valid UTF-8 ({exc.reason} at byte "
                                 f"{exc.start})") from exc
    try:
        body = msgspec.json.decode(raw, type=target)
    except msgspec.ValidationError as exc:
        try:
            data = msgspec.json.decode(raw)
        except (msgspec.DecodeError, RecursionError):  # e.g. 1e400: no plain value either
            raise errors.ValidationError([_field_from(exc)]) from exc
        found = _collect_errors(data, target, exc)
        if rules is not None and isinstance(data, dict):
            bad = {e["field"].split(".")[0].split("[")[0] for e in found}
            found += [e for e in _safe_rules(rules, data)
                      if e["field"].split(".")[0].split("[")[0] not in bad]
        raise errors.ValidationError(found) from exc
    except msgspec.DecodeError as exc:
        raise errors.InvalidJson(f"The body is not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise errors.InvalidJson("The body is nested too deeply") from exc
    return body  # a well-typed body meets its rules in the domain function


def _safe_rules(rules: Callable[[Any], list[dict]], data: dict) -> list[dict]:
    """Rules are written for well-typed bodies; on a body with type errors they
    report what they can and never fail the request."""
    try:
        return rules(data)
    except Exception:  # noqa: BLE001 - best effort beside the type errors already found
        return []


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


def moves_money(spec: RouteSpec) -> bool:
    """The routes that require an Idempotency-Key are exactly those that move money or
    change a gift (API.md: issuance, batches, spins, redemptions, voids, top-ups, and
    holds, captures and reversals): a revoked key must stop them within seconds."""
    return spec.method == "POST" and spec.idempotent is True


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
        principal = auth.authenticate_api_key(token, moves_money(spec))
        if spec.scopes and not any(s in principal.scopes for s in spec.scopes):
            raise errors.InsufficientScope(
                f"This operation needs the scope {' or '.join(spec.scopes)}")
        return principal
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
    claim = None
    try:
        headers = _lower(request.headers)
        principal = _authenticate(spec, headers, path_params)
        check_path_values(path_params)
        if isinstance(principal, auth.PartnerPrincipal):
            ratelimit.admit(principal.key_id, principal.rate_limit)
        raw, content_type = (b"", "") if spec.method in ("GET", "DELETE") else \
            _read_body(spec, request, headers)
        req = Req(spec=spec, principal=principal, raw_body=raw, content_type=content_type,
                  query_params=dict(request.query_params or {}), headers=headers)
        if spec.idempotent is True or (spec.idempotent and "idempotency-key" in headers):
            claim = idempotency.claim(headers.get("idempotency-key"),
                                      auth.idempotency_scope(principal), spec.method,
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
          rules: Callable[[Any], list[dict]] | None = None) -> Callable:
    """Register a view with its contract; the contract is also the OpenAPI entry."""

    def decorator(view: Callable[..., Reply]) -> Callable[..., Reply]:
        spec = RouteSpec(path=path, method=method, name=view.__name__, summary=summary,
                         auth=auth, scopes=scopes, body=body, response=response,
                         status=status, idempotent=idempotent, query=query, errors=errors,
                         other_success=other_success, tag=tag, content_types=content_types,
                         produces=produces, cors=cors, max_body=max_body, rules=rules)
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


# Security headers every answer carries (see `secure`).
NO_STORE = "no-store"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def secure(response: Response) -> Response:
    """The headers every answer gets, in one place, whatever produced it.

    - `X-Content-Type-Options: nosniff`: a browser never runs a JSON or CSV body
      (which can echo partner text) as a script or a page.
    - `Cache-Control: no-store` unless the route chose its own (only public, static
      answers do): API keys, codes, player tokens and their idempotent replays must
      never sit in a proxy's or browser's cache.
    - `Content-Security-Policy`: an API answer may not load or frame anything; an
      HTML page without its own policy gets a page policy that runs nothing and
      cannot be framed. Pages with scripts (the widget demo) send their own.
    """
    headers = response.headers
    present = {k.lower() for k in headers}
    if "x-content-type-options" not in present:
        headers["X-Content-Type-Options"] = "nosniff"
    if "cache-control" not in present:
        headers["Cache-Control"] = NO_STORE
    if "content-security-policy" not in present:
        content_type = next((str(v) for k, v in headers.items()
                             if k.lower() == "content-type"), "")
        headers["Content-Security-Policy"] = (
            PAGE_POLICY if content_type.startswith("text/html") else API_POLICY)
    return response


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
