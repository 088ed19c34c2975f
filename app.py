"""Routes only: parse, authorise, call one function in chalicelib, shape the response.

Every route is declared through `chalicelib.http.route`, which also records its
contract for `/v1/openapi.json`, authenticates the caller, decodes and validates
the body, enforces idempotency and maps every error to problem+json.
"""

from __future__ import annotations

import os

from chalice import Chalice
from chalice.app import CloudWatchEvent, DynamoDBEvent, SQSEvent

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.bulk import batches, intake
from chalicelib.core import errors
from chalicelib.core.config import Settings
from chalicelib.delivery import endpoints, events, sending
from chalicelib.edge import assets, http, openapi
from chalicelib.edge.http import CURSOR, LIMIT, Reply, Req, When, route
from chalicelib.insights import exports, reports, results
from chalicelib.money import campaigns, gifts, holds
from chalicelib.play import spins
from chalicelib.store import jobs, tables

app = Chalice(app_name="rewards-api")
app.api.binary_types = []  # every body we take or give is text
http.install(app)
tables.bind()

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
       body=schemas.PartnerCreate, response=schemas.Partner, status=201, tag="admin",
       idempotent="optional")
def create_partner(req: Req) -> Reply:
    return Reply(auth.create_partner(req.body.name, req.now, req.idem), 201)


@route(app, "/v1/admin/partners/{partner_id}/api-keys", "POST",
       summary="Create an API key (its secret is shown once and never stored, so a "
               "retry makes another key: revoke the one you did not keep)",
       auth=ADMIN, body=schemas.ApiKeyCreate, response=schemas.ApiKeyCreated, status=201,
       tag="admin")
def create_api_key(req: Req, partner_id: str) -> Reply:
    key, secret = auth.create_api_key(partner_id, req.body.scopes, req.body.label, req.now,
                                      req.body.rate_limit)
    return Reply(schemas.ApiKeyCreated(id=key.id, key=secret, partner_id=key.partner_id,
                                       scopes=list(key.scopes), label=key.label,
                                       created_at=key.created_at,
                                       rate_limit=int(key.rate_limit) if key.rate_limit
                                       else None), 201)


@route(app, "/v1/admin/partners/{partner_id}/api-keys/{key_id}", "DELETE",
       summary="Revoke an API key: calls that move money or change gifts stop within 3 s "
               "everywhere, every other call within 30 s (API_KEY_MONEY_CACHE_SECONDS, "
               "API_KEY_CACHE_SECONDS)", auth=ADMIN, status=204,
       tag="admin")
def revoke_api_key(req: Req, partner_id: str, key_id: str) -> Reply:
    auth.revoke_api_key(partner_id, key_id, req.now)
    return Reply(None, 204)


# ----------------------------------------------------------------- campaigns


@route(app, "/v1/campaigns", "POST", summary="Create a campaign", scopes=("campaigns:write",),
       body=schemas.CampaignCreate, response=schemas.Campaign, status=201, tag="campaigns",
       rules=campaigns.rule_errors, idempotent="optional")
def create_campaign(req: Req) -> Reply:
    return Reply(campaigns.create(req.principal.partner_id, req.body, req.now, req.idem), 201)


@route(app, "/v1/campaigns", summary="List campaigns, newest first",
       scopes=("campaigns:read",), response=schemas.CampaignPage, query=(LIMIT, CURSOR),
       tag="campaigns")
