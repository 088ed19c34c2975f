"""Recipients' personal data: data-subject requests (erasure)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.delivery import erasures
from chalicelib.edge.contract import Reply, Req
from chalicelib.edge.http import route

bp = Blueprint(__name__)


@route(bp, "/v1/recipients/erasures", "POST",
       summary="Erase a recipient's phone or email, or a player's id, from every gift, "
               "spin, delivery and event of yours, at once; amounts, balances and history "
               "stay. Makes the event recipient.erased (which names no contact)",
       scopes=("gifts:issue",), body=schemas.ErasureCreate, response=schemas.Erasure,
       idempotent=True, tag="recipients",
       errors=(errors.IdempotencyInProgress, errors.IdempotencyKeyReused))
def create_erasure(req: Req) -> Reply:
    return Reply(erasures.erase(req.principal.partner_id, req.body, req.claim, req.now))
