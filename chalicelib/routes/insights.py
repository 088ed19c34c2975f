"""Reports, the lucky-draw papers and exports."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.core import errors
from chalicelib.edge import contract
from chalicelib.edge.contract import Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.insights import exports, lucky_draw, reports
from chalicelib.store.records import ExportModel

bp = Blueprint(__name__)


SERIES = (
    contract.Param("granularity", "Adds `series`: figures per local day or hour",
               {"type": "string", "enum": ["day", "hour"]}),
    contract.Param("from", "First period: a local date (YYYY-MM-DD) or a time with its offset; "
                       "default the campaign's start", {"type": "string"}),
    contract.Param("to", "Last period: a local date (included) or a time (excluded); default "
                     "now or the campaign's end. At most 31 days by hour, 400 by day (422)",
               {"type": "string"}))
UNMASK = contract.Param("unmask", "true: player ids (and the client seeds holding them) in "
                        "clear; needs a key holding `players:read` (403 "
                        "`insufficient_scope` without it). Default: masked",
                    {"type": "string", "enum": ["true", "false"]})
UNMASKED_EXPORT = When(errors.InsufficientScope,
                       "an export made with unmask=true, to a key without players:read")


@route(bp, "/v1/campaigns/{campaign_id}/report",
       summary="Exact campaign figures, in a bounded number of reads (with a time series "
               "when asked: one more Query per shard)",
       scopes=("reports:read",), response=schemas.Report, tag="reports", query=SERIES,
       errors=(When(errors.ValidationError, "granularity, from or to"),))
def campaign_report(req: Req, campaign_id: str) -> Reply:
    return Reply(reports.report(req.principal.partner_id, campaign_id, req.now,
                                req.query("granularity"), req.query("from"), req.query("to")))


@route(bp, "/v1/campaigns/{campaign_id}/report.csv",
       summary="The report's time series as CSV (granularity default day)",
       scopes=("reports:read",), produces="text/csv", tag="reports", query=SERIES)
def campaign_report_csv(req: Req, campaign_id: str) -> Reply:
    text = reports.series_csv(req.principal.partner_id, campaign_id, req.query("granularity"),
                              req.query("from"), req.query("to"), req.now)
    return Reply(text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{campaign_id}-series.csv"'})


@route(bp, "/v1/campaigns/{campaign_id}/prize-structure",
       summary="The prize structure of a lucky-draw dossier: prizes, quantities, values, "
               "odds, dates", scopes=("reports:read",), response=schemas.PrizeStructure,
       tag="reports", errors=(errors.CampaignHasNoWheel,))
def prize_structure(req: Req, campaign_id: str) -> Reply:
    return Reply(reports.prize_structure(req.principal.partner_id, campaign_id, req.now))


@route(bp, "/v1/campaigns/{campaign_id}/prize-structure.csv",
       summary="The prize structure as CSV", scopes=("reports:read",), produces="text/csv",
       tag="reports", errors=(errors.CampaignHasNoWheel,))
def prize_structure_csv(req: Req, campaign_id: str) -> Reply:
    text = reports.prize_structure_csv(req.principal.partner_id, campaign_id, req.now)
    return Reply(text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{campaign_id}-prizes.csv"'})


@route(bp, "/v1/campaigns/{campaign_id}/results-report",
       summary="Results of a lucky draw after its end: awarded, claimed, unclaimed, 50 % "
               "due to the state budget, deadline; ?format=html: printable (Vietnamese)",
       scopes=("reports:read",), response=schemas.ResultsReport, tag="reports",
       query=(contract.Param("format", "json (default) or html",
                         {"type": "string", "enum": ["json", "html"]}),),
       errors=(errors.CampaignNotEnded,))
def results_report(req: Req, campaign_id: str) -> Reply:
    r = lucky_draw.results(req.principal.partner_id, campaign_id, req.now)
    if req.query("format") == "html":
        return Reply(lucky_draw.html_page(r), content_type="text/html; charset=utf-8",
                     headers={"Content-Security-Policy": lucky_draw.CSP})
    return Reply(r)


@route(bp, "/v1/campaigns/{campaign_id}/exports", "POST",
       summary="Export a campaign's draw log, gifts or results as CSV, in the background "
               "(any size): 202, then poll GET /v1/exports/{export_id}",
       scopes=("reports:read",), body=schemas.ExportCreate, response=schemas.Export,
       status=202, tag="reports", query=(UNMASK,),
       errors=(When(errors.CampaignNotEnded, "a results export before the campaign ends"),
               errors.CampaignHasNoWheel,
               When(errors.InsufficientScope, "unmask=true without players:read")))
def create_export(req: Req, campaign_id: str) -> Reply:
    unmask = req.query("unmask") == "true"
    if unmask:
        auth.require_players_read(req.principal, "unmask=true (player ids in clear)")
    h = exports.create(req.principal.partner_id, campaign_id, req.body.kind, unmask, req.now)
    return Reply(exports.to_out(h), 202)


def _origin(req: Req) -> str:
    """Where this API answers, for links to itself: the local stack by its address;
    deployed, API Gateway's own domain with the stage in the path (a custom domain
    is assumed mapped at its root)."""
    host = req.headers.get("host", "")
    if host.startswith(("127.0.0.1", "localhost")):
        return f"http://{host}"
    if not host:
        return ""
    stage = f"/{req.stage}" if req.stage and host.endswith(".amazonaws.com") else ""
    return f"https://{host}{stage}"


def _readable(req: Req, h: ExportModel) -> ExportModel:
    """An export made with unmask=true holds player ids in clear: only a key that
    may see them reads it or its link (the same rule as when it was asked for)."""
    if h.unmask:
        auth.require_players_read(req.principal, "An export made with unmask=true")
    return h


@route(bp, "/v1/exports/{export_id}", summary="An export's status and, once completed, "
       "its download_url", scopes=("reports:read",), response=schemas.Export, tag="reports",
       errors=(UNMASKED_EXPORT,))
def get_export(req: Req, export_id: str) -> Reply:
    h = _readable(req, exports.get(req.principal.partner_id, export_id))
    return Reply(exports.to_out(h, _origin(req)))


FILE_OFFSET = contract.Param(
    "offset", "Where this answer starts in a sealed (unmask=true) export's file: as the "
    "previous answer's `Link: <…>; rel=\"next\"` names it. An unmasked export is answered "
    f"{exports.SERVE_BYTES // (1024 * 1024)} MiB of CSV at a time, whole rows each; a masked "
    "one whole", {"type": "string", "pattern": "^[0-9]{1,15}$"})


@route(bp, "/v1/exports/{export_id}/file",
       summary="A completed export's file as CSV (an unmasked export is stored sealed and "
               "opened here; a masked one is also at download_url, presigned S3, deployed)",
       scopes=("reports:read",), produces="text/csv", tag="reports", query=(FILE_OFFSET,),
       errors=(errors.ExportNotReady, UNMASKED_EXPORT,
               When(errors.InvalidCursor, "an offset the previous answer did not name")))
def export_file(req: Req, export_id: str) -> Reply:
    h = _readable(req, exports.get(req.principal.partner_id, export_id))
    raw = req.query("offset") or "0"
    if not raw.isascii() or not raw.isdigit() or len(raw) > 15:
        raise errors.InvalidCursor("`offset` is not a place in this export's file")
    piece = exports.read_file(h, int(raw))
    headers = {"Content-Disposition": f'attachment; filename="{h.id}-{h.kind}.csv"'}
    if piece.next_offset is not None:
        headers["Link"] = (f'<{_origin(req)}/v1/exports/{h.id}/file?offset='
                           f'{piece.next_offset}>; rel="next"')
    return Reply(piece.data, content_type="text/csv; charset=utf-8", headers=headers)
