"""Codes at rest: a keyed hash to find a gift by its code, AES-GCM to show it again.

Why: a table dump, a backup export or a careless scan must yield no redeemable
code. So no item holds a code in any form a reader could redeem:
- a gift is keyed by `code_hash`, an HMAC-SHA256 of the canonical code under a
  lookup key that lives outside DynamoDB: a lookup by code stays one GetItem, and
  the hash cannot be turned back into a code without that key;
- where a code must be shown again (the gift lists, a player's won gifts,
  idempotent replays), it is sealed with AES-GCM under a data key, bound to its
  item by the associated data (a ciphertext copied onto another item fails to open);
  idempotency records, billed by the byte, keep a compact form of the same seal
  (`seal_compact`: deflated first, raw bytes rather than base64 text).

Key material: lookup keys and data keys are versioned (`kid:secret`, the first is
current). Locally they come from the environment (`make run` generates and keeps
them in `.local/secrets.json`); deployed, the lookup keys come from the stage's SSM
SecureString and the data keys are stored there wrapped by the stage's KMS key
and unwrapped once per Lambda. Every stored value names the key it was made with,
so keys rotate by putting a new one first: new writes use it, old items still open
(see README, "Keys and rotation").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import zlib
from typing import Any

from chalicelib.core import errors
from chalicelib.core.cache import Cache
from chalicelib.core.config import region, secrets

HASH_BYTES = 20  # 160 bits: collisions are out of reach, the key stays short


def _lookup_keys() -> list[tuple[str, bytes]]:
    keys = list(secrets().code_lookup_keys.items())
    if not keys:
        raise errors.ServiceUnavailable("Code lookup keys are not configured")
    return [(kid, secret.encode()) for kid, secret in keys]


def code_hashes(canonical: str) -> list[str]:
    """The gift keys a code may be stored under, current key first (a gift made
    before a lookup-key rotation is found under an older one)."""
    return [_hash(kid, key, canonical) for kid, key in _lookup_keys()]


def code_hash(canonical: str, kid: str | None = None) -> str:
    """The key a new gift is stored under: the current lookup key's hash, or that of
    key `kid` (a batch resumed after a rotation keeps the key it started with)."""
    keys = dict(_lookup_keys())
    kid = kid if kid in keys else current_lookup_kid()
    return _hash(kid, keys[kid], canonical)


def current_lookup_kid() -> str:
    return _lookup_keys()[0][0]


def _hash(kid: str, key: bytes, canonical: str, purpose: bytes = b"gift-code") -> str:
    digest = hmac.new(key, purpose + b"\x00" + canonical.encode(), hashlib.sha256).digest()
    return f"{kid}.{base64.b32encode(digest[:HASH_BYTES]).decode().lower()}"


# ---------------------------------------------------------- personal data


def keyed_hash(purpose: str, text: str, kid: str | None = None) -> str:
    """A keyed hash of personal data (a recipient's contact, a player id) where a
    lookup needs one: the same text always gives the same value under one lookup key,
    and without the key the value says nothing. `purpose` separates the uses (a phone
    hash never equals an email's or a code's); callers put the partner in `text`, so
    one person's hashes differ between partners. `kid`: the lookup key a record was
    made under, instead of the current one; it must still be configured (a silent
    fallback would give the record another key)."""
    keys = dict(_lookup_keys())
    if kid is None:
        kid = current_lookup_kid()
    elif kid not in keys:
        raise errors.ServiceUnavailable(f"Lookup key {kid!r} is retired but still in use")
    return _hash(kid, keys[kid], text, purpose.encode())


def keyed_hashes(purpose: str, text: str) -> list[str]:
    """The values `keyed_hash` may have stored `text` under, current key first (a
    record made before a lookup-key rotation is found under an older one)."""
    return [_hash(kid, key, text, purpose.encode()) for kid, key in _lookup_keys()]


# -------------------------------------------------------------------- sealing


DATA_KEY_SETS = 4
"""Sets of data keys one Lambda keeps unwrapped, by the configuration they came from:
only the current set is used, and the bound keeps rotations from piling old ones up."""
_unwrapped: Cache[tuple, dict[str, bytes]] = Cache("vault.data_keys", DATA_KEY_SETS)
"""(plain keys, wrapped keys) as configured -> kid -> AES key."""


def _data_keys() -> dict[str, bytes]:
    s = secrets()
    source = (tuple(s.code_data_keys.items()), tuple(s.code_data_keys_wrapped.items()))
    keys = _unwrapped.get(source)
    if keys is None:
        keys = _unwrap(*source)
        _unwrapped.put(source, keys)
    return keys


def _unwrap(plain: tuple[tuple[str, str], ...],
            wrapped: tuple[tuple[str, str], ...]) -> dict[str, bytes]:
    """kid -> 32-byte AES key. Deployed keys are KMS-wrapped; unwrapping costs one
    KMS call per key per Lambda, on first use (and again only when the keys change)."""
    keys = {kid: base64.b64decode(raw) for kid, raw in plain}
    if wrapped:
        kms = kms_client()
        for kid, blob in wrapped:
            keys[kid] = unwrap(blob, kms)
    if not keys or any(len(k) != 32 for k in keys.values()):
        raise errors.ServiceUnavailable("Code data keys are missing or not 32 bytes")
    return keys


DATA_KEY_CONTEXT = {"purpose": "gift-codes"}
"""The KMS encryption context a data key is wrapped under: a ciphertext made for
another purpose does not unwrap here."""


def kms_client() -> Any:
    import boto3  # provided by the Lambda runtime; only needed when deployed

    return boto3.client("kms", region_name=region())


def unwrap(blob: str, kms: Any) -> bytes:
    """A data key from its base64 KMS ciphertext (one Decrypt call)."""
    answer = kms.decrypt(CiphertextBlob=base64.b64decode(blob),
                         EncryptionContext=DATA_KEY_CONTEXT)
    plain: bytes = answer["Plaintext"]
    return plain


def _current_data_key() -> tuple[str, bytes]:
    first = next(iter(secrets().code_data_keys_wrapped or secrets().code_data_keys), None)
    keys = _data_keys()
    kid = first if first in keys else next(iter(keys))
    return kid, keys[kid]


def seal(plaintext: str, bound_to: str) -> str:
    """`v1.<kid>.<base64url(nonce | ciphertext | tag)>`, bound to `bound_to`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # first seal only

    kid, key = _current_data_key()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), bound_to.encode())
    return f"v1.{kid}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def open_sealed(value: str, bound_to: str) -> str:
    from cryptography.exceptions import InvalidTag  # first open only: 4.5 MB of the zip
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        version, kid, body = value.split(".", 2)
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        key = _data_keys()[kid]
        if version != "v1":
            raise ValueError(version)
        return AESGCM(key).decrypt(raw[:12], raw[12:], bound_to.encode()).decode()
    except (ValueError, KeyError, InvalidTag) as exc:
        raise errors.ServiceUnavailable("A stored value could not be opened; its key may "
                                        "have been retired too early") from exc


