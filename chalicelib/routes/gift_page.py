"""The hosted gift page: what a gift's recipient opens (`gift_url`). No auth: the
link's token is the credential (money.gift_links)."""

from __future__ import annotations

import secrets

from chalice import Blueprint

from chalicelib.core import errors
from chalicelib.edge.contract import Param, Reply, Req, When
from chalicelib.edge.http import route
from chalicelib.outreach import gift_page

bp = Blueprint(__name__)

HTML = "text/html; charset=utf-8"
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow",
           "Referrer-Policy": "no-referrer"}
"""Every answer of the page, found or not: never cached (the code is on it), never
indexed, and no address of it sent on (the token is in it)."""


@route(bp, "/g/{token}", summary=(
    "A gift's hosted page (the `gift_url` of a gift): HTML for its recipient, "
    "Vietnamese or English; 404 HTML for a wrong or replaced link"),
       auth=None, produces="text/html", tag="gift page",
       query=(Param("lang", "The page's language (default: the campaign's "
                    "`delivery.locale`, else `vi`)", {"type": "string", "enum": ["vi", "en"]}),),
       errors=(When(errors.NotFound, "an HTML page, with the same headers: the link is "
                    "wrong, or was replaced (`POST /v1/gifts/{code}/link-rotations`)"),),
       pages=(404,))
def gift_page_view(req: Req, token: str) -> Reply:
    nonce = secrets.token_urlsafe(18)
    asked = req.query("lang")
    try:
        page = gift_page.load(token, req.now)
    except errors.NotFound:
        lang = gift_page.language(asked, "vi")
        return Reply(gift_page.not_found(lang, nonce), 404, content_type=HTML, headers={
            **HEADERS, "Content-Language": lang,
            "Content-Security-Policy": gift_page.policy(nonce, None)})
    lang = gift_page.language(asked, page.locale)
    return Reply(gift_page.render(page, lang, nonce), content_type=HTML, headers={
        **HEADERS, "Content-Language": lang,
        "Content-Security-Policy": gift_page.policy(nonce, page.brand)})
