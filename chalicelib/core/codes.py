"""Gift code format: generation, forgiving parsing and local typo detection.

Gift codes are read aloud at shop tills and typed by customers, so the format
has three jobs:

* be unguessable: 15 payload symbols drawn uniformly from 31 symbols give
  about 74.3 bits, far beyond what online guessing can cover;
* be easy to read: the alphabet is Crockford base32 minus ``Z``, so the
  look-alikes O/I/L/U (and Z) never appear and are mapped back on input;
* catch typos locally: a 16th check symbol rejects every single-symbol
  substitution and every adjacent transposition before any database read.

Check symbol: give position ``i`` (0..15) the weight ``i + 1`` and pick the
last symbol so that ``sum((i + 1) * v_i) % 31 == 0``.  A substitution changes
the sum by ``w * d`` and an adjacent swap of ``a, b`` by ``(a - b)`` (adjacent
weights differ by 1); weights 1..16 and differences 1..30 are non-zero mod the
prime 31, so the product is never 0 mod 31 and the error is always detected.

This module is pure: stdlib only, no I/O.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from urllib.parse import unquote

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
BASE = len(ALPHABET)  # 31, prime: the check-symbol proof depends on it.
PAYLOAD_LENGTH = 15
CODE_LENGTH = PAYLOAD_LENGTH + 1
GROUP_SIZE = 4
ENTROPY_BITS: float = PAYLOAD_LENGTH * math.log2(BASE)

# Largest multiple of BASE that fits in a byte: bytes below it map to symbols
# without modulo bias; the rest are rejected.
_BYTE_LIMIT = (256 // BASE) * BASE  # 248
# Refuse absurdly long input before doing any work on it (it is user-supplied).
_MAX_RAW_LENGTH = 64

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOKALIKES = {"O": "0", "I": "1", "L": "1", "Z": "2", "U": "V"}
_SEPARATORS = "-_."
_CHECK_WEIGHT_INVERSE = pow(CODE_LENGTH, -1, BASE)


class InvalidCode(ValueError):
    """Raised when input cannot be a gift code; the message is safe to show."""


def _check_symbol(payload: str) -> str:
    """Pick the symbol that makes the weighted sum of the whole code 0 mod 31."""
    total = sum((i + 1) * _VALUES[s] for i, s in enumerate(payload))
    return ALPHABET[(-total * _CHECK_WEIGHT_INVERSE) % BASE]


def _clean(raw: str) -> str:
    """Undo what humans do to codes: case, separators, look-alike letters."""
    kept = (ch for ch in raw.upper() if not ch.isspace() and ch not in _SEPARATORS)
    return "".join(_LOOKALIKES.get(ch, ch) for ch in kept)


def format_code(canonical: str) -> str:
    """Group in fours so a code can be read aloud and compared at a glance."""
    return "-".join(
        canonical[i : i + GROUP_SIZE] for i in range(0, len(canonical), GROUP_SIZE)
    )


def generate() -> str:
    """Issue a fresh code from the OS CSPRNG so codes cannot be predicted."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return format_code(payload + _check_symbol(payload))


def generate_from_bytes(data: bytes) -> str:
    """Derive a code reproducibly (e.g. from an HMAC) for idempotent bulk issuance.

    Bytes >= 248 are rejected rather than reduced so every symbol stays equally
    likely; if ``data`` runs out, it is stretched with SHA-256(data || counter).
    """
    symbols: list[str] = []
    chunk, counter = bytes(data), 0
    while True:
        for byte in chunk:
            if byte < _BYTE_LIMIT:
                symbols.append(ALPHABET[byte % BASE])
                if len(symbols) == PAYLOAD_LENGTH:
                    payload = "".join(symbols)
                    return format_code(payload + _check_symbol(payload))
        chunk = hashlib.sha256(bytes(data) + counter.to_bytes(4, "big")).digest()
        counter += 1


def normalize(raw: str) -> str:
    """Accept what a customer actually types, or say precisely why it is wrong.

    Returns the 16-symbol canonical form (no hyphens) used for storage/lookup.
    """
    if len(raw) > _MAX_RAW_LENGTH:
        raise InvalidCode("That is too long to be a gift code.")
    code = _clean(raw)
    if len(code) != CODE_LENGTH:
        raise InvalidCode(
            f"A gift code has {CODE_LENGTH} characters; this one has {len(code)}."
        )
    bad = sorted({ch for ch in code if ch not in _VALUES})
    if bad:
        raise InvalidCode(f"A gift code cannot contain {', '.join(map(repr, bad))}.")
    if _check_symbol(code[:PAYLOAD_LENGTH]) != code[-1]:
        raise InvalidCode("That gift code has a typo; please check it and try again.")
    return code


def is_valid(raw: str) -> bool:
    """Let callers branch on validity without handling the exception."""
    try:
        normalize(raw)
    except InvalidCode:
        return False
    return True


def mask(code: str) -> str:
    """Hide a code in logs while keeping the last group for support look-ups.

    The last group holds 3 payload symbols + the check symbol, so ~59 bits stay
    hidden.  Never raises: anything that is not 16 alphabet symbols is fully
    masked, so arbitrary user input cannot leak or inject into logs.
    """
    cleaned = _clean(code)
    hidden = "*" * GROUP_SIZE
    plausible = len(cleaned) == CODE_LENGTH and all(ch in _VALUES for ch in cleaned)
    tail = cleaned[-GROUP_SIZE:] if plausible else hidden
    return "-".join([hidden] * (CODE_LENGTH // GROUP_SIZE - 1) + [tail])


def resembles(raw: str) -> bool:
    """Whether `raw` is, or nearly is, a gift code: 15 to 17 symbols of the alphabet
    once separators and look-alikes are undone, with a digit (words such as
    `webhook-endpoints` have none) or a valid check symbol. A code with one typo is
    still 15 symbols of a real one: what is masked must include it."""
    if len(raw) > _MAX_RAW_LENGTH:
        return False
    cleaned = _clean(raw)
    if not CODE_LENGTH - 1 <= len(cleaned) <= CODE_LENGTH + 1 or any(
            ch not in _VALUES for ch in cleaned):
        return False
    return any(ch.isdigit() for ch in raw) or is_valid(raw)


_CODE_IN_PATH = re.compile(r"(/gifts/)([^/?#\s]+)")


def mask_in_path(path: str) -> str:
    """A request path or line fit for a log: the code in /gifts/{code} masked."""
    return _CODE_IN_PATH.sub(lambda m: m.group(1) + mask(unquote(m.group(2))), path)
