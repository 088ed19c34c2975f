"""A gift's code as a QR code, for the till to scan: the partner's view (any of its
gifts, by code) and the player's (a gift the player won, by id)."""

from __future__ import annotations

import io
from typing import Any

from chalicelib.core import codes, errors
from chalicelib.money import campaigns, gifts
from chalicelib.store.models import GiftModel


def qr_svg(code: str) -> str:
    """An SVG QR code of the grouped code (QR's alphanumeric mode holds A-Z, 0-9
    and '-', so the code fits a small symbol); medium error correction survives a
    scuffed phone screen. segno: maintained, pure Python, no dependencies."""
    import segno

    out = io.BytesIO()
    segno.make(code, error="m", micro=False).save(
        out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True,
        title="Gift code", svgclass=None, lineclass=None)
    return out.getvalue().decode()


def partner_qr(partner_id: str, raw_code: str) -> str:
    code = gifts.canonical(raw_code)
    if gifts.find(partner_id, code, cached=False) is None:
        raise errors.NotFound("No gift with this code")
    return qr_svg(codes.format_code(code))


def player_qr(player: Any, gift_id: str) -> str:
    """The player's own won gift only: found through the player's own index key."""
    pk = campaigns.player_key(player.partner_id, player.campaign_id, player.player_id)
    for g in GiftModel.by_player.query(pk, filter_condition=GiftModel.id == gift_id):
        if g.partner_id == player.partner_id:
            return qr_svg(codes.format_code(gifts.plain_code(g)))
    raise errors.NotFound("No such gift among this player's")
