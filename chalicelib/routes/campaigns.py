"""Campaigns: create, list, read, change status, top up the budget."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.money import campaigns

bp = Blueprint(__name__)


@route(bp, "/v1/campaigns", "POST", summary="Create a campaign", scopes=("campaigns:write",),
       body=schemas.CampaignCreate, response=schemas.Campaign, status=201, tag="campaigns",
       rules=campaigns.rule_errors, idempotent="optional")
def create_campaign(req: Req) -> Reply:
    return Reply(campaigns.create(req.principal.partner_id, req.body, req.now, req.idem), 201)


@route(bp, "/v1/campaigns", summary="List campaigns, newest first",
       scopes=("campaigns:read",), response=schemas.CampaignPage, query=(LIMIT, CURSOR),
       tag="campaigns")
def list_campaigns(req: Req) -> Reply:
    items, nxt = campaigns.list_page(req.principal.partner_id, req.limit, req.cursor, req.now)
    return Reply(schemas.CampaignPage(data=items,
                                      next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/campaigns/{campaign_id}", summary="Get a campaign",
       scopes=("campaigns:read",), response=schemas.Campaign, tag="campaigns")
def get_campaign(req: Req, campaign_id: str) -> Reply:
    return Reply(campaigns.to_out(campaigns.get(req.principal.partner_id, campaign_id), req.now))


@route(bp, "/v1/campaigns/{campaign_id}", "PATCH",
       summary="Pause, resume or end a campaign; rename it; move its end",
       scopes=("campaigns:write",), body=schemas.CampaignPatch, response=schemas.Campaign,
       errors=(When(errors.CampaignEnded, "an ended campaign is final"),), tag="campaigns",
       rules=campaigns.patch_rule_errors)
def patch_campaign(req: Req, campaign_id: str) -> Reply:
    c = campaigns.patch(req.principal.partner_id, campaign_id, req.body, req.now)
    return Reply(campaigns.to_out(c, req.now))


@route(bp, "/v1/campaigns/{campaign_id}/budget-topups", "POST",
       summary="Raise a campaign's budget", scopes=("campaigns:write",),
       body=schemas.TopupCreate, response=schemas.Campaign, status=201, idempotent=True,
       errors=(errors.CampaignEnded, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused), tag="campaigns")
def top_up_budget(req: Req, campaign_id: str) -> Reply:
    snapshot = campaigns.top_up(req.principal.partner_id, campaign_id, req.body.amount,
                                req.claim, req.now)
    return Reply(snapshot, 201)
