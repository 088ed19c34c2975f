"""The only door out to the internet: a URL a partner chose, checked, then called.

Why a module of its own: webhooks are the one feature that makes the service open
connections to addresses outsiders choose, which is how SSRF happens (a webhook
pointed at 169.254.169.254 would read the Lambda's credentials). Everything that
decides whether and how such a connection is made lives here, small enough to
review whole.

A URL is checked when it is set and again before every delivery (DNS can change):
every address its host resolves to must be public (locally loopback is allowed
too); the connection goes to an address that was checked, never to a new
resolution, and redirects are not followed.
"""

from __future__ import annotations

import email.utils
import http.client
import io
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.core.config import settings

MAX_URL = schemas.MAX_WEBHOOK_URL

# Cloud metadata services (most are link-local or private already; named so a
# rule change cannot let one through): AWS/GCP/Azure, ECS, AWS IPv6, Alibaba, Oracle.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.123", "fd00:ec2::254",
    "100.100.100.200", "192.0.0.192"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_v4(ip: IP) -> IP:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4), if any."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def address_refusal(ip: IP, allow_loopback: bool) -> str | None:
    """Why a delivery may not go to `ip` (None when it may)."""
    ip = _embedded_v4(ip)
    if ip in METADATA:
        return "a cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "not a unicast public address"
    if ip.is_private or not ip.is_global:
        return "a private address"
    return None


def deployed() -> bool:
    return settings().stage in ("dev", "prod")


Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Target(Struct, frozen=True):
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def check_url(url: str, *, strict: bool | None = None, resolve: Resolver | None = None
              ) -> Target:
    """The URL's target if a webhook may be sent there, else 422
    `webhook_url_not_allowed`. `strict` (deployed stages): https only and no
    loopback; link-local, metadata and private addresses are refused everywhere."""
    strict = deployed() if strict is None else strict

    def refuse(why: str) -> errors.DomainError:
        return errors.WebhookUrlNotAllowed(f"{why}: {url[:200]!r}")

    if len(url) > MAX_URL or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise refuse("Not a usable URL")
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise refuse("Not a usable URL") from exc
    if parts.scheme not in (("https",) if strict else ("https", "http")):
        raise refuse("Webhook URLs must use https" if strict else "Use an http(s) URL")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise refuse("The URL needs a host and no credentials")
    try:
        found = (resolve or _resolve)(parts.hostname, port)
    except (OSError, UnicodeError) as exc:
        raise refuse(f"The host {parts.hostname!r} does not resolve") from exc
    if not found:
        raise refuse(f"The host {parts.hostname!r} does not resolve")
    for raw in found:
        try:
            ip = ipaddress.ip_address(raw.split("%")[0])
        except ValueError as exc:
            raise refuse("The host resolves to something that is not an address") from exc
        why = address_refusal(ip, allow_loopback=not strict)
        if why is not None:  # the class of address, never the address: no DNS oracle
            raise refuse(f"The host {parts.hostname!r} resolves to {why}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, tuple(found))


class Outcome(Struct):
    ok: bool
    code: int | None
    duration_ms: int
    error: str | None
    retry_after: float | None = None
    """Seconds the receiver asked us to wait (its `Retry-After`), if it said."""
    body: bytes = b""
    """The first MAX_RESPONSE bytes of the answer (an API's JSON verdict: Zalo's)."""


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A `Retry-After` value (RFC 9110: delay-seconds or an HTTP-date) as seconds
    from `now`; None when absent or not one of the two forms."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value[:12]))
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if at.tzinfo is None:
        return None
    return max(0.0, at.timestamp() - now)


TIMEOUT = "timeout"
"""The error of an attempt cut at its deadline (it has no response code)."""
MAX_RESPONSE = 65536
"""What is read of a receiver's answer body: enough to end the exchange, no more."""


class _DeadlineReader(io.RawIOBase):
    """A socket read through its remaining time to one deadline. http.client reads a
    response with one `recv` per buffer, and a socket timeout bounds each of them:
    a receiver that sends its status line one byte a second never trips it. Here
    every read gets only what is left of the attempt's deadline, then fails."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline reached while reading the response")
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)


class _ResponseSource:
    """What http.client.HTTPResponse reads from: the deadline-bound reader."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.sock, self.deadline))


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline reached")
    return left


def post(target: Target, headers: dict[str, str], body: bytes, timeout: float) -> Outcome:
    """One POST to an address the check passed (no new resolution, no redirects),
    within ONE wall-clock deadline of `timeout` seconds for everything: connecting
    (both addresses, if the first fails), TLS, sending, and the whole answer (status
    line, headers and up to MAX_RESPONSE of body). An attempt cut at the deadline is
    a failure with no response code and the error `timeout`, however far the
    receiver had got."""
    started = time.monotonic()
    deadline = started + timeout
    error = None
    for address in target.addresses[:2]:
        sock: socket.socket | None = None
        try:
            sock = socket.create_connection((address, target.port), timeout=_left(deadline))
            if target.scheme == "https":
                sock.settimeout(_left(deadline))  # the handshake as a whole
                sock = ssl.create_default_context().wrap_socket(
                    sock, server_hostname=target.host)
            conn = http.client.HTTPConnection(target.host, target.port)
            conn.sock = sock
            sock.settimeout(_left(deadline))  # sendall: the timeout bounds the whole send
            conn.request("POST", target.path, body=body, headers=headers)
            response = http.client.HTTPResponse(
                _ResponseSource(sock, deadline), method="POST")  # type: ignore[arg-type]
            response.begin()
            answer = response.read(MAX_RESPONSE)
            ms = int((time.monotonic() - started) * 1000)
            return Outcome(200 <= response.status < 300, response.status, ms, None,
                           retry_after_seconds(response.getheader("Retry-After"),
                                               time.time()), answer)
        except (OSError, http.client.HTTPException) as exc:
            late = time.monotonic() >= deadline
            error = TIMEOUT if late or isinstance(exc, TimeoutError | socket.timeout) else \
                f"{type(exc).__name__}: {exc}"[:200]
            if late:
                break
        finally:
            if sock is not None:
                sock.close()
    return Outcome(False, None, int((time.monotonic() - started) * 1000), error)
