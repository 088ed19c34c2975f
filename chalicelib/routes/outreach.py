"""Delivery to the recipient, the channels' side: message templates and their
preview, the suppression list, the unsubscribe page every email links to, the
operator's Zalo settings, and the local outbox."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.core.config import settings
from chalicelib.edge.contract import Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.outreach import branding, outbox, pages, suppressions, templates, zalo
from chalicelib.schemas.outreach import PLACEHOLDER_NOTE

bp = Blueprint(__name__)

WRITE = ("campaigns:write",)
READ = ("campaigns:write", "campaigns:read")
TEMPLATE = "/v1/delivery/templates/{channel}/{locale}/{kind}"
NOT_A_TEMPLATE = When(errors.NotFound, "channel is not email|sms|zalo, locale not vi|en, or "
                                       "kind not gift|reminder")
REFUSED = When(errors.ValidationError,
               "a placeholder other than the five (named in the answer), a gift code asked "
               "for, no {{gift_url}}, or a field that does not apply to the channel")
HTML = "text/html; charset=utf-8"


@route(bp, TEMPLATE, summary="A message template: the partner's, or the default until it "
                             "sets one", scopes=READ, response=schemas.Template,
       tag="delivery", errors=(NOT_A_TEMPLATE,))
def get_template(req: Req, channel: str, locale: str, kind: str) -> Reply:
    return Reply(templates.get(req.principal.partner_id, channel, locale, kind))


@route(bp, TEMPLATE, "PUT", summary="Set a message template. " + PLACEHOLDER_NOTE,
       scopes=WRITE, body=schemas.TemplateBody, response=schemas.Template, tag="delivery",
       errors=(NOT_A_TEMPLATE, REFUSED))
def put_template(req: Req, channel: str, locale: str, kind: str) -> Reply:
    return Reply(templates.put(req.principal.partner_id, channel, locale, kind, req.body,
                               req.now))


@route(bp, TEMPLATE, "DELETE", summary="Go back to the default template", scopes=WRITE,
       response=schemas.Template, tag="delivery", errors=(NOT_A_TEMPLATE,))
def reset_template(req: Req, channel: str, locale: str, kind: str) -> Reply:
    return Reply(templates.reset(req.principal.partner_id, channel, locale, kind))


@route(bp, TEMPLATE + "/preview", "POST",
       summary="Render a template with sample values (or those given), as the recipient "
               "would get it: nothing is sent. An SMS says its encoding and segments",
       scopes=WRITE, body=schemas.PreviewRequest, response=schemas.Preview, tag="delivery",
       errors=(NOT_A_TEMPLATE, REFUSED))
def preview_template(req: Req, channel: str, locale: str, kind: str) -> Reply:
    return Reply(templates.preview(req.principal.partner_id, channel, locale, kind, req.body))


# ---------------------------------------------------------------- suppressions

SUPPRESSION = "/v1/delivery/suppressions/{contact}"
NOT_SUPPRESSED = When(errors.NotFound, "the contact is not on the partner's suppression list")


@route(bp, SUPPRESSION, summary="Whether a contact (an email or a phone, URL-encoded) is on "
                                "the partner's suppression list, and why",
       scopes=READ, response=schemas.Suppression, tag="delivery", errors=(NOT_SUPPRESSED,))
def get_suppression(req: Req, contact: str) -> Reply:
    return Reply(suppressions.get(req.principal.partner_id, contact))


@route(bp, SUPPRESSION, "PUT", summary="Put a contact on the suppression list by hand "
                                       "(reason `manual`): nothing more is sent to it",
       scopes=WRITE, response=schemas.Suppression, tag="delivery",
       other_success=((201, "added now"),))
def put_suppression(req: Req, contact: str) -> Reply:
    added = suppressions.add(req.principal.partner_id, contact, "manual", req.now)
    return Reply(suppressions.get(req.principal.partner_id, contact), 201 if added else 200)


@route(bp, SUPPRESSION, "DELETE", summary="Take a contact off the suppression list: later "
                                          "messages reach it again", scopes=WRITE, status=204,
       tag="delivery", errors=(NOT_SUPPRESSED,))
def delete_suppression(req: Req, contact: str) -> Reply:
    if not suppressions.remove(req.principal.partner_id, contact):
        raise errors.NotFound("This contact is not on the suppression list")
    return Reply(None, 204)


# ----------------------------------------------------------------- unsubscribe

BAD_LINK = When(errors.NotFound, "the link was altered or not made by this service")


@route(bp, "/u/{token}", summary="The unsubscribe page an email links to (no auth): asks "
                                 "before acting", auth=None, produces="text/html",
       tag="delivery", errors=(BAD_LINK,))
def unsubscribe_page(req: Req, token: str) -> Reply:
    partner_id, _ = suppressions.read_token(token)
    return Reply(pages.unsubscribe_form(branding.display_name(partner_id), f"/u/{token}"),
                 content_type=HTML, headers={"Content-Security-Policy": pages.PAGE_CSP,
                                             "X-Robots-Tag": "noindex"})


@route(bp, "/u/{token}", "POST", summary="Unsubscribe (the page's button, or a mail client's "
                                         "one-click List-Unsubscribe-Post, RFC 8058)",
       auth=None, produces="text/html", tag="delivery", errors=(BAD_LINK,),
       content_types=("application/x-www-form-urlencoded", "multipart/form-data",
                      "application/json", "text/plain"))
def unsubscribe(req: Req, token: str) -> Reply:
    partner_id = suppressions.unsubscribe(token, req.now)
    return Reply(pages.unsubscribed(branding.display_name(partner_id)), content_type=HTML,
                 headers={"Content-Security-Policy": pages.PAGE_CSP, "X-Robots-Tag": "noindex"})


# -------------------------------------------------------------------- operator

NO_PARTNER = When(errors.NotFound, "no such partner")


@route(bp, "/v1/admin/partners/{partner_id}/zalo", "PUT",
       summary="Set a partner's Zalo Official Account: its access token (stored sealed, "
               "never shown again) and ZNS template ids", auth="admin",
       body=schemas.ZaloSettings, response=schemas.ZaloStatus, tag="admin",
       errors=(NO_PARTNER,))
def put_zalo(req: Req, partner_id: str) -> Reply:
    return Reply(zalo.put(partner_id, req.body, req.now))


@route(bp, "/v1/admin/partners/{partner_id}/zalo",
       summary="A partner's Zalo settings, the token masked", auth="admin",
       response=schemas.ZaloStatus, tag="admin",
       errors=(When(errors.NotFound, "no Zalo account is set for the partner"),))
def get_zalo(req: Req, partner_id: str) -> Reply:
    return Reply(zalo.get(partner_id))


# ------------------------------------------------------------------- local only


@route(bp, "/v1/dev/outbox", summary="The local outbox: every message a local stack would "
                                     "have sent (404 on deployed stages)", auth=None,
       produces="text/html", tag="delivery",
       errors=(When(errors.NotFound, "on a deployed stage"),))
def dev_outbox(req: Req) -> Reply:
    if settings().stage in ("dev", "prod"):
        raise errors.NotFound("There is no outbox on a deployed stage")
    return Reply(pages.outbox(outbox.entries()), content_type=HTML,
                 headers={"Content-Security-Policy": pages.PAGE_CSP})
