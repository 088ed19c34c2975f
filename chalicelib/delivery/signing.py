"""Webhook signatures and endpoint secrets.

Signature: `Rewards-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
one `v1=` per active secret (after a rotation the old one signs for 24 hours).
A secret must sign, so it is stored, but sealed: encrypted under a key derived
from the stage's signing key (SSM when deployed) before it reaches the table, and
never returned after the answer that created it."""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from chalicelib.core import vault
from chalicelib.core.clock import iso
from chalicelib.store.records import WebhookEndpointModel

ROTATION_OVERLAP = timedelta(hours=24)


# ------------------------------------------------------------------ signing (pure)


def signature(secrets: Iterable[str], timestamp: int, body: bytes) -> str:
    """The Rewards-Signature header: `t=<unix>` then one `v1=` per secret."""
    signed = f"{timestamp}.".encode() + body
    parts = [f"t={timestamp}"]
    parts += [f"v1={hmac.new(s.encode(), signed, hashlib.sha256).hexdigest()}" for s in secrets]
    return ",".join(parts)


def verify(header: str, body: bytes, secret: str, now: float, tolerance: float = 300) -> bool:
    """What a receiver does: a fresh timestamp and one v1 matching its secret."""
    fields = [p.partition("=") for p in header.split(",")]
    stamps = [v for k, _, v in fields if k.strip() == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{stamps[0]}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return any(k.strip() == "v1" and hmac.compare_digest(v.strip(), expected)
               for k, _, v in fields)


def new_secret() -> str:
    return "whsec_" + _secrets.token_urlsafe(32)


# ------------------------------------------------------------- secrets at rest

def seal(secret: str, endpoint_id: str) -> str:
    """AES-GCM under the stage's data key (vault), bound to its endpoint: a copy of
    the table alone does not give the secrets away."""
    return vault.seal(secret, f"webhook:{endpoint_id}")


def unseal(sealed: str, endpoint_id: str) -> str:
    return vault.open_sealed(sealed, f"webhook:{endpoint_id}")


def active_secrets(ep: WebhookEndpointModel, now: datetime) -> list[str]:
    at = iso(now)
    return [unseal(s["sealed"], ep.id) for s in ep.secrets
            if s.get("expires_at") is None or s["expires_at"] > at]
