"""The embeddable widget's and the partner console's static files."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.edge import assets
from chalicelib.edge.contract import Reply, Req
from chalicelib.edge.http import route

bp = Blueprint(__name__)


@route(bp, "/v1/widget/wheel.js", summary="The embeddable wheel widget (one script tag)",
       auth=None, produces="application/javascript", tag="widget", cors=True)
def widget_script(req: Req) -> Reply:
    content_type, text = assets.read("wheel.js")
    return Reply(text, content_type=content_type, headers={"Cache-Control": "public, max-age=300"})


@route(bp, "/v1/widget/demo.html",
       summary="Demo page: ?token=<player token>[&lang=en][&slices=equal] (not on prod)",
       auth=None, produces="text/html", tag="widget")
def widget_demo(req: Req) -> Reply:
    content_type, text, headers = assets.demo("demo.html")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/widget/demo.js", summary="The demo page's script (not on prod)",
       auth=None, produces="application/javascript", tag="widget")
def widget_demo_script(req: Req) -> Reply:
    content_type, text, headers = assets.demo("demo.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/favicon.svg", summary="The icon of the console, the widget demo and the "
       "results report", auth=None, produces="image/svg+xml", tag="widget")
def favicon(req: Req) -> Reply:
    content_type, text, headers = assets.icon()
    return Reply(text, content_type=content_type, headers=headers)


# The partner console: static files, no build step (console/README.md).


@route(bp, "/v1/console", summary="The partner console (sign in with an API key)",
       auth=None, produces="text/html", tag="console")
def console_page(req: Req) -> Reply:
    content_type, text, headers = assets.console("index.html")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/console/console.css", summary="The console's style sheet", auth=None,
       produces="text/css", tag="console")
def console_style(req: Req) -> Reply:
    content_type, text, headers = assets.console("console.css")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/console/i18n.js", summary="The console's texts (Vietnamese, English)",
       auth=None, produces="application/javascript", tag="console")
def console_texts(req: Req) -> Reply:
    content_type, text, headers = assets.console("i18n.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/console/charts.js", summary="The console's charts (SVG)", auth=None,
       produces="application/javascript", tag="console")
def console_charts(req: Req) -> Reply:
    content_type, text, headers = assets.console("charts.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/console/console.js", summary="The console's script", auth=None,
       produces="application/javascript", tag="console")
def console_script(req: Req) -> Reply:
    content_type, text, headers = assets.console("console.js")
    return Reply(text, content_type=content_type, headers=headers)
