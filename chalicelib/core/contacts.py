"""Recipients' contacts in one canonical form, so that a lookup by phone or email
finds every gift of that person however the partner typed it.

Why canonical: erasure and retention find a person's gifts by a keyed hash of the
contact (`vault.keyed_hash`), and a hash only matches the very same text. A partner
may send `+84 901 234 567`, `0901234567` or `84901234567` for one Vietnamese number,
`Lan@Example.com` and `lan@example.com` for one mailbox.

Rules (pure, no I/O):
- phone: separators (spaces, dots, hyphens, brackets) dropped; a leading `+` or `00`
  introduces the country code; a single leading `0` is a Vietnamese national number
  (the platform's home market) and becomes `84`; the result is the digits only.
- email: trimmed and lower-cased as a whole (mail providers treat the local part
  without case; a false match would only widen an erasure, never narrow it).
"""

from __future__ import annotations

import re

HOME_COUNTRY_CODE = "84"
_SEPARATORS = re.compile(r"[\s.\-()]")


def phone(raw: str) -> str:
    cleaned = _SEPARATORS.sub("", raw.strip())
    if cleaned.startswith("+"):
        return cleaned[1:]
    if cleaned.startswith("00"):
        return cleaned[2:]
    if cleaned.startswith("0"):
        return HOME_COUNTRY_CODE + cleaned[1:]
    return cleaned


def email(raw: str) -> str:
    return raw.strip().lower()


def normalise(kind: str, raw: str) -> str:
    """`kind` is `phone` or `email`."""
    return phone(raw) if kind == "phone" else email(raw)


def mask(value: str) -> str:
    """A contact fit for a list or a log: a phone keeps its last 3 digits, an email
    its first letter and its domain (`l***@example.com`)."""
    if "@" in value:
        local, _, domain = value.rpartition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    return "*" * max(0, len(value) - 3) + value[-3:] if len(value) > 3 else "***"
