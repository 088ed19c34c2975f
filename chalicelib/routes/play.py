"""Spin-the-wheel: player tokens, the player's wheel, spins and gifts; fairness and the draw log."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.core import errors
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.play import guards, spins

bp = Blueprint(__name__)


# Play routes take a player token; the campaign always comes from the token.

SPIN_ERRORS = (errors.CampaignNotActive, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused,
               When(errors.SpinLimitReached,
                    "with `Retry-After` when the daily limit is reached"),
               When(errors.RateLimited, "over one of the campaign's `play_limits` per "
                    "minute (`reason: velocity`, `limit`: player, device or address), with "
                    "`Retry-After`; nothing is written"),
               When(errors.PlayBlocked, "the partner's deny list holds the player or the "
                    "device (`reason: blocklist`), or the device has won "
                    "`wins_per_device` prizes (`reason: wins_cap`); nothing is written"))


@route(bp, "/v1/campaigns/{campaign_id}/player-tokens", "POST",
       summary="Mint a short-lived player token for the campaign's wheel",
       scopes=("players:mint",), body=schemas.PlayerTokenCreate, response=schemas.PlayerToken,
       status=201, tag="spin-the-wheel",
       errors=(errors.CampaignHasNoWheel, errors.CampaignEnded))
def mint_player_token(req: Req, campaign_id: str) -> Reply:
    return Reply(spins.mint_token(req.principal.partner_id, campaign_id, req.body, req.now), 201)


@route(bp, "/v1/play/wheel", summary="The player's wheel: published odds and spins left",
       auth="player", response=schemas.WheelView, tag="spin-the-wheel", cors=True)
def play_wheel(req: Req) -> Reply:
    return Reply(spins.wheel_view(req.principal, req.now))


@route(bp, "/v1/play/spins", "POST",
       summary="Play: spin the wheel, scratch a card or open an envelope (`pick`); send "
               "`Rewards-Device-Id` (a random id the widget keeps) for the campaign's "
               "fraud controls", auth="player",
       body=schemas.SpinRequest, response=schemas.Spin, status=201, idempotent=True,
       errors=SPIN_ERRORS, tag="spin-the-wheel", cors=True)
def play_spin(req: Req) -> Reply:
    who = guards.caller(req.headers, req.address)
    return Reply(spins.spin(req.principal, req.body, req.claim, req.now, who), 201)


BLOCKLIST_PATH = "/v1/campaigns/{campaign_id}/blocklist/{entry}"


@route(bp, BLOCKLIST_PATH, "PUT",
       summary="Deny a player (`{entry}` = the player id) or a device (`device:<id>`) the "
               "campaign's plays: 403 `play_blocked` within 30 seconds everywhere",
       scopes=("campaigns:write",), response=schemas.BlocklistEntry, tag="spin-the-wheel")
def block_player(req: Req, campaign_id: str, entry: str) -> Reply:
    return Reply(schemas.BlocklistEntry(**guards.deny(req.principal.partner_id, campaign_id,
                                                      entry, req.now)))


@route(bp, BLOCKLIST_PATH, "DELETE", summary="Lift a player's or a device's block",
       scopes=("campaigns:write",), status=204, tag="spin-the-wheel")
def unblock_player(req: Req, campaign_id: str, entry: str) -> Reply:
    guards.allow(req.principal.partner_id, campaign_id, entry)
    return Reply(None, 204)


@route(bp, "/v1/play/gifts", summary="The gifts this player has won in this campaign",
       auth="player", response=schemas.PlayerGiftPage, query=(LIMIT, CURSOR),
       tag="spin-the-wheel", cors=True)
def play_gifts(req: Req) -> Reply:
    items, nxt = spins.player_gifts(req.principal, req.now, req.limit, req.cursor)
    return Reply(schemas.PlayerGiftPage(data=items, next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/campaigns/{campaign_id}/fairness",
       summary="Seed commitment, and the server seed once the campaign has ended", auth=None,
       response=schemas.FairnessInfo, tag="spin-the-wheel", cors=True)
def campaign_fairness(req: Req, campaign_id: str) -> Reply:
    return Reply(spins.fairness(campaign_id, req.now))


@route(bp, "/v1/campaigns/{campaign_id}/spins",
       summary="A campaign's spins, oldest first, as published for fairness verification; "
               "player ids and client seeds masked unless the key also holds players:read",
       scopes=("campaigns:read",), response=schemas.SpinPage, query=(LIMIT, CURSOR),
       tag="spin-the-wheel")
def list_spins(req: Req, campaign_id: str) -> Reply:
    clear = auth.sees_players(req.principal)
    items, nxt = spins.list_spins(req.principal.partner_id, campaign_id, req.limit, req.cursor,
                                  reveal_players=clear)
    return Reply(schemas.SpinPage(data=items, next_cursor=contract.encode_cursor(nxt),
                                  players_masked=not clear))
