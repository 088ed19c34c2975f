"""Every problem `type` URI resolves: `GET /v1/problems/{code}` explains one problem,
as an HTML page made from the error class itself (core/errors.py) and the routes
that declare it (edge/contract.py), so a page exists for every code a client can
meet and says no more than the code does.

Why relative type URIs (`/v1/problems/<code>`): the API does not know the host it is
served under when it builds a problem (and an idempotent replay keeps the body it
first gave); RFC 9457 resolves a relative `type` against the answer's URI, which
lands on this route on every host."""

from __future__ import annotations

import html
import inspect
from functools import lru_cache

from chalicelib.core import errors
from chalicelib.edge.contract import ROUTES, When

# What a client should do, by status, for the codes every route may answer.
_ADVICE = {
    400: "The request itself is malformed: fix it before sending it again.",
    401: "Send `Authorization: Bearer <credential>` with a valid, unrevoked credential.",
    403: "The credential is valid but may not do this: use a key with the scope named "
         "in `detail`.",
    404: "Nothing by that id is visible to this caller (an unknown id and another "
         "partner's look the same).",
    405: "The path exists, with other methods: the `Allow` header lists them.",
    406: "Ask for a representation the operation produces.",
    409: "The request conflicts with the resource's current state: read it again, then "
         "decide. Retrying the same request gives the same answer.",
    413: "The body is larger than the operation accepts.",
    415: "Send the body with a `Content-Type` the operation accepts.",
    422: "The request is well formed but not acceptable: `detail` (and `errors[]` for "
         "validation) say which field and why. Fix it; a retry as is fails the same way.",
    429: "Too many requests: wait `Retry-After` seconds, then send the same request "
         "again (the same `Idempotency-Key` for a POST). `RateLimit` tells a client "
         "before it gets here.",
    500: "Our fault, logged with the request id in `detail`; retrying with the same "
         "`Idempotency-Key` is safe.",
    503: "A dependency is busy or down: retry after `Retry-After` with the same "
         "`Idempotency-Key`; nothing was done twice.",
}
_EVERYWHERE = {"bad_request", "invalid_json", "unauthorized", "insufficient_scope",
               "not_found", "method_not_allowed", "payload_too_large",
               "unsupported_media_type", "validation_error", "service_unavailable",
               "internal_error", "rate_limited", "invalid_cursor",
               "idempotency_key_required", "invalid_idempotency_key"}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, type[errors.DomainError]]:
    """Every problem code and the class that raises it (subclasses first, so
    `bad_request` names BadRequest rather than the base class)."""
    found: dict[str, type[errors.DomainError]] = {}
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, errors.DomainError) and cls is not errors.DomainError:
            found.setdefault(cls.code, cls)
    found.setdefault(errors.DomainError.code, errors.DomainError)
    return dict(sorted(found.items()))


def type_uri(code: str) -> str:
    return errors.PROBLEM_TYPE.format(code=code)


def _where(cls: type[errors.DomainError]) -> list[tuple[str, str]]:
    """The operations that declare this problem, with their note on when."""
    out = []
    for spec in ROUTES:
        for entry in spec.errors:
            error, note = (entry.error, entry.note) if isinstance(entry, When) else (entry, "")
            if error.code == cls.code:
                out.append((f"{spec.method} {spec.path}", note))
    return out


def _md(text: str) -> str:
    """`code` spans of our own texts as <code>; everything else escaped."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}docs/docs.css"></head>
<body><header class="rewards-docs-header"><strong>Rewards API</strong>
<a href="{up}docs">reference</a><a href="{up}problems">problem types</a></header>
<main class="problem">{body}</main></body></html>
"""


def page(code: str) -> str:
    """The explanation of one problem code, or 404 `not_found`."""
    cls = catalogue().get(code)
    if cls is None:
        raise errors.NotFound(f"No problem type {code[:64]!r}")
    own = inspect.cleandoc(cls.__dict__.get("__doc__") or "")
    where = _where(cls)
    rows = "".join(f"<tr><td><code>{html.escape(op)}</code></td><td>{_md(note)}</td></tr>"
                   for op, note in where)
    body = (f"<h1>{html.escape(cls.title)}</h1>"
            f"<p><code>{html.escape(cls.code)}</code> &middot; HTTP {cls.status}</p>"
            + (f"<p>{_md(own)}</p>" if own else "")
            + f"<h2>What to do</h2><p>{_md(_ADVICE.get(cls.status, ''))}</p>"
            + ("<p>Any operation can answer it.</p>" if cls.code in _EVERYWHERE else "")
            + (f"<h2>Where</h2><table><tr><th>operation</th><th>when</th></tr>{rows}</table>"
               if rows else "")
            + "<h2>The answer</h2><pre>"
            + html.escape('{"type": "' + type_uri(cls.code) + '", "title": "' + cls.title
                          + '", "status": ' + str(cls.status) + ', "detail": "…", "code": "'
                          + cls.code + '"}')
            + "</pre><p>Content-Type <code>application/problem+json</code> (RFC 9457). "
              "Switch on <code>code</code>: it is stable; <code>title</code> and "
              "<code>detail</code> are for people.</p>")
    return _PAGE.format(title=html.escape(f"{cls.code}: {cls.title}"), up="../", body=body)


def index() -> str:
    """Every problem code, linked to its page."""
    rows = "".join(
        f'<tr><td><a href="problems/{html.escape(code)}"><code>{html.escape(code)}</code></a>'
        f"</td><td>{cls.status}</td><td>{html.escape(cls.title)}</td></tr>"
        for code, cls in catalogue().items())
    body = ("<h1>Problem types</h1><p>Every error is an RFC 9457 problem whose "
            "<code>type</code> is one of these pages.</p>"
            f"<table><tr><th>code</th><th>status</th><th>title</th></tr>{rows}</table>")
    return _PAGE.format(title="Problem types", up="", body=body)