COMPACT = 2
"""The first byte of a compact seal: raw deflate, then AES-GCM (a later format takes 3)."""
_DEFLATE_WBITS = -15  # raw deflate: no zlib header or checksum (GCM's tag checks it all)


def seal_compact(plaintext: str, bound_to: str) -> bytes:
    """`COMPACT | len(kid) | kid | nonce | ciphertext | tag`: the text deflated, then
    sealed, bound to `bound_to` and to this header. For values stored as DynamoDB
    Binary, where every byte is billed: deflate shrinks a JSON answer by a third or
    more, and raw bytes cost 3/4 of their base64. Deflating before sealing leaks only
    the length, to one who reads the table; what it could tell (the redundancy of an
    answer the caller was already given) is no secret worth a kilobyte."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # first seal only

    kid, key = _current_data_key()
    header = bytes([COMPACT, len(kid.encode())]) + kid.encode()
    squeeze = zlib.compressobj(9, zlib.DEFLATED, _DEFLATE_WBITS)
    packed = squeeze.compress(plaintext.encode()) + squeeze.flush()
    nonce = os.urandom(12)
    return header + nonce + AESGCM(key).encrypt(nonce, packed, header + bound_to.encode())


def open_compact(value: bytes, bound_to: str) -> str:
    from cryptography.exceptions import InvalidTag  # first open only: 4.5 MB of the zip
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        if len(value) < 2 or value[0] != COMPACT:
            raise ValueError("not a compact seal")
        end = 2 + value[1]
        header, kid = value[:end], value[2:end].decode()
        nonce, sealed = value[end:end + 12], value[end + 12:]
        packed = AESGCM(_data_keys()[kid]).decrypt(nonce, sealed, header + bound_to.encode())
        return zlib.decompress(packed, _DEFLATE_WBITS).decode()
    except (ValueError, KeyError, InvalidTag, zlib.error) as exc:
        raise errors.ServiceUnavailable("A stored value could not be opened; its key may "
                                        "have been retired too early") from exc


# ------------------------------------------------------------------ envelopes


def new_envelope(bound_to: str) -> tuple[bytes, str]:
    """A fresh 32-byte key for one large object (an export file) and that key sealed
    under the current data key, bound to `bound_to`: the object is encrypted with its
    own key (`seal_frame`), and only the small sealed key is kept beside its record,
    so the object opens only where the data keys are (the API), never from a copy."""
    key = os.urandom(32)
    return key, seal(base64.b64encode(key).decode(), bound_to)


def open_envelope(sealed: str, bound_to: str) -> bytes:
    return base64.b64decode(open_sealed(sealed, bound_to))


FRAME_HEADER = 4  # the sealed frame's length, big-endian
FRAME_OVERHEAD = FRAME_HEADER + 12 + 16  # length, nonce, GCM tag


def seal_frame(key: bytes, plaintext: bytes, bound_to: bytes) -> bytes:
    """`len | nonce | ciphertext | tag`: one piece of an object under its envelope key,
    bound to `bound_to` (the caller names the object and the frame's place in it, so
    frames cannot be moved, dropped or swapped between objects unnoticed)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # first seal only

    nonce = os.urandom(12)
    body = nonce + AESGCM(key).encrypt(nonce, plaintext, bound_to)
    return len(body).to_bytes(FRAME_HEADER, "big") + body


def frame_length(head: bytes) -> int:
    """The whole frame's size from its first FRAME_HEADER bytes."""
    return FRAME_HEADER + int.from_bytes(head[:FRAME_HEADER], "big")


def open_frame(key: bytes, frame: bytes, bound_to: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag  # first open only
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        body = frame[FRAME_HEADER:]
        return AESGCM(key).decrypt(body[:12], body[12:], bound_to)
    except (ValueError, InvalidTag) as exc:
        raise errors.ServiceUnavailable("A stored file could not be opened") from exc
