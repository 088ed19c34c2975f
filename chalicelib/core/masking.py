"""What personal data and credentials look like where they must not be read whole:
lists and exports a key without `players:read` sees, and the local access log.

One module, so a list and an export cannot disagree on what a masked player id
looks like, and a log line is cleaned by one rule. Pure: stdlib and `codes` only.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from chalicelib.core import codes

# ------------------------------------------------------------------ players


def player_id(value: str) -> str:
    """`zal*******567`: enough to tell players apart in a support call, not enough
    to contact one (phone numbers and emails are common player ids). Six characters
    or fewer are hidden whole."""
    if len(value) <= 6:
        return "*" * len(value)
    keep = 3 if len(value) >= 10 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def client_seed(seed: str, player: str) -> str:
    """A draw's client seed (`<length>:<player id>:<seed>`) with the player id in it
    masked as `player_id` masks it."""
    return seed.replace(player, player_id(player)) if player else seed


# ------------------------------------------------------------------ log lines

SECRET_PARAMS = frozenset({"token", "access_token", "id_token", "key", "api_key", "apikey",
                           "code", "secret", "password", "admin_token", "authorization"})
"""Query parameters whose value is a credential or a code whatever it looks like."""

HIDDEN = "***"
_QUERY = re.compile(r"([?&])([^=&#\s]+)=([^&#\s]*)")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
_CREDENTIAL = re.compile(r"\b(rk|adm|whsec)_[A-Za-z0-9_\-]{8,}")
_SEGMENT = re.compile(r"(?<=/)[^/?#\s]+")
_GIFT_LINK = re.compile(r"(/g/)[^/?#\s]+")
"""A gift page's path: its token shows the gift's code to whoever holds it."""


def request_line(line: str) -> str:
    """A request line or path fit for a log: a gift code anywhere in the path
    masked to its last group (`/gifts/{code}` and any mistyped route alike), a gift
    page's token hidden (`/g/***`: the link shows the code), the
    value of a credential-named query parameter (`?token=`) hidden, and anything
    shaped like a JWT or one of our keys hidden wherever it appears."""
    line = codes.mask_in_path(line)
    line = _GIFT_LINK.sub(lambda m: m.group(1) + HIDDEN, line)
    line = _JWT.sub(HIDDEN, line)
    line = _CREDENTIAL.sub(lambda m: f"{m.group(1)}_{HIDDEN}", line)

    def query(m: re.Match[str]) -> str:
        name = unquote(m.group(2)).lower()
        return f"{m.group(1)}{m.group(2)}={HIDDEN}" if name in SECRET_PARAMS \
            else m.group(0)

    line = _QUERY.sub(query, line)
    return _SEGMENT.sub(lambda m: codes.mask(segment) if codes.resembles(
        segment := unquote(m.group(0))) else m.group(0), line)
