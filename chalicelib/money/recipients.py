"""Recipients' personal data at rest: sealed, found by keyed hashes, dropped on
request and after retention.

Why: a dump of the gifts or batches table must show no phone number or email
(Vietnam's Law 91/2025/QH15 on Personal Data Protection, Decree 356/2025), and a
person may ask to have their contact deleted. So:
- a gift's contact (phone, email, name) is one value deflated and sealed with
  AES-GCM as raw bytes (`vault.seal_compact`), bound to the gift's key, in the gift
  item itself (`rc`): no extra item in the issue transaction, and the gift stays
  under 1 KB with a contact of up to about 500 bytes (docs/personal-data.md has the
  measures); gifts sealed before that hold the base64 seal (`rcp`), still read;
- beside it, keyed hashes of the normalised phone and email (`ph`, `em`; HMAC under
  the lookup key, with the partner in the input) feed two sparse, keys-only indexes,
  so erasure and retention find a person's gifts with a Query, never a scan;
- a batch's stored input rows are sealed as a whole chunk (`rows`);
- the partner's reference (`recipient.reference`, their own CRM id) is not a
  contact and stays readable in `reference`, as before.

Older items (`recipient` in clear on a gift, `items` on a chunk) still read; a
gift's next write (redeem, void) seals its contact (`migrate`).

Retention: a contact is shown until `contact_retention_days` (partner setting,
default 90) after its gift's expiry, and deleted then: the event consumer puts a
timer item per gift with a contact (`timer`), whose TTL deletion streams back and
drops the contact (`drop`). TTL deletes within a day or two of the instant, so
reads stop showing the contact at the instant itself (`recipient_of`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib import schemas
from chalicelib.core import contacts, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso, parse_iso
from chalicelib.store.models import GiftModel, PartnerModel
from chalicelib.store.records import BatchModel, RecipientRecordModel
from chalicelib.store.retry import condition_failed

CONTACT_FIELDS = ("phone", "email", "name")
_SHORT = {"phone": "p", "email": "e", "name": "n"}  # sealed JSON keys: bytes are billed
_PURPOSE = {"phone": "recipient-phone", "email": "recipient-email"}
DEFAULT_RETENTION_DAYS = schemas.DEFAULT_CONTACT_RETENTION_DAYS


# ------------------------------------------------------------------- hashing


def _hash_input(partner_id: str, kind: str, value: str) -> str:
    return f"{partner_id}\x00{contacts.normalise(kind, value)}"


def contact_hash(partner_id: str, kind: str, value: str) -> str:
    return vault.keyed_hash(_PURPOSE[kind], _hash_input(partner_id, kind, value))


def contact_hashes(partner_id: str, kind: str, value: str) -> list[str]:
    """Every value a gift of this partner with this contact may be indexed under."""
    return vault.keyed_hashes(_PURPOSE[kind], _hash_input(partner_id, kind, value))


# ------------------------------------------------------------------- sealing


def _bound(code_hash: str) -> str:
    return f"{code_hash}#recipient"


def contact_part(recipient: dict[str, Any] | None) -> dict[str, str]:
    return {k: recipient[k] for k in CONTACT_FIELDS if recipient and recipient.get(k)}


def seal_onto(g: GiftModel, recipient: dict[str, Any] | None) -> None:
    """Put a new gift's recipient on it: the contact sealed and hashed, the reference
    in clear. Called before the gift's first write."""
    g.reference = (recipient or {}).get("reference") or g.reference
    contact = contact_part(recipient)
    if not contact:
        return
    packed = {_SHORT[k]: v for k, v in contact.items()}
    g.rc = vault.seal_compact(json.dumps(packed, separators=(",", ":"), ensure_ascii=False),
                              _bound(g.code_hash))
    g.rcp = None
    g.ph = contact_hash(g.partner_id, "phone", contact["phone"]) if "phone" in contact \
        else None
    g.em = contact_hash(g.partner_id, "email", contact["email"]) if "email" in contact \
        else None


