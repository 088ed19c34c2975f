"""Routes only: parse, authorise, call one function in chalicelib, shape the response.

Every route is declared through `chalicelib.http.route`, which also records its
contract for `/v1/openapi.json`, authenticates the caller, decodes and validates
the body, enforces idempotency and maps every error to problem+json.
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib import auth, campaigns, gifts, http, openapi, reports, schemas, store
from chalicelib.http import CURSOR, LIMIT, Reply, Req, route

app = Chalice(app_name="rewards-api")
app.api.binary_types = []  # every body we take or give is text
http.install(app)
store.bind()

ADMIN = "admin"


# ------------------------------------------------------------------- service


@route(app, "/v1/health", summary="Liveness", auth=None, response=schemas.Health, tag="service",
       cors=True)
def health(req: Req) -> Reply:
    return Reply(schemas.Health(status="ok"))


@route(app, "/v1/openapi.json", summary="This API's OpenAPI 3.1 document", auth=None,
       tag="service", cors=True)
def openapi_document(req: Req) -> Reply:
    return Reply(openapi.document())


# --------------------------------------------------------------------- admin


@route(app, "/v1/admin/partners", "POST", summary="Create a partner", auth=ADMIN,
       body=schemas.PartnerCreate, response=schemas.Partner, status=201, tag="admin")
def create_partner(req: Req) -> Reply:
    p = auth.create_partner(req.body.name, req.now)
    return Reply(schemas.Partner(id=p.id, name=p.name, created_at=p.created_at), 201)


@route(app, "/v1/admin/partners/{partner_id}/api-keys", "POST", summary="Create an API key",
       auth=ADMIN, body=schemas.ApiKeyCreate, response=schemas.ApiKeyCreated, status=201,
       tag="admin")
def create_api_key(req: Req, partner_id: str) -> Reply:
    key, secret = auth.create_api_key(partner_id, req.body.scopes, req.body.label, req.now)
    return Reply(schemas.ApiKeyCreated(id=key.id, key=secret, partner_id=key.partner_id,
                                       scopes=list(key.scopes), label=key.label,
                                       created_at=key.created_at), 201)


@route(app, "/v1/admin/partners/{partner_id}/api-keys/{key_id}", "DELETE",
       summary="Revoke an API key (effective within 60 s everywhere)", auth=ADMIN, status=204,
       tag="admin")
def revoke_api_key(req: Req, partner_id: str, key_id: str) -> Reply:
    auth.revoke_api_key(partner_id, key_id, req.now)
    return Reply(None, 204)


# ----------------------------------------------------------------- campaigns


@route(app, "/v1/campaigns", "POST", summary="Create a campaign", scopes=("campaigns:write",),
       body=schemas.CampaignCreate, response=schemas.Campaign, status=201, tag="campaigns")
def create_campaign(req: Req) -> Reply:
    c = campaigns.create(req.principal.partner_id, req.body, req.now)
    return Reply(campaigns.to_out(c, req.now), 201)


@route(app, "/v1/campaigns", summary="List campaigns, newest first",
       scopes=("campaigns:read",), response=schemas.CampaignPage, query=(LIMIT, CURSOR),
       tag="campaigns")
def list_campaigns(req: Req) -> Reply:
    items, nxt = campaigns.list_page(req.principal.partner_id, req.limit, req.cursor)
    return Reply(schemas.CampaignPage(data=[campaigns.to_out(c, req.now) for c in items],
                                      next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/campaigns/{campaign_id}", summary="Get a campaign",
       scopes=("campaigns:read",), response=schemas.Campaign, tag="campaigns")
def get_campaign(req: Req, campaign_id: str) -> Reply:
    return Reply(campaigns.to_out(campaigns.get(req.principal.partner_id, campaign_id), req.now))


@route(app, "/v1/campaigns/{campaign_id}", "PATCH",
       summary="Pause, resume or end a campaign; rename it; move its end",
       scopes=("campaigns:write",), body=schemas.CampaignPatch, response=schemas.Campaign,
       errors=("409 `campaign_ended`: an ended campaign is final",), tag="campaigns")
def patch_campaign(req: Req, campaign_id: str) -> Reply:
    c = campaigns.patch(req.principal.partner_id, campaign_id, req.body, req.now)
    return Reply(campaigns.to_out(c, req.now))


@route(app, "/v1/campaigns/{campaign_id}/budget-topups", "POST",
       summary="Raise a campaign's budget", scopes=("campaigns:write",),
       body=schemas.TopupCreate, response=schemas.Campaign, status=201, idempotent=True,
       errors=("409 `campaign_ended`, `idempotency_in_progress`",
               "422 `idempotency_key_reused`"), tag="campaigns")
def top_up_budget(req: Req, campaign_id: str) -> Reply:
    snapshot = campaigns.top_up(req.principal.partner_id, campaign_id, req.body.amount,
                                req.idem, req.now)
    return Reply(snapshot, 201)


# --------------------------------------------------------------------- gifts

CODE_ERRORS = ("422 `invalid_code`: the check character is wrong (no lookup made)",)


@route(app, "/v1/campaigns/{campaign_id}/gifts", "POST", summary="Issue an instant e-gift",
       scopes=("gifts:issue",), body=schemas.GiftCreate, response=schemas.Gift, status=201,
       idempotent=True, tag="gifts",
       errors=("409 `budget_exhausted`, `campaign_not_active`, `idempotency_in_progress`",
               "422 `idempotency_key_reused`"))
def issue_gift(req: Req, campaign_id: str) -> Reply:
    return Reply(gifts.issue(req.principal.partner_id, campaign_id, req.body, req.idem,
                             req.now), 201)


@route(app, "/v1/campaigns/{campaign_id}/gifts", summary="List a campaign's gifts, newest first",
       scopes=("gifts:issue", "gifts:redeem"), response=schemas.GiftPage, tag="gifts",
       query=(LIMIT, CURSOR, http.Param("status", "Only gifts in this status", {
           "type": "string", "enum": ["active", "redeemed", "voided", "expired"]})))
def list_gifts(req: Req, campaign_id: str) -> Reply:
    items, nxt = gifts.list_page(req.principal.partner_id, campaign_id, req.query("status"),
                                 req.limit, req.cursor, req.now)
    return Reply(schemas.GiftPage(data=[gifts.to_out(g, req.now) for g in items],
                                  next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/gifts/{code}", summary="Look up a gift by its code, with its redemptions",
       scopes=("gifts:redeem", "gifts:issue"), response=schemas.GiftDetail, tag="gifts",
       errors=CODE_ERRORS)
def get_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.lookup(req.principal.partner_id, code, req.now))


@route(app, "/v1/gifts/{code}/redeem", "POST", summary="Redeem a gift, fully or partly",
       scopes=("gifts:redeem",), body=schemas.RedeemRequest, response=schemas.RedeemResult,
       idempotent=True, tag="gifts",
       errors=("409 `gift_already_redeemed`, `gift_expired`, `gift_voided`, "
               "`idempotency_in_progress`",
               "422 `insufficient_balance`, `invalid_code`, `idempotency_key_reused`"))
def redeem_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.redeem(req.principal.partner_id, code, req.body, req.idem, req.now))


@route(app, "/v1/gifts/{code}/void", "POST",
       summary="Void a gift; its unredeemed balance returns to the budget",
       scopes=("gifts:issue",), body=schemas.VoidRequest, response=schemas.Gift,
       idempotent=True, tag="gifts",
       errors=("409 `gift_already_redeemed`, `gift_voided`, `idempotency_in_progress`",
               "422 `invalid_code`, `idempotency_key_reused`"))
def void_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.void(req.principal.partner_id, code, req.idem, req.now))


# ------------------------------------------------------------------- reports


@route(app, "/v1/campaigns/{campaign_id}/report", summary="Exact campaign figures in one read",
       scopes=("reports:read",), response=schemas.Report, tag="reports")
def campaign_report(req: Req, campaign_id: str) -> Reply:
    return Reply(reports.report(req.principal.partner_id, campaign_id, req.now))
