"""A partner's delivery settings: its branding on gift pages and in messages."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.edge.contract import Reply, Req
from chalicelib.edge.http import route
from chalicelib.outreach import branding

bp = Blueprint(__name__)


@route(bp, "/v1/delivery/branding", "PUT", summary=(
    "Set how your gift pages and messages present you: name, logo, colour"),
       scopes=("campaigns:write",), body=schemas.Branding, response=schemas.Branding,
       tag="delivery")
def put_branding(req: Req) -> Reply:
    return Reply(branding.put(req.principal.partner_id, req.body))


@route(bp, "/v1/delivery/branding", summary=(
    "Your branding (your partner name until you set one)"),
       scopes=("campaigns:write", "campaigns:read"), response=schemas.Branding,
       tag="delivery")
def get_branding(req: Req) -> Reply:
    return Reply(branding.get(req.principal.partner_id))