def sealed(g: GiftModel) -> bool:
    """Whether the gift holds its contact sealed (compact, or as first sealed)."""
    return bool(g.rc or g.rcp)


def has_contact(g: GiftModel) -> bool:
    """Whether the gift holds a contact at all, sealed or (older gifts) in clear."""
    return sealed(g) or bool(g.recipient)


def contact_of(g: GiftModel) -> dict[str, str]:
    """The gift's contact as stored (sealed, or in clear on an older gift)."""
    if g.rc or g.rcp:
        text = vault.open_compact(g.rc, _bound(g.code_hash)) if g.rc \
            else vault.open_sealed(g.rcp, _bound(g.code_hash))
        packed = json.loads(text)
        long = {v: k for k, v in _SHORT.items()}
        return {long[k]: v for k, v in packed.items() if k in long}
    return contact_part(g.recipient)


def recipient_of(g: GiftModel, now: datetime) -> dict[str, str] | None:
    """The recipient a gift's answer shows: its reference and, until the contact's
    retention ends, its contact. Only an expired gift needs the partner's setting."""
    out: dict[str, str] = {}
    reference = g.reference or (g.recipient or {}).get("reference")
    if reference:
        out["reference"] = reference
    if (sealed(g) or g.recipient) and not past_retention(g, now):
        out.update(contact_of(g))
    return out or None


def migrate(after: GiftModel) -> list[Action]:
    """The update actions that seal an older gift's clear recipient, added to its next
    write (no extra item, no extra call); `after` is changed to match."""
    if not after.recipient or sealed(after):
        return []
    clear = dict(after.recipient)
    after.recipient = None
    seal_onto(after, clear)
    actions: list[Action] = [GiftModel.recipient.remove()]
    for attr in (GiftModel.rc, GiftModel.ph, GiftModel.em):
        value = getattr(after, attr.attr_name)
        if value is not None:
            actions.append(attr.set(value))
    if after.reference:
        actions.append(GiftModel.reference.set(after.reference))
    return actions


# ------------------------------------------------------------------ retention

RETENTION_ENTRIES = 5000
_retention: Cache[str, int] = Cache("recipients.retention", RETENTION_ENTRIES, ttl=300)
"""partner -> contact_retention_days; a change reaches every Lambda within 5 minutes."""


def retention_days(partner_id: str) -> int:
    days = _retention.get(partner_id)
    if days is None:
        try:
            stored = PartnerModel.get(partner_id).contact_retention_days
        except DoesNotExist:
            stored = None
        days = DEFAULT_RETENTION_DAYS if stored is None else int(stored)
        _retention.put(partner_id, days)
    return days


def forget_retention(partner_id: str) -> None:
    _retention.pop(partner_id)


def drop_at(g: GiftModel, days: int | None = None) -> datetime:
    days = retention_days(g.partner_id) if days is None else days
    return parse_iso(g.expires_at) + timedelta(days=days)


def past_retention(g: GiftModel, now: datetime) -> bool:
    if g.expires_at > iso(now):  # not expired: no read of the partner's setting
        return False
    return drop_at(g) <= now


def timer(g: GiftModel) -> RecipientRecordModel:
    """The item whose TTL deletion drops the gift's contact (put by the event consumer
    when the gift with a contact is issued or sealed)."""
    return RecipientRecordModel(pk=f"ret#{g.code_hash}", kind="retention",
                                partner_id=g.partner_id, gift_key=g.code_hash,
                                expires_at=drop_at(g))


def batch_timer(partner_id: str, batch_id: str, expires_at: str) -> RecipientRecordModel:
    """The same for a batch's stored input rows (all its gifts expire together)."""
    at = parse_iso(expires_at) + timedelta(days=retention_days(partner_id))
    return RecipientRecordModel(pk=f"retb#{batch_id}", kind="retention",
                                partner_id=partner_id, batch_id=batch_id, expires_at=at)


