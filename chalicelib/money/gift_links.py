"""A gift's link: the address of its hosted page, unguessable, never the code, revocable.

Why a signed token rather than a stored one: a stored token would cost the money path
an item (or an index) per issued gift. Here the token is computed from what the gift
already holds, so issuing is unchanged:

    token = base64url(FORMAT | len(kid) | kid | hash | link_v | mac)

- `kid`, `hash`: the gift's `code_hash` (the lookup key's id and its 20 raw bytes), so
  `find` is one GetItem. The hash is an HMAC of the code under a key that never leaves
  the service: it tells nothing of the code, and a token never contains it.
- `link_v`: the link's version, 4 bytes; the gift's optional `link_v` attribute
  (absent = 0). A rotation raises it (one conditional write): every earlier token then
  names a version the gift no longer has, and answers 404.
- `mac`: HMAC-SHA256 of the rest under a gift link key, truncated to 16 bytes (128
  bits: a forger's chance per try is 2^-128). It is checked, in constant time, before
  any read: a made-up token costs no database call.

Link keys (`GIFT_LINK_KEYS`, `kid:secret,…`) rotate as the other key lists do: the
first signs, all verify. Dropping a key revokes every link it signed (all pages of a
leaked key at once); partners then rotate the links they still need.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

from chalicelib.core import errors
from chalicelib.core.config import secrets, settings
from chalicelib.store.models import GiftModel

FORMAT = 1
MAC_BYTES = 16
VERSION_BYTES = 4
MAX_VERSION = 2**32 - 1
HASH_BYTES = 20  # vault.HASH_BYTES: the code hash's raw length
PURPOSE = b"gift-link\x00"
PATH = "/g/"
MAX_TOKEN = 120
"""Characters a token may have (a 32-character key id gives 94): anything longer is
refused before decoding."""
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{16,{MAX_TOKEN}}}")


class _Parts:
    __slots__ = ("code_hash", "version", "signed", "mac")

    def __init__(self, code_hash: str, version: int, signed: bytes, mac: bytes) -> None:
        self.code_hash, self.version, self.signed, self.mac = code_hash, version, signed, mac


def _keys() -> list[bytes]:
    keys = list(secrets().gift_link_keys.values())
    if not keys:
        raise errors.ServiceUnavailable("Gift link keys are not configured")
    return [k.encode() for k in keys]


def _mac(key: bytes, signed: bytes) -> bytes:
    return hmac.new(key, PURPOSE + signed, hashlib.sha256).digest()[:MAC_BYTES]


def version(g: GiftModel) -> int:
    return int(getattr(g, "link_v", None) or 0)


def token(g: GiftModel) -> str:
    """The gift's current token, signed with the current link key."""
    kid, _, b32 = g.code_hash.partition(".")
    raw = base64.b32decode(b32.upper())
    kid_bytes = kid.encode()
    signed = (bytes([FORMAT, len(kid_bytes)]) + kid_bytes + raw
              + version(g).to_bytes(VERSION_BYTES, "big"))
    packed = signed + _mac(_keys()[0], signed)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def url_for(g: GiftModel) -> str:
    """The gift page's absolute address (`GIFT_PAGE_BASE_URL` + `/g/<token>`)."""
    return settings().gift_page_base_url + PATH + token(g)


def _parse(text: str) -> _Parts | None:
    if not _TOKEN.fullmatch(text):
        return None
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(packed) < 2 or packed[0] != FORMAT:
        return None
    end = 2 + packed[1]
    if len(packed) != end + HASH_BYTES + VERSION_BYTES + MAC_BYTES:
        return None
    try:
        kid = packed[2:end].decode("ascii")
    except UnicodeDecodeError:
        return None
    raw = packed[end:end + HASH_BYTES]
    number = int.from_bytes(packed[end + HASH_BYTES:end + HASH_BYTES + VERSION_BYTES], "big")
    signed = packed[:-MAC_BYTES]
    code_hash = f"{kid}.{base64.b32encode(raw).decode().lower()}"
    return _Parts(code_hash, number, signed, packed[-MAC_BYTES:])


def verified(text: str) -> tuple[str, int] | None:
    """(code hash, link version) of a well-formed token signed by a link key; no read.
    Every configured key is tried, each compared in constant time."""
    parts = _parse(text)
    if parts is None:
        return None
    good = False
    for key in _keys():
        good |= hmac.compare_digest(_mac(key, parts.signed), parts.mac)
    return (parts.code_hash, parts.version) if good else None


def find(text: str) -> GiftModel:
    """The gift a token names, if the token is genuine and current; else NotFound
    (malformed, forged, rotated and missing alike: the page says nothing more)."""
    found = verified(text)
    if found is None:
        raise errors.NotFound("No gift page here")
    code_hash, number = found
    try:
        g = GiftModel.get(code_hash, consistent_read=True)  # a rotation counts at once
    except GiftModel.DoesNotExist:
        raise errors.NotFound("No gift page here") from None
    if version(g) != number:
        raise errors.NotFound("No gift page here")
    return g


def next_version(g: GiftModel) -> int:
    """The version a rotation gives: 2^32 rotations of one gift are not expected."""
    number = version(g) + 1
    if number > MAX_VERSION:
        raise errors.Conflict("This gift's link cannot be replaced again")
    return number
