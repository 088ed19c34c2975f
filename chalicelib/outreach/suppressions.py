"""Whom a partner may no longer write to: contacts that bounced, complained,
unsubscribed or replied STOP, or that the partner listed by hand. Every send checks
it (`channels.send`), so no caller can forget.

At rest a contact is only a keyed hash (`vault.keyed_hash`, purpose `suppression`,
per partner): a table dump shows no phone or email, and the list answers "is this
one suppressed?" but cannot be read back as a mailing list.

The unsubscribe link in every email is `/u/<token>`: the token names the partner
and the contact's hash, with a keyed MAC over both, so it carries no contact in clear
and cannot be forged for another address.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import datetime
from typing import get_args

from pynamodb.exceptions import PutError

from chalicelib import schemas
from chalicelib.core import contacts, errors, vault
from chalicelib.core.clock import iso, now
from chalicelib.core.config import settings
from chalicelib.store import keys, retry
from chalicelib.store.records import OutreachModel

PURPOSE = "suppression"
TOKEN_PURPOSE = "unsubscribe"
REASONS: tuple[str, ...] = get_args(schemas.SuppressionReason)
ALL_PARTNERS = "*"
"""The list of numbers that replied STOP to the platform's shared SMS number when the
message they answered is not known: no partner's SMS reaches them."""


def normalise(contact: str) -> str:
    """An email or a phone in the one form hashes are made of (`core.contacts`)."""
    return contacts.email(contact) if "@" in contact else contacts.phone(contact)


def _text(partner_id: str, contact: str) -> str:
    return f"{partner_id}\x00{normalise(contact)}"


def contact_hash(partner_id: str, contact: str) -> str:
    return vault.keyed_hash(PURPOSE, _text(partner_id, contact))


def _find(partner_id: str, hashes: list[str]) -> OutreachModel | None:
    for h in hashes:  # the current lookup key's first; more only after a rotation
        try:
            return OutreachModel.get(keys.suppression_key(partner_id, h), keys.ONE)
        except OutreachModel.DoesNotExist:
            continue
    return None


def find(partner_id: str, contact: str) -> OutreachModel | None:
    return _find(partner_id, vault.keyed_hashes(PURPOSE, _text(partner_id, contact)))


def is_suppressed(partner_id: str, contact: str) -> bool:
    """One GetItem on the contact's own key (two during a lookup-key rotation)."""
    return find(partner_id, contact) is not None


def suppressed_for(partner_id: str, channel: str, contact: str) -> bool:
    """What a send checks: the partner's list, and for SMS the platform's STOP list.
    One BatchGetItem of the contact's own keys (its hash under each lookup key, for
    each list), whatever the channel."""
    owners = (partner_id, ALL_PARTNERS) if channel == "sms" else (partner_id,)
    wanted = [(keys.suppression_key(owner, h), keys.ONE) for owner in owners
              for h in vault.keyed_hashes(PURPOSE, _text(owner, contact))]
    if len(wanted) == 1:
        return is_suppressed(partner_id, contact)
    return any(True for _ in OutreachModel.batch_get(wanted))


def add_hashed(partner_id: str, hashed: str, reason: str, at: datetime | None = None) -> bool:
    """Suppress the contact behind `hashed`; the first reason stays (a bounce is not
    rewritten as `manual`). True when it was added now."""
    if reason not in REASONS:
        raise ValueError(f"unknown suppression reason {reason!r}")
    try:
        OutreachModel(keys.suppression_key(partner_id, hashed), keys.ONE,
                      partner_id=partner_id, reason=reason,
                      created_at=iso(at or now())).save(
            condition=OutreachModel.pk.does_not_exist())
        return True
    except PutError as exc:
        if retry.condition_failed(exc):
            return False
        raise


def add(partner_id: str, contact: str, reason: str, at: datetime | None = None) -> bool:
    """Suppress `contact` for `partner_id`; True when it was not already."""
    if find(partner_id, contact) is not None:
        return False
    return add_hashed(partner_id, contact_hash(partner_id, contact), reason, at)


def remove(partner_id: str, contact: str) -> bool:
    """Lift it (the partner's DELETE): True when there was one."""
    found = find(partner_id, contact)
    if found is None:
        return False
    found.delete()
    return True


def get(partner_id: str, contact: str) -> schemas.Suppression:
    found = find(partner_id, contact)
    if found is None:
        raise errors.NotFound("This contact is not on the suppression list")
    return schemas.Suppression(contact=contacts.mask(normalise(contact)),
                               reason=found.reason,  # type: ignore[arg-type]
                               created_at=found.created_at or "")


# ----------------------------------------------------------------- unsubscribe


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unsubscribe_token(partner_id: str, contact: str) -> str:
    """`<base64url(partner \\0 contact hash)>.<keyed MAC>`: no contact in clear."""
    payload = f"{partner_id}\x00{contact_hash(partner_id, contact)}"
    return f"{_b64(payload.encode())}.{vault.keyed_hash(TOKEN_PURPOSE, payload)}"


def unsubscribe_url(partner_id: str, contact: str) -> str:
    return f"{settings().public_api_url}/u/{unsubscribe_token(partner_id, contact)}"


def read_token(token: str) -> tuple[str, str]:
    """(partner id, contact hash) of a token this service made, else 404 (a forged
    or altered token names nothing)."""
    head, _, mac = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode()
        partner_id, hashed = payload.split("\x00")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.NotFound("This unsubscribe link is not valid") from None
    if not partner_id or not hashed or not any(
            hmac.compare_digest(mac, expected)
            for expected in vault.keyed_hashes(TOKEN_PURPOSE, payload)):
        raise errors.NotFound("This unsubscribe link is not valid")
    return partner_id, hashed


def unsubscribe(token: str, at: datetime) -> str:
    """The contact behind `token` unsubscribed; returns the partner id."""
    partner_id, hashed = read_token(token)
    add_hashed(partner_id, hashed, "unsubscribe", at)
    return partner_id
