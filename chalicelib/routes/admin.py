"""The operator's routes: partners and their API keys."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.bulk import legacy
from chalicelib.edge.contract import Reply, Req
from chalicelib.edge.http import route

bp = Blueprint(__name__)

ADMIN = "admin"


@route(bp, "/v1/admin/partners", "POST", summary="Create a partner", auth=ADMIN,
       body=schemas.PartnerCreate, response=schemas.Partner, status=201, tag="admin",
       idempotent="optional")
def create_partner(req: Req) -> Reply:
    return Reply(auth.create_partner(req.body.name, req.now, req.idem,
                                     req.body.contact_retention_days), 201)


@route(bp, "/v1/admin/partners/{partner_id}", "PATCH",
       summary="Change a partner's settings: how many days recipients' contacts are kept "
               "after their gift expires (contact_retention_days)", auth=ADMIN,
       body=schemas.PartnerPatch, response=schemas.Partner, tag="admin")
def patch_partner(req: Req, partner_id: str) -> Reply:
    return Reply(auth.set_contact_retention(partner_id, req.body.contact_retention_days))


@route(bp, "/v1/admin/partners/{partner_id}/api-keys", "POST",
       summary="Create an API key (its secret is shown once and never stored, so a "
               "retry makes another key: revoke the one you did not keep)",
       auth=ADMIN, body=schemas.ApiKeyCreate, response=schemas.ApiKeyCreated, status=201,
       tag="admin")
def create_api_key(req: Req, partner_id: str) -> Reply:
    key, secret = auth.create_api_key(partner_id, req.body.scopes, req.body.label, req.now,
                                      req.body.rate_limit)
    return Reply(schemas.ApiKeyCreated(id=key.id, key=secret, partner_id=key.partner_id,
                                       scopes=list(key.scopes), label=key.label,
                                       created_at=key.created_at,
                                       rate_limit=int(key.rate_limit) if key.rate_limit
                                       else None), 201)


@route(bp, "/v1/admin/partners/{partner_id}/api-keys/{key_id}", "DELETE",
       summary="Revoke an API key: calls that move money or change gifts stop within 3 s "
               "everywhere, every other call within 30 s (API_KEY_MONEY_CACHE_SECONDS, "
               "API_KEY_CACHE_SECONDS)", auth=ADMIN, status=204,
       tag="admin")
def revoke_api_key(req: Req, partner_id: str, key_id: str) -> Reply:
    auth.revoke_api_key(partner_id, key_id, req.now)
    return Reply(None, 204)


@route(bp, "/v1/admin/migrations/personal-data", "POST",
       summary="Seal personal data stored before issue 21 (clear recipients, batch rows, "
               "old campaigns' spin records): one turn of at most 20 s from the stored "
               "checkpoint; call again until `done` (devtools/migrate_personal_data.py)",
       auth=ADMIN, response=schemas.MigrationProgress, tag="admin")
def migrate_personal_data(req: Req) -> Reply:
    return Reply(legacy.run_turn())