def list_campaigns(req: Req) -> Reply:
    items, nxt = campaigns.list_page(req.principal.partner_id, req.limit, req.cursor, req.now)
    return Reply(schemas.CampaignPage(data=items,
                                      next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/campaigns/{campaign_id}", summary="Get a campaign",
       scopes=("campaigns:read",), response=schemas.Campaign, tag="campaigns")
def get_campaign(req: Req, campaign_id: str) -> Reply:
    return Reply(campaigns.to_out(campaigns.get(req.principal.partner_id, campaign_id), req.now))


@route(app, "/v1/campaigns/{campaign_id}", "PATCH",
       summary="Pause, resume or end a campaign; rename it; move its end",
       scopes=("campaigns:write",), body=schemas.CampaignPatch, response=schemas.Campaign,
       errors=(When(errors.CampaignEnded, "an ended campaign is final"),), tag="campaigns",
       rules=campaigns.patch_rule_errors)
def patch_campaign(req: Req, campaign_id: str) -> Reply:
    c = campaigns.patch(req.principal.partner_id, campaign_id, req.body, req.now)
    return Reply(campaigns.to_out(c, req.now))


@route(app, "/v1/campaigns/{campaign_id}/budget-topups", "POST",
       summary="Raise a campaign's budget", scopes=("campaigns:write",),
       body=schemas.TopupCreate, response=schemas.Campaign, status=201, idempotent=True,
       errors=(errors.CampaignEnded, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused), tag="campaigns")
def top_up_budget(req: Req, campaign_id: str) -> Reply:
    snapshot = campaigns.top_up(req.principal.partner_id, campaign_id, req.body.amount,
                                req.claim, req.now)
    return Reply(snapshot, 201)


# --------------------------------------------------------------------- gifts

CODE_ERRORS = (When(errors.InvalidCodeError, "the check character is wrong (no lookup made)"),)


@route(app, "/v1/campaigns/{campaign_id}/gifts", "POST", summary="Issue an instant e-gift",
       scopes=("gifts:issue",), body=schemas.GiftCreate, response=schemas.Gift, status=201,
       idempotent=True, tag="gifts",
       errors=(errors.BudgetExhausted, errors.CampaignNotActive, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused))
def issue_gift(req: Req, campaign_id: str) -> Reply:
    return Reply(gifts.issue(req.principal.partner_id, campaign_id, req.body, req.claim,
                             req.now), 201)


@route(app, "/v1/campaigns/{campaign_id}/gifts", summary="List a campaign's gifts, newest first",
       scopes=("gifts:issue",), response=schemas.GiftPage, tag="gifts",
       query=(LIMIT, CURSOR, http.Param("status", (
           "Only gifts in this status. A filtered call reads at most 1,000 gifts, so its "
           "page may hold fewer than `limit` (even none) with a `next_cursor`: follow it "
           "until it is null"), {
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
       errors=(errors.GiftAlreadyRedeemed, errors.GiftExpired, errors.GiftVoided,
               errors.IdempotencyInProgress, errors.InsufficientBalance, errors.InvalidCodeError,
               errors.IdempotencyKeyReused))
def redeem_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.redeem(req.principal.partner_id, code, req.body, req.claim, req.now))


@route(app, "/v1/gifts/{code}/void", "POST",
       summary="Void a gift; its unredeemed balance returns to the budget",
       scopes=("gifts:issue",), body=schemas.VoidRequest, response=schemas.Gift,
       idempotent=True, tag="gifts",
       errors=(errors.GiftAlreadyRedeemed, errors.GiftVoided, errors.IdempotencyInProgress,
               errors.InvalidCodeError, errors.IdempotencyKeyReused))
def void_gift(req: Req, code: str) -> Reply:
    return Reply(gifts.void(req.principal.partner_id, code, req.claim, req.now))


# ------------------------------------------------- holds, reversals, history
# Till-grade redemption (issue 12): chalicelib/holds.py, chalicelib/ledger.py

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


@route(app, "/v1/gifts/{code}/holds", "POST",
       summary="Hold part or all of a gift's available balance until captured, released "
               "or expired (no amount: all that is available)",
       scopes=("gifts:redeem",), body=schemas.HoldCreate, response=schemas.HoldCreated,
       status=201, idempotent=True, tag="holds", errors=HOLD_ERRORS)
def create_hold(req: Req, code: str) -> Reply:
    return Reply(holds.create(req.principal.partner_id, code, req.body, req.claim, req.now), 201)


@route(app, "/v1/holds/{hold_id}", summary="A hold and whether it still holds",
       scopes=("gifts:redeem",), response=schemas.Hold, tag="holds")
def get_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.get(req.principal.partner_id, hold_id, req.now))


@route(app, "/v1/holds/{hold_id}/capture", "POST",
       summary="Redeem all or part of a hold (no amount: all of it); the rest is released",
       scopes=("gifts:redeem",), body=schemas.CaptureRequest, response=schemas.CaptureResult,
       idempotent=True, tag="holds",
       errors=(*CLOSE_ERRORS, When(errors.ValidationError, "amount above the held amount")))
def capture_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.capture(req.principal.partner_id, hold_id, req.body, req.claim, req.now))


@route(app, "/v1/holds/{hold_id}/release", "POST",
       summary="Release a hold: its amount is available again",
       scopes=("gifts:redeem",), body=schemas.ReleaseRequest, response=schemas.ReleaseResult,
       idempotent=True, tag="holds", errors=CLOSE_ERRORS)
def release_hold(req: Req, hold_id: str) -> Reply:
    return Reply(holds.release(req.principal.partner_id, hold_id, req.claim, req.now))


@route(app, "/v1/redemptions/{redemption_id}/reversals", "POST",
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


@route(app, "/v1/gifts/{code}/events",
       summary="A gift's history, oldest first, with the balance after each event",
       scopes=("gifts:redeem", "gifts:issue"), response=schemas.GiftEventPage,
       query=(LIMIT, CURSOR), tag="holds", errors=CODE_ERRORS)
def gift_events(req: Req, code: str) -> Reply:
    items, nxt = holds.events(req.principal.partner_id, code, req.limit, req.cursor)
    return Reply(schemas.GiftEventPage(data=items, next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/gifts/{code}/qr.svg", summary="The gift's code as an SVG QR code, for a till",
       scopes=("gifts:issue", "gifts:redeem"), produces=SVG, tag="holds", errors=CODE_ERRORS)
def gift_qr(req: Req, code: str) -> Reply:
    return Reply(holds.partner_qr(req.principal.partner_id, code),
                 content_type=f"{SVG}; charset=utf-8")


@route(app, "/v1/play/gifts/{gift_id}/qr.svg",
       summary="A gift this player won, as an SVG QR code to show at the till",
       auth="player", produces=SVG, tag="spin-the-wheel", cors=True)
def play_gift_qr(req: Req, gift_id: str) -> Reply:
    return Reply(holds.player_qr(req.principal, gift_id), content_type=f"{SVG}; charset=utf-8")


# ------------------------------------------------------------------- reports


SERIES = (
    http.Param("granularity", "Adds `series`: figures per local day or hour",
               {"type": "string", "enum": ["day", "hour"]}),
    http.Param("from", "First period: a local date (YYYY-MM-DD) or a time with its offset; "
                       "default the campaign's start", {"type": "string"}),
    http.Param("to", "Last period: a local date (included) or a time (excluded); default "
                     "now or the campaign's end. At most 31 days by hour, 400 by day (422)",
               {"type": "string"}))
UNMASK = http.Param("unmask", "true: player ids in clear (default masked)",
                    {"type": "string", "enum": ["true", "false"]})


@route(app, "/v1/campaigns/{campaign_id}/report",
       summary="Exact campaign figures, in a bounded number of reads (with a time series "
               "when asked: one more Query per shard)",
       scopes=("reports:read",), response=schemas.Report, tag="reports", query=SERIES,
       errors=(When(errors.ValidationError, "granularity, from or to"),))
def campaign_report(req: Req, campaign_id: str) -> Reply:
    return Reply(reports.report(req.principal.partner_id, campaign_id, req.now,
                                req.query("granularity"), req.query("from"), req.query("to")))


@route(app, "/v1/campaigns/{campaign_id}/report.csv",
       summary="The report's time series as CSV (granularity default day)",
       scopes=("reports:read",), produces="text/csv", tag="reports", query=SERIES)
def campaign_report_csv(req: Req, campaign_id: str) -> Reply:
    text = reports.series_csv(req.principal.partner_id, campaign_id, req.query("granularity"),
                              req.query("from"), req.query("to"), req.now)
    return Reply(text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{campaign_id}-series.csv"'})


@route(app, "/v1/campaigns/{campaign_id}/prize-structure",
       summary="The prize structure of a lucky-draw dossier: prizes, quantities, values, "
               "odds, dates", scopes=("reports:read",), response=schemas.PrizeStructure,
       tag="reports", errors=(errors.CampaignHasNoWheel,))
def prize_structure(req: Req, campaign_id: str) -> Reply:
    return Reply(reports.prize_structure(req.principal.partner_id, campaign_id))


@route(app, "/v1/campaigns/{campaign_id}/prize-structure.csv",
       summary="The prize structure as CSV", scopes=("reports:read",), produces="text/csv",
       tag="reports", errors=(errors.CampaignHasNoWheel,))
def prize_structure_csv(req: Req, campaign_id: str) -> Reply:
    text = reports.prize_structure_csv(req.principal.partner_id, campaign_id)
    return Reply(text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{campaign_id}-prizes.csv"'})


@route(app, "/v1/campaigns/{campaign_id}/results-report",
       summary="Results of a lucky draw after its end: awarded, claimed, unclaimed, 50 % "
               "due to the state budget, deadline; ?format=html: printable (Vietnamese)",
       scopes=("reports:read",), response=schemas.ResultsReport, tag="reports",
       query=(http.Param("format", "json (default) or html",
                         {"type": "string", "enum": ["json", "html"]}),),
       errors=(errors.CampaignNotEnded,))
def results_report(req: Req, campaign_id: str) -> Reply:
    r = results.results(req.principal.partner_id, campaign_id, req.now)
    if req.query("format") == "html":
        return Reply(results.html_page(r), content_type="text/html; charset=utf-8",
                     headers={"Content-Security-Policy": results.CSP})
    return Reply(r)


@route(app, "/v1/campaigns/{campaign_id}/exports", "POST",
       summary="Export a campaign's draw log, gifts or results as CSV, in the background "
               "(any size): 202, then poll GET /v1/exports/{export_id}",
       scopes=("reports:read",), body=schemas.ExportCreate, response=schemas.Export,
       status=202, tag="reports", query=(UNMASK,),
       errors=(When(errors.CampaignNotEnded, "a results export before the campaign ends"),
               errors.CampaignHasNoWheel))
def create_export(req: Req, campaign_id: str) -> Reply:
    h = exports.create(req.principal.partner_id, campaign_id, req.body.kind,
                       req.query("unmask") == "true", req.now)
    return Reply(exports.to_out(h), 202)


def _origin(req: Req) -> str:
    host = req.headers.get("host", "")
    return f"http://{host}" if host.startswith(("127.0.0.1", "localhost")) else ""


@route(app, "/v1/exports/{export_id}", summary="An export's status and, once completed, "
       "its download_url", scopes=("reports:read",), response=schemas.Export, tag="reports")
def get_export(req: Req, export_id: str) -> Reply:
    return Reply(exports.to_out(exports.get(req.principal.partner_id, export_id),
                                _origin(req)))


@route(app, "/v1/exports/{export_id}/file",
       summary="A completed export's file (served by the API under `make run`; deployed, "
               "download_url is presigned S3)", scopes=("reports:read",),
       produces="text/csv", tag="reports", errors=(errors.ExportNotReady,))
def export_file(req: Req, export_id: str) -> Reply:
    h, body = exports.read_file(req.principal.partner_id, export_id)
    return Reply(body, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{h.id}-{h.kind}.csv"'})


# ------------------------------------------------------------ spin-the-wheel
# Play routes take a player token; the campaign always comes from the token.

SPIN_ERRORS = (errors.CampaignNotActive, errors.IdempotencyInProgress,
               errors.IdempotencyKeyReused,
               When(errors.SpinLimitReached,
                    "with `Retry-After` when the daily limit is reached"))


@route(app, "/v1/campaigns/{campaign_id}/player-tokens", "POST",
       summary="Mint a short-lived player token for the campaign's wheel",
       scopes=("players:mint",), body=schemas.PlayerTokenCreate, response=schemas.PlayerToken,
       status=201, tag="spin-the-wheel",
       errors=(errors.CampaignHasNoWheel, errors.CampaignEnded))
def mint_player_token(req: Req, campaign_id: str) -> Reply:
    return Reply(spins.mint_token(req.principal.partner_id, campaign_id, req.body, req.now), 201)


@route(app, "/v1/play/wheel", summary="The player's wheel: published odds and spins left",
       auth="player", response=schemas.WheelView, tag="spin-the-wheel", cors=True)
def play_wheel(req: Req) -> Reply:
    return Reply(spins.wheel_view(req.principal, req.now))


@route(app, "/v1/play/spins", "POST", summary="Spin the wheel", auth="player",
       body=schemas.SpinRequest, response=schemas.Spin, status=201, idempotent=True,
       errors=SPIN_ERRORS, tag="spin-the-wheel", cors=True)
def play_spin(req: Req) -> Reply:
    return Reply(spins.spin(req.principal, req.body, req.claim, req.now), 201)


@route(app, "/v1/play/gifts", summary="The gifts this player has won in this campaign",
       auth="player", response=schemas.PlayerGiftPage, query=(LIMIT, CURSOR),
       tag="spin-the-wheel", cors=True)
def play_gifts(req: Req) -> Reply:
    items, nxt = spins.player_gifts(req.principal, req.now, req.limit, req.cursor)
    return Reply(schemas.PlayerGiftPage(data=items, next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/campaigns/{campaign_id}/fairness",
       summary="Seed commitment, and the server seed once the campaign has ended", auth=None,
       response=schemas.FairnessInfo, tag="spin-the-wheel", cors=True)
def campaign_fairness(req: Req, campaign_id: str) -> Reply:
    return Reply(spins.fairness(campaign_id, req.now))


@route(app, "/v1/campaigns/{campaign_id}/spins",
       summary="A campaign's spins, oldest first, as published for fairness verification",
       scopes=("campaigns:read",), response=schemas.SpinPage, query=(LIMIT, CURSOR),
       tag="spin-the-wheel")
def list_spins(req: Req, campaign_id: str) -> Reply:
    items, nxt = spins.list_spins(req.principal.partner_id, campaign_id, req.limit, req.cursor)
    return Reply(schemas.SpinPage(data=items, next_cursor=http.encode_cursor(nxt)))


# ------------------------------------------------------------------ bulk issuance

BATCH_QUEUE = os.environ.get("BATCH_QUEUE_NAME", "rewards-batches")


@route(app, "/v1/campaigns/{campaign_id}/gift-batches", "POST",
       summary="Issue up to 10,000 gifts at once (JSON items or a CSV file): 201 when "
               "finished within the request, 202 (same body, status processing) otherwise; "
               "poll GET /v1/gift-batches/{batch_id}",
       scopes=("gifts:issue",), body=schemas.BatchCreate, response=schemas.Batch, status=201,
       idempotent=True, tag="batches", content_types=("application/json", "text/csv"),
       max_body=Settings.max_batch_body_bytes,
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


@route(app, "/v1/gift-batches/{batch_id}", summary="A batch's status and progress",
       scopes=("gifts:issue",), response=schemas.Batch, tag="batches")
def get_gift_batch(req: Req, batch_id: str) -> Reply:
    return Reply(batches.to_out(batches.get(req.principal.partner_id, batch_id)))


@route(app, "/v1/gift-batches/{batch_id}/gifts", summary="A batch's gifts, in item order",
       scopes=("gifts:issue",), response=schemas.BatchGiftPage, query=(LIMIT, CURSOR),
       tag="batches")
def list_gift_batch_gifts(req: Req, batch_id: str) -> Reply:
    items, nxt = batches.gifts_page(req.principal.partner_id, batch_id, req.limit, req.cursor,
                                    req.now)
    return Reply(schemas.BatchGiftPage(data=items, next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/gift-batches/{batch_id}/gifts.csv",
       summary="A completed batch's gifts as CSV, in item order", scopes=("gifts:issue",),
       produces="text/csv", tag="batches",
       errors=(When(errors.BatchProcessing, "the batch is not completed yet"),))
def export_gift_batch(req: Req, batch_id: str) -> Reply:
    text = batches.csv_export(req.principal.partner_id, batch_id)
    return Reply(text, content_type="text/csv; charset=utf-8",
                 headers={"Content-Disposition": f'attachment; filename="{batch_id}.csv"'})


JOBS = (batches.JOB, exports.JOB)
"""The background work the batch queue's consumer and the sweeper run (`jobs`)."""


@app.on_sqs_message(queue=BATCH_QUEUE, batch_size=1)
def process_gift_batches(event: SQSEvent) -> None:
    """Large batches and exports, in the background; a failure returns the message
    to the queue."""
    context = getattr(app, "lambda_context", None)
    left = context.get_remaining_time_in_millis() / 1000 if context else 25.0
    for record in event:
        jobs.handle_message(JOBS, record.body, max(1.0, left - 5.0))


@app.schedule("rate(5 minutes)")
def sweep_gift_batches(event: CloudWatchEvent) -> None:
    """Finish jobs whose queue message was lost (a crash between reserve and send)."""
    jobs.sweep(JOBS, max_seconds=20.0, min_age_seconds=120.0)


# ------------------------------------------------------------ events and webhooks

HOOKS = ("webhooks:manage",)
ENDPOINT_ERRORS = (When(errors.WebhookUrlNotAllowed,
                        "not https (deployed), or the host resolves to a private, loopback, "
                        "link-local or metadata address"),)


@route(app, "/v1/webhook-endpoints", "POST",
       summary="Add a webhook endpoint; its signing secret is in this answer only",
       scopes=HOOKS, body=schemas.WebhookEndpointCreate, response=schemas.WebhookEndpoint,
       status=201, tag="webhooks",
       errors=(*ENDPOINT_ERRORS, errors.TooManyWebhookEndpoints))
def create_webhook_endpoint(req: Req) -> Reply:
    return Reply(endpoints.create_endpoint(req.principal.partner_id, req.body, req.now), 201)


@route(app, "/v1/webhook-endpoints", summary="The partner's webhook endpoints (no secrets)",
       scopes=HOOKS, response=schemas.WebhookEndpointPage, tag="webhooks")
def list_webhook_endpoints(req: Req) -> Reply:
    return Reply(schemas.WebhookEndpointPage(
        data=endpoints.list_endpoints(req.principal.partner_id)))


@route(app, "/v1/webhook-endpoints/{endpoint_id}", summary="A webhook endpoint (no secret)",
       scopes=HOOKS, response=schemas.WebhookEndpoint, tag="webhooks")
def get_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.get_endpoint(req.principal.partner_id, endpoint_id))


@route(app, "/v1/webhook-endpoints/{endpoint_id}", "PATCH",
       summary="Change an endpoint's url, events, description or status (enable it again "
               "after it was disabled)", scopes=HOOKS, body=schemas.WebhookEndpointPatch,
       response=schemas.WebhookEndpoint, tag="webhooks", errors=ENDPOINT_ERRORS)
def patch_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.patch_endpoint(req.principal.partner_id, endpoint_id, req.body,
                                         req.now))


@route(app, "/v1/webhook-endpoints/{endpoint_id}", "DELETE", summary="Delete a webhook endpoint",
       scopes=HOOKS, status=204, tag="webhooks")
def delete_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    endpoints.delete_endpoint(req.principal.partner_id, endpoint_id)
    return Reply(None, 204)


@route(app, "/v1/webhook-endpoints/{endpoint_id}/rotate-secret", "POST",
       summary="A new signing secret (shown once); the previous one keeps signing beside it "
               "for 24 hours", scopes=HOOKS, response=schemas.WebhookSecretRotated,
       tag="webhooks", errors=(When(errors.Conflict, "changed meanwhile; rotate again"),))
def rotate_webhook_secret(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.rotate_secret(req.principal.partner_id, endpoint_id, req.now))


@route(app, "/v1/webhook-endpoints/{endpoint_id}/deliveries",
       summary="Delivery attempts to this endpoint, newest first (kept 30 days)",
       scopes=HOOKS, response=schemas.WebhookDeliveryPage, query=(LIMIT, CURSOR),
       tag="webhooks")
def list_webhook_deliveries(req: Req, endpoint_id: str) -> Reply:
    items, nxt = endpoints.list_deliveries(req.principal.partner_id, endpoint_id, req.limit,
                                          req.cursor)
    return Reply(schemas.WebhookDeliveryPage(data=items, next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/events", summary="Events of the last 30 days, newest first (poll instead of "
       "listening)", scopes=HOOKS, response=schemas.EventPage, tag="webhooks",
       query=(LIMIT, CURSOR,
              http.Param("type", "Only events of this type", {"type": "string",
                                                              "enum": list(events.TYPES)}),
              http.Param("campaign_id", "Only events of this campaign", {"type": "string"})))
def list_events(req: Req) -> Reply:
    items, nxt = events.list_page(req.principal.partner_id, req.query("type"),
                                  req.query("campaign_id"), req.limit, req.cursor)
    return Reply(schemas.EventPage(data=items, next_cursor=http.encode_cursor(nxt)))


@route(app, "/v1/events/{event_id}", summary="One event (kept 30 days)", scopes=HOOKS,
       response=schemas.Event, tag="webhooks")
def get_event(req: Req, event_id: str) -> Reply:
    return Reply(events.get(req.principal.partner_id, event_id))


@route(app, "/v1/events/{event_id}/redeliver", "POST",
       summary="Send an event again to every enabled endpoint subscribed to its type",
       scopes=HOOKS, response=schemas.Redelivery, status=202, tag="webhooks")
def redeliver_event(req: Req, event_id: str) -> Reply:
    return Reply(events.redeliver(req.principal.partner_id, event_id), 202)


# Deployed, infra/finalize.py points this function at the streams of every table in
# tables.STREAMED (the ARN below is a placeholder chalice needs at packaging time).
EVENTS_STREAM = os.environ.get(
    "EVENTS_STREAM_ARN",
    "arn:aws:dynamodb:us-east-1:000000000000:table/rewards-gifts/stream/placeholder")
WEBHOOK_QUEUE = os.environ.get("WEBHOOK_QUEUE_NAME", "rewards-webhooks")


@app.on_dynamodb_record(stream_arn=EVENTS_STREAM, batch_size=100,
                        starting_position="TRIM_HORIZON", name="events_from_streams")
def events_from_streams(event: DynamoDBEvent) -> None:
    """Turn changes of the money tables into events (idempotent per record)."""
    events.handle_records(event.to_dict().get("Records", []))


@app.on_sqs_message(queue=WEBHOOK_QUEUE, batch_size=1, name="deliver_webhooks")
def deliver_webhooks(event: SQSEvent) -> None:
    """One delivery attempt; failures are re-queued with backoff by the code itself,
    so an exception here means a bug and the message goes to the dead-letter queue."""
    for record in event:
        sending.process_message(record.body)


# -------------------------------------------------------------------- widget


@route(app, "/v1/widget/wheel.js", summary="The embeddable wheel widget (one script tag)",
       auth=None, produces="application/javascript", tag="widget", cors=True)
def widget_script(req: Req) -> Reply:
    content_type, text = assets.read("wheel.js")
    return Reply(text, content_type=content_type, headers={"Cache-Control": "public, max-age=300"})


@route(app, "/v1/widget/demo.html",
       summary="Demo page: ?token=<player token>[&lang=en][&slices=equal] (not on prod)",
       auth=None, produces="text/html", tag="widget")
def widget_demo(req: Req) -> Reply:
    content_type, text, headers = assets.demo("demo.html")
    return Reply(text, content_type=content_type, headers=headers)


@route(app, "/v1/widget/demo.js", summary="The demo page's script (not on prod)",
       auth=None, produces="application/javascript", tag="widget")
def widget_demo_script(req: Req) -> Reply:
    content_type, text, headers = assets.demo("demo.js")
    return Reply(text, content_type=content_type, headers=headers)


# ------------------------------------------------------------------- console
# The partner console: static files, no build step (console/README.md).


@route(app, "/v1/console", summary="The partner console (sign in with an API key)",
       auth=None, produces="text/html", tag="console")
def console_page(req: Req) -> Reply:
    content_type, text, headers = assets.console("index.html")
    return Reply(text, content_type=content_type, headers=headers)


@route(app, "/v1/console/console.css", summary="The console's style sheet", auth=None,
       produces="text/css", tag="console")
def console_style(req: Req) -> Reply:
    content_type, text, headers = assets.console("console.css")
    return Reply(text, content_type=content_type, headers=headers)


@route(app, "/v1/console/i18n.js", summary="The console's texts (Vietnamese, English)",
       auth=None, produces="application/javascript", tag="console")
def console_texts(req: Req) -> Reply:
    content_type, text, headers = assets.console("i18n.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(app, "/v1/console/charts.js", summary="The console's charts (SVG)", auth=None,
       produces="application/javascript", tag="console")
def console_charts(req: Req) -> Reply:
    content_type, text, headers = assets.console("charts.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(app, "/v1/console/console.js", summary="The console's script", auth=None,
       produces="application/javascript", tag="console")
def console_script(req: Req) -> Reply:
    content_type, text, headers = assets.console("console.js")
    return Reply(text, content_type=content_type, headers=headers)
