"""Bulk issuance: gift batches and their codes."""

from __future__ import annotations

import msgspec
from chalice import Blueprint

from chalicelib import schemas
from chalicelib.bulk import batches, intake
from chalicelib.core import errors
from chalicelib.core.config import MAX_BATCH_BODY_BYTES
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.outreach import deliveries

bp = Blueprint(__name__)


@route(bp, "/v1/campaigns/{campaign_id}/gift-batches", "POST",
       summary="Issue up to 10,000 gifts at once (JSON items or a CSV file): 201 when "
               "finished within the request, 202 (same body, status processing) otherwise; "
               "poll GET /v1/gift-batches/{batch_id}",
       scopes=("gifts:issue",), body=schemas.BatchCreate, response=schemas.Batch, status=201,
       idempotent=True, tag="batches", content_types=("application/json", "text/csv"),
       max_body=MAX_BATCH_BODY_BYTES,
       other_success=((202, "processing continues in the background; poll the batch"),),
       errors=(When(errors.BudgetExhausted, "nothing issued"), errors.CampaignNotActive,
               errors.IdempotencyInProgress,
               When(errors.ValidationError, "`items[i].field`, or `rows[line].column` for CSV "
                                            "where line is the 1-based line number"),
               errors.IdempotencyKeyReused))
def create_gift_batch(req: Req, campaign_id: str) -> Reply:
    items = intake.parse_request(req.body, req.raw_body, req.content_type)
    status, out = batches.create(req.principal.partner_id, campaign_id, items, req.claim,
                                 req.now)
    return Reply(out, status)


@route(bp, "/v1/gift-batches/{batch_id}", summary="A batch's status and progress",
       scopes=("gifts:issue",), response=schemas.Batch, tag="batches")
def get_gift_batch(req: Req, batch_id: str) -> Reply:
    header = batches.get(req.principal.partner_id, batch_id)
    out = batches.to_out(header)
    return Reply(msgspec.structs.replace(
        out, delivery=deliveries.batch_progress(header.id, int(header.count))))


@route(bp, "/v1/gift-batches/{batch_id}/gifts", summary="A batch's gifts, in item order",
       scopes=("gifts:issue",), response=schemas.BatchGiftPage, query=(LIMIT, CURSOR),
       tag="batches")
def list_gift_batch_gifts(req: Req, batch_id: str) -> Reply:
    items, nxt = batches.gifts_page(req.principal.partner_id, batch_id, req.limit, req.cursor,
                                    req.now)
    return Reply(schemas.BatchGiftPage(data=items, next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/gift-batches/{batch_id}/gifts.csv",
       summary="A completed batch's gifts as CSV, in item order", scopes=("gifts:issue",),
       produces="text/csv", tag="batches",
       errors=(When(errors.BatchProcessing, "the batch is not completed yet"),))
def export_gift_batch(req: Req, batch_id: str) -> Reply:
    text = batches.csv_export(req.principal.partner_id, batch_id)
    return Reply(text, content_type="text/csv; charset=utf-8",
                 headers={"Content-Disposition": f'attachment; filename="{batch_id}.csv"'})