# ------------------------------------------------------------------- erasing


def gift_keys(partner_id: str, kind: str, value: str) -> list[str]:
    """The keys (code_hash) of this partner's gifts with this phone or email: one
    Query of a sparse index per lookup key, never a scan."""
    index = GiftModel.by_phone if kind == "phone" else GiftModel.by_email
    found: list[str] = []
    for h in contact_hashes(partner_id, kind, value):
        found += [g.code_hash for g in index.query(h)]
    return list(dict.fromkeys(found))


def erase_gift(partner_id: str, code_hash: str) -> GiftModel | None:
    """Remove the gift's contact (sealed or clear) and its hashes; amounts, balances
    and history stay. The gift as it was (its batch's rows are next), or None if it
    held no contact of this partner's (already erased, or another partner's)."""
    try:
        g = GiftModel.get(code_hash, consistent_read=True)
    except DoesNotExist:
        return None
    if g.partner_id != partner_id or not (sealed(g) or g.recipient):
        return None
    return g if drop(code_hash, partner_id) else None


def drop(code_hash: str, partner_id: str | None = None) -> bool:
    """The gift's contact and its hashes go (an erasure, or the retention timer
    fired). True if there was one to drop."""
    condition = GiftModel.rc.exists() | GiftModel.rcp.exists() | GiftModel.recipient.exists()
    if partner_id is not None:
        condition = condition & (GiftModel.partner_id == partner_id)
    try:
        GiftModel(code_hash=code_hash).update(
            actions=[GiftModel.rc.remove(), GiftModel.rcp.remove(), GiftModel.ph.remove(),
                     GiftModel.em.remove(), GiftModel.recipient.remove()],
            condition=condition)
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


# ------------------------------------------------------------- batch rows

Row = dict[str, Any]


def _chunk_bound(batch_id: str, part: str) -> str:
    return f"{batch_id}#{part}"


def seal_rows(batch_id: str, part: str, rows: list[Row]) -> str:
    return vault.seal(json.dumps(rows, separators=(",", ":"), ensure_ascii=False),
                      _chunk_bound(batch_id, part))


def rows_of(chunk: BatchModel) -> list[Row]:
    """A chunk's rows: sealed, or in clear on a chunk stored before issue 21."""
    if chunk.rows:
        return json.loads(vault.open_sealed(chunk.rows, _chunk_bound(chunk.id, chunk.part)))
    return list(chunk.items or [])


def edit_rows(batch_id: str, change: Callable[[Row], bool]) -> int:
    """Apply `change` to every stored row of a batch (it returns whether it changed
    the row) and store the changed chunks sealed again; how many rows changed."""
    changed = 0
    for chunk in BatchModel.query(batch_id, BatchModel.part.startswith("chunk#"),
                                  consistent_read=True):
        rows = rows_of(chunk)
        n = sum(1 for row in rows if change(row))
        if n or chunk.items:
            BatchModel(id=chunk.id, part=chunk.part).update(actions=[
                BatchModel.rows.set(seal_rows(chunk.id, chunk.part, rows)),
                BatchModel.items.remove()])
        changed += n
    return changed


def strip_contact(row: Row) -> bool:
    recipient = row.get("recipient") or {}
    contact = contact_part(recipient)
    if not contact:
        return False
    row["recipient"] = {k: v for k, v in recipient.items() if k not in CONTACT_FIELDS} or None
    return True


def matches(kind: str, value: str) -> Callable[[Row], bool]:
    """A row change that strips the contact of rows with this phone or email."""
    wanted = contacts.normalise(kind, value)

    def change(row: Row) -> bool:
        stored = (row.get("recipient") or {}).get(kind)
        if stored and contacts.normalise(kind, stored) == wanted:
            return strip_contact(row)
        return False

    return change


def batches_of(gifts: Iterable[GiftModel]) -> set[str]:
    return {g.batch_id for g in gifts if g.batch_id}
