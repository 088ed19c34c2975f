"""A partner's Zalo Official Account, as the operator set it: the OA access token
(sealed at rest with `core.vault`: a table dump shows no usable token) and the ZNS
template ids per kind. Read by the renderer (template ids) and the Zalo channel
(the token), cached briefly; written only by the operator's route."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import errors, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.config import settings
from chalicelib.store import keys
from chalicelib.store.models import PartnerModel
from chalicelib.store.records import OutreachModel


class Account(Struct, frozen=True):
    token: str
    template_ids: dict[str, str]
    updated_at: str


_MISSING = Account("", {}, "")
_cache: Cache[str, Account] = Cache("outreach.zalo", 1024)


def _bound(partner_id: str) -> str:
    """What the sealed token is bound to: copied onto another partner, it does not open."""
    return f"zalo#{partner_id}#oa_access_token"


def account(partner_id: str) -> Account | None:
    found = _cache.get(partner_id, max_age=settings().template_cache_seconds)
    if found is None:
        try:
            item = OutreachModel.get(keys.zalo_key(partner_id), keys.ONE)
            found = Account(vault.open_sealed(item.sealed or "", _bound(partner_id)),
                            dict(item.data or {}), item.updated_at or "")
        except OutreachModel.DoesNotExist:
            found = _MISSING
        _cache.put(partner_id, found)
    return None if found is _MISSING or not found.token else found


def template_id(partner_id: str, kind: str) -> str | None:
    """The ZNS template of `kind`; a reminder without its own uses the gift's."""
    found = account(partner_id)
    if found is None:
        return None
    return found.template_ids.get(kind) or found.template_ids.get("gift")


def mask(token: str) -> str:
    return "…" + token[-4:] if len(token) > 12 else "…"


def status(partner_id: str, found: Account) -> schemas.ZaloStatus:
    return schemas.ZaloStatus(partner_id=partner_id, oa_access_token=mask(found.token),
                              token_set=bool(found.token), template_ids=found.template_ids,
                              updated_at=found.updated_at)


def put(partner_id: str, body: schemas.ZaloSettings, now: datetime) -> schemas.ZaloStatus:
    """Set (or replace) the partner's OA token and template ids; the answer shows the
    token masked, never whole."""
    if not PartnerModel.count(partner_id, limit=1):
        raise errors.NotFound("No such partner")
    ids = {k: v for k, v in (("gift", body.template_ids.gift),
                             ("reminder", body.template_ids.reminder)) if v}
    OutreachModel(keys.zalo_key(partner_id), keys.ONE, partner_id=partner_id,
                  sealed=vault.seal(body.oa_access_token, _bound(partner_id)), data=ids,
                  updated_at=iso(now)).save()
    found = Account(body.oa_access_token, ids, iso(now))
    _cache.put(partner_id, found)
    return status(partner_id, found)


def get(partner_id: str) -> schemas.ZaloStatus:
    found = account(partner_id)
    if found is None:
        raise errors.NotFound("No Zalo Official Account is set for this partner")
    return status(partner_id, found)
