"""Gifts: issue, list, look up, redeem, void."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.money import gifts

bp = Blueprint(__name__)


CODE_ERRORS = (When(errors.InvalidCodeError, "the check character is wrong (no lookup made)"),)


@route(bp, "/v1/campaigns/{campaign_id}/gifts", "POST", summary="Issue an instant e-gift",
       scopes=("gifts:issue",), body=schemas.GiftCreate, response=schemas.Gift, status=201,
       idempotent=True, tag="gifts",
       errors=(errors.BudgetExhausted, errors.CampaignNotActive, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused))
def issue_gift(req: Req, campaign_id: str) -> Reply:
    return Reply(gifts.issue(req.principal.partner_id, campaign_id, req.body, req.claim,
                             req.now), 201)


@route(bp, "/v1/campaigns/{campaign_id}/gifts", summary="List a campaign's gifts, newest first",
       scopes=("gifts:issue",), response=schemas.GiftPage, tag="gifts",
       query=(LIMIT, CURSOR, contract.Param("status", (
           "Only gifts in this status. A filtered call reads at most 1,000 gifts, so its "
           "page may hold fewer than `limit` (even none) with a `next_cursor`: follow it "
           "until it is null"), {
           "type": "string", "enum": ["active", "redeemed", "voided", "expired"]})))
def list_gifts(req: Req, campaign_id: str) -> Reply:
    items, nxt = gifts.list_page(req.principal.partner_id, campaign_id, req.query("status"),
                                 req.limit, req.cursor, req.now)
    return Reply(schemas.GiftPage(data=[gifts.to_out(g, req.now) for g in items],
                                  next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/gifts/{code}", summary="Look up a gift by its code, with its redemptions",
       scopes=("gifts:redeem", "gifts:issue"), response=schemas.GiftDetail, tag="gifts",
       errors=CODE_ERRORS)
def get_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.lookup(req.principal.partner_id, code, req.now))


@route(bp, "/v1/gifts/{code}/redeem", "POST", summary="Redeem a gift, fully or partly",
       scopes=("gifts:redeem",), body=schemas.RedeemRequest, response=schemas.RedeemResult,
       idempotent=True, tag="gifts",
       errors=(errors.GiftAlreadyRedeemed, errors.GiftExpired, errors.GiftVoided,
               errors.IdempotencyInProgress, errors.InsufficientBalance, errors.InvalidCodeError,
               errors.IdempotencyKeyReused))
def redeem_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.redeem(req.principal.partner_id, code, req.body, req.claim, req.now))


@route(bp, "/v1/gifts/{code}/void", "POST",
       summary="Void a gift; its unredeemed balance returns to the budget",
       scopes=("gifts:issue",), body=schemas.VoidRequest, response=schemas.Gift,
       idempotent=True, tag="gifts",
       errors=(errors.GiftAlreadyRedeemed, errors.GiftVoided, errors.IdempotencyInProgress,
               errors.InvalidCodeError, errors.IdempotencyKeyReused))
def void_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.void(req.principal.partner_id, code, req.claim, req.now))


@route(bp, "/v1/gifts/{code}/link-rotations", "POST", summary=(
    "Replace a gift's page link (`gift_url`): the old link answers 404 from now on"),
       scopes=("gifts:issue",), response=schemas.Gift, idempotent=True, tag="gifts",
       errors=(errors.IdempotencyInProgress, errors.InvalidCodeError,
               errors.IdempotencyKeyReused))
def rotate_gift_link(req: Req, code: str) -> Reply:
    return Reply(gifts.rotate_link(req.principal.partner_id, code, req.claim, req.now))
