"""The till: holds, captures, releases, reversals, a gift's history and its QR code."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.money import holds, qr_codes
from chalicelib.routes.gifts import CODE_ERRORS

bp = Blueprint(__name__)


# Till-grade redemption: chalicelib/money/holds.py, chalicelib/money/gift_versions.py

SVG = "image/svg+xml"
HOLD_ERRORS = (errors.GiftAlreadyRedeemed, errors.GiftExpired, errors.GiftVoided,
               When(errors.TooManyHolds, "10 active holds per gift"),
               errors.IdempotencyInProgress,
               When(errors.InsufficientBalance, "more than `available`"),
               errors.InvalidCodeError, errors.IdempotencyKeyReused)
CLOSE_ERRORS = (When(errors.NotFound, "no such hold (or another partner's)"),
                When(errors.HoldExpired, "it reached expires_at and holds nothing"),
                When(errors.HoldNotActive, "already captured or released (`hold_status`)"),
                errors.IdempotencyInProgress, errors.IdempotencyKeyReused)


@route(bp, "/v1/gifts/{code}/holds", "POST",
       summary="Hold part or all of a gift's available balance until captured, released "
               "or expired (no amount: all that is available)",
       scopes=("gifts:redeem",), body=schemas.HoldCreate, response=schemas.HoldCreated,
       status=201, idempotent=True, tag="holds", errors=HOLD_ERRORS)
def create_hold(req: Req, code: str) -> Reply:
    return Reply(holds.create(req.principal.partner_id, code, req.body, req.claim, req.now), 201)


@route(bp, "/v1/holds/{hold_id}", summary="A hold and whether it still holds",
       scopes=("gifts:redeem",), response=schemas.Hold, tag="holds")
def get_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.get(req.principal.partner_id, hold_id, req.now))


@route(bp, "/v1/holds/{hold_id}/capture", "POST",
       summary="Redeem all or part of a hold (no amount: all of it); the rest is released",
       scopes=("gifts:redeem",), body=schemas.CaptureRequest, response=schemas.CaptureResult,
       idempotent=True, tag="holds",
       errors=(*CLOSE_ERRORS, When(errors.ValidationError, "amount above the held amount")))
def capture_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.capture(req.principal.partner_id, hold_id, req.body, req.claim, req.now))


@route(bp, "/v1/holds/{hold_id}/release", "POST",
       summary="Release a hold: its amount is available again",
       scopes=("gifts:redeem",), body=schemas.ReleaseRequest, response=schemas.ReleaseResult,
       idempotent=True, tag="holds", errors=CLOSE_ERRORS)
def release_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.release(req.principal.partner_id, hold_id, req.claim, req.now))


@route(bp, "/v1/redemptions/{redemption_id}/reversals", "POST",
       summary="Give all or part of a redemption back to the gift's balance (a returned "
               "purchase); the budget is untouched",
       scopes=("gifts:redeem",), body=schemas.ReversalCreate, response=schemas.Reversal,
       status=201, idempotent=True, tag="holds",
       errors=(When(errors.NotFound, "no such redemption (or another partner's)"),
               errors.GiftVoided, errors.GiftExpired, errors.RedemptionFullyReversed,
               errors.IdempotencyInProgress,
               When(errors.ReversalTooLarge, "`reversible` says what is left"),
               errors.IdempotencyKeyReused))
def reverse_redemption(req: Req, redemption_id: str) -> Reply:
    return Reply(holds.reverse(req.principal.partner_id, redemption_id, req.body, req.claim,
                               req.now), 201)


@route(bp, "/v1/gifts/{code}/events",
       summary="A gift's history, oldest first, with the balance after each event",
       scopes=("gifts:redeem", "gifts:issue"), response=schemas.GiftEventPage,
       query=(LIMIT, CURSOR), tag="holds", errors=CODE_ERRORS)
def gift_events(req: Req, code: str) -> Reply:
    items, nxt = holds.events(req.principal.partner_id, code, req.limit, req.cursor)
    return Reply(schemas.GiftEventPage(data=items, next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/gifts/{code}/qr.svg", summary="The gift's code as an SVG QR code, for a till",
       scopes=("gifts:issue", "gifts:redeem"), produces=SVG, tag="holds", errors=CODE_ERRORS)
def gift_qr(req: Req, code: str) -> Reply:
    return Reply(qr_codes.partner_qr(req.principal.partner_id, code),
                 content_type=f"{SVG}; charset=utf-8")


@route(bp, "/v1/play/gifts/{gift_id}/qr.svg",
       summary="A gift this player won, as an SVG QR code to show at the till",
       auth="player", produces=SVG, tag="spin-the-wheel", cors=True)
def play_gift_qr(req: Req, gift_id: str) -> Reply:
    return Reply(qr_codes.player_qr(req.principal, gift_id), content_type=f"{SVG}; charset=utf-8")
