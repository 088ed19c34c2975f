"""A partner's command-line client for the Rewards API (the standard library, and
the Standard Webhooks library for `webhook-listen`)."""

from __future__ import annotations

import os

__version__ = "0.1.0"

DEFAULT_API = "http://127.0.0.1:8000"


def default_api() -> str:
    """`REWARDS_API`, else `API` (the variable `make run`'s export line sets), else
    the local stack's default address."""
    return os.environ.get("REWARDS_API") or os.environ.get("API") or DEFAULT_API


def api_origin(url: str) -> str:
    """The API's base without `/v1`: takes `$API` as `make run` prints it
    (`http://127.0.0.1:8411/v1`) or a bare origin (`http://127.0.0.1:8411`), with or
    without a trailing slash. A stage prefix (`https://h/prod/v1`) is kept."""
    base = url.strip().rstrip("/")
    if base.endswith("/v1"):
        base = base[: -len("/v1")]
    return base


def is_refused(exc: BaseException) -> bool:
    """True when nothing listens at the address (or the name does not resolve): no
    retry can help, so the tools say so at once instead of backing off for a minute."""
    import socket

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError | socket.gaierror):
            return True
        reason = getattr(current, "reason", None)  # urllib.error.URLError wraps it
        current = reason if isinstance(reason, BaseException) else (
            current.__cause__ or current.__context__)
    return False
