"""A gift's deliveries to its recipient: list them, resend (API.md, "Delivery to the
recipient")."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge.contract import Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.outreach import deliveries

bp = Blueprint(__name__)

CODE_ERRORS = (When(errors.InvalidCodeError, "the check character is wrong (no lookup made)"),)


@route(bp, "/v1/gifts/{code}/deliveries",
       summary="A gift's messages to its recipient, with their status",
       scopes=("gifts:issue",), response=schemas.DeliveryList, tag="gifts",
       errors=CODE_ERRORS)
def list_gift_deliveries(req: Req, code: str) -> Reply:
    return Reply(deliveries.list_for(req.principal.partner_id, code))


@route(bp, "/v1/gifts/{code}/deliveries", "POST",
       summary="Send a gift to its recipient again, optionally to a corrected contact",
       scopes=("gifts:issue",), body=schemas.ResendRequest, response=schemas.Delivery,
       status=202, idempotent=True, tag="gifts",
       errors=(*CODE_ERRORS,
               When(errors.RateLimited, "the gift was resent less than a minute ago "
                                        "(Retry-After says when to try again)"),
               errors.GiftVoided, errors.GiftExpired, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused))
def resend_gift(req: Req, code: str) -> Reply:
    return Reply(deliveries.resend(req.principal.partner_id, code, req.body, req.claim,
                                   req.now), 202)
