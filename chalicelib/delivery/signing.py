"""Webhook signatures and endpoint secrets.

Two signatures on every delivery, one per active secret in each (after a rotation
the old secret signs for 24 hours beside the new one):

- Standard Webhooks (standardwebhooks.com): `webhook-id` (the event id),
  `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64
  HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, space-separated. The key is the
  base64-decoded part of the `whsec_…` secret, decoded exactly as the spec's own
  libraries decode it (`standard_key`), so a receiver verifies with the library it
  already has (`standardwebhooks.Webhook(secret).verify(body, headers)`).
- Ours, kept for receivers built before: `Rewards-Signature: t=<unix>,v1=<hex
  HMAC-SHA256(secret, "<t>.<body>")>`, keyed by the whole secret string.

Secrets made since the Standard Webhooks headers are `whsec_` + standard base64
of 32 random bytes. Earlier ones are `whsec_` + URL-safe base64 (`-`, `_`, no
padding): the spec's libraries decode those leniently, dropping `-` and `_`, so
`standard_key` does the same and their signatures still verify with the library;
rotating gives a secret every library reads the same way.

A secret must sign, so it is stored, but sealed: encrypted under a key derived
from the stage's signing key (SSM when deployed) before it reaches the table, and
never returned after the answer that created it."""

from __future__ import annotations

import base64
import binascii
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


SECRET_PREFIX = "whsec_"


def standard_key(secret: str) -> bytes | None:
    """The HMAC key the Standard Webhooks libraries take from `secret`: the part
    after `whsec_`, base64-decoded leniently (characters outside the alphabet are
    dropped, missing padding is added), as their Python library does. None when it
    decodes to nothing usable (such a secret cannot sign a Standard signature)."""
    body = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(body + "==")
    except (binascii.Error, ValueError):
        return None
    return key or None


def standard_signature(secrets: Iterable[str], msg_id: str, timestamp: int, body: bytes
                       ) -> str:
    """The `webhook-signature` header: `v1,<base64>` per secret, space-separated."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    keys = [k for k in (standard_key(s) for s in secrets) if k is not None]
    return " ".join("v1," + base64.b64encode(hmac.new(k, signed, hashlib.sha256).digest())
                    .decode() for k in keys)


def standard_headers(secrets: list[str], msg_id: str, timestamp: int, body: bytes
                     ) -> dict[str, str]:
    """The three Standard Webhooks headers of one delivery attempt; none when no
    active secret is one the spec's libraries can read (an old one: rotate it)."""
    signed = standard_signature(secrets, msg_id, timestamp, body)
    if not signed:
        return {}
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signed}


def new_secret() -> str:
    """`whsec_` + standard base64 of 32 random bytes (a 256-bit HMAC key), the form
    the Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(32)).decode()


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
