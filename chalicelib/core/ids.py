"""Identifiers: every id's prefix and how a new one is drawn, in one place."""

from __future__ import annotations

import secrets

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"  # random ids here, derived ids in batches


def new_id(prefix: str, length: int = 22) -> str:
    """Opaque id with a readable prefix; ~113 bits, so ids are also unguessable."""
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(length))
