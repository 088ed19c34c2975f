"""Data-subject requests: erase a recipient's phone or email, or a player's id, from
every object of the partner, within the request.

What is erased, and how it is found without a scan:
- gifts: a Query of the sparse contact index (`money.recipients.gift_keys`); each
  gift loses its sealed contact and hashes (amounts, balances, history, the
  ledger stay); the input rows of the batches those gifts came from lose the
  contact too;
- events: gift events carry no contact (`events.gift_data`: id, masked code,
  figures, the partner's reference), so a phone or email erasure finds none;
  a player's `spin.won` events are found from the player's won gifts (their id is
  derived from the spin) and lose the player id;
- deliveries: webhook attempts store no payload, only the event's id and type, so
  there is no contact in them. Messages to recipients (`outreach.deliveries`, keyed
  by the gift) lose their masked `to` and a resend's sealed corrected contact: one
  Query per erased gift; a delivery not sent yet then ends `no_contact`;
- spins: see `play.spins.erase_player`.

The answer is stored as an erasure record (`RecipientRecordModel`, `era_…`), whose
stream makes the `recipient.erased` event: the record is the partner's proof that
it answered the request, and it names the kind of contact, never the contact.
Idempotent: the record's id derives from the Idempotency-Key's record, so a retry
after a crash names the same erasure and answers what it stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib import schemas
from chalicelib.core import ids
from chalicelib.core.clock import iso
from chalicelib.delivery import events
from chalicelib.money import recipients
from chalicelib.play import spins
from chalicelib.store import idempotency
from chalicelib.store.keys import event_key
from chalicelib.store.models import DeliveryModel
from chalicelib.store.records import EventModel, RecipientRecordModel
from chalicelib.store.retry import condition_failed


def erasure_id(claim: idempotency.Claim) -> str:
    """Every retry of one request names the same erasure."""
    digest = hashlib.sha256(b"rewards-erasure\x00" + claim.pk.encode() + b"\x00"
                            + claim.fingerprint.encode()).hexdigest()
    return f"{ids.ERASURE}_{digest[:26]}"


def _erase_contact(partner_id: str, kind: str, value: str) -> dict[str, int]:
    erased = []
    for key in recipients.gift_keys(partner_id, kind, value):
        gift = recipients.erase_gift(partner_id, key)
        if gift is not None:
            erased.append(gift)
    for batch_id in sorted(recipients.batches_of(erased)):
        recipients.edit_rows(batch_id, recipients.matches(kind, value))
    n_deliveries = sum(_erase_deliveries(g.code_hash) for g in erased)
    return {"gifts": len(erased), "deliveries": n_deliveries, "events": 0, "spins": 0}


def _erase_deliveries(gift_key: str) -> int:
    """The gift's messages lose their contact (masked or sealed); how many held one."""
    n = 0
    for d in DeliveryModel.query(gift_key, consistent_read=True):
        if d.id and (d.to or d.to_enc):
            DeliveryModel(pk=d.pk, sk=d.sk).update(
                actions=[DeliveryModel.to.remove(), DeliveryModel.to_enc.remove()])
            n += 1
    return n


def _erase_player(partner_id: str, player_id: str) -> dict[str, int]:
    found = spins.erase_player(partner_id, player_id)
    n_events = 0
    for spin_id, spun_at in found.won:
        eid = events.event_id(f"spin.won:{spin_id}", datetime.fromisoformat(spun_at))
        n_events += _strip_event(partner_id, eid)
    return {"gifts": found.gifts, "deliveries": 0, "events": n_events, "spins": found.spins}


def _strip_event(partner_id: str, eid: str) -> int:
    """Remove the player id from a stored event; 1 if it held one."""
    try:
        ev = EventModel.get(event_key(partner_id, eid), eid, consistent_read=True)
    except EventModel.DoesNotExist:
        return 0
    data: dict[str, Any] = dict(ev.data or {})
    if ev.partner_id != partner_id or not ({"player_id", events.SEALED_PLAYER} & set(data)):
        return 0
    data.pop("player_id", None)
    data.pop(events.SEALED_PLAYER, None)
    ev.update(actions=[EventModel.data.set(data)])
    return 1


def erase(partner_id: str, body: schemas.ErasureCreate, claim: idempotency.Claim,
          now: datetime) -> schemas.Erasure:
    kind, value = body.subject()
    eid = erasure_id(claim)
    idempotency.begin(claim)
    try:
        try:
            done = RecipientRecordModel.get(eid, consistent_read=True)
        except RecipientRecordModel.DoesNotExist:
            done = None
        if done is None:
            counts = _erase_player(partner_id, value) if kind == "player_id" \
                else _erase_contact(partner_id, kind, value)
            done = RecipientRecordModel(pk=eid, kind="erasure", partner_id=partner_id,
                                        created_at=iso(now), subject=kind, erased=counts)
            try:
                done.save(condition=RecipientRecordModel.pk.does_not_exist())
            except PutError as exc:
                if not condition_failed(exc):
                    raise
                done = RecipientRecordModel.get(eid, consistent_read=True)
        out = schemas.Erasure(id=eid, subject=kind,
                              erased=schemas.ErasedCounts(**done.erased),
                              created_at=done.created_at or iso(now))
        idempotency.complete(claim, 200, schemas.encode(out).decode())
    except BaseException:
        idempotency.release(claim)  # nothing kept for the key: a retry runs it again
        raise
    return out
