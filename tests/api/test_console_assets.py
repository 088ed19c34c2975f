"""The partner console's files as the API serves them: the page's strict CSP (scripts,
styles and connections from this origin only, never framed, never cached), only the
listed files, each with its own type, and sources that keep the console's promises
(no inline script or handler, no eval, the key only in sessionStorage and headers)."""

from __future__ import annotations

import pytest

from chalicelib.core import config
from chalicelib.edge import assets
from tests.helpers import ROOT, assert_problem, header

CONSOLE = ROOT / "console"

FILES = {"/v1/console": "text/html", "/v1/console/console.css": "text/css",
         "/v1/console/i18n.js": "application/javascript",
         "/v1/console/charts.js": "application/javascript",
         "/v1/console/console.js": "application/javascript"}


def test_console_page_has_a_strict_csp_and_is_never_cached(api):
    page = api.call("GET", "/v1/console")
    assert page.status_code == 200
    csp = header(page, "Content-Security-Policy")
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                      "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert header(page, "Cache-Control") == "no-store"
    assert header(page, "X-Content-Type-Options") == "nosniff"
    assert header(page, "Referrer-Policy") == "no-referrer"


@pytest.mark.parametrize(("path", "kind"), sorted(FILES.items()))
def test_each_console_file_is_served_with_its_type(api, path, kind):
    answer = api.call("GET", path)
    assert answer.status_code == 200
    assert header(answer, "Content-Type").startswith(kind)
    assert header(answer, "Content-Security-Policy") == assets.CONSOLE_CSP


@pytest.mark.parametrize("path", ["/v1/console/../app.py", "/v1/console/vendor",
                                  "/v1/console/README.md", "/v1/console/index.html"])
def test_files_outside_the_list_are_not_found(api, path):
    answer = api.call("GET", path)
    assert answer.status_code in (403, 404)  # unrouted paths: the gateway's own answer
    if answer.status_code == 404:
        assert_problem(answer, 404, "not_found")


def test_console_is_served_on_prod_too(api, monkeypatch):
    monkeypatch.setenv("STAGE", "prod")
    config.reset()
    try:
        assert api.call("GET", "/v1/console").status_code == 200
    finally:
        monkeypatch.setenv("STAGE", "test")
        config.reset()




def test_every_page_links_the_icon_the_api_serves(api, partner, later):
    """A page without an icon link makes the browser ask the origin for /favicon.ico,
    a 404; each page links /v1/favicon.svg relative to itself (a stage prefix kept)."""
    import re
    from datetime import timedelta
    from urllib.parse import urljoin

    icon = api.call("GET", "/v1/favicon.svg")
    assert icon.status_code == 200 and header(icon, "Content-Type").startswith("image/svg+xml")
    assert icon.body.decode().startswith("<svg") and "<script" not in icon.body.decode()
    assert "default-src 'none'" in header(icon, "Content-Security-Policy")
    c = api.campaign(partner["key"])
    later(timedelta(days=31))  # ended: its results page exists
    pages = ["/v1/console", "/v1/widget/demo.html",
             f"/v1/campaigns/{c['id']}/results-report?format=html"]
    for path in pages:
        answer = api.call("GET", path, key=partner["key"])
        assert answer.status_code == 200, (path, answer.body)
        links = re.findall(r'<link rel="icon" href="([^"]+)"', answer.body.decode())
        assert len(links) == 1, path
        assert urljoin(f"https://api.test/prod{path}", links[0]) == \
            "https://api.test/prod/v1/favicon.svg", (path, links)
        csp = header(answer, "Content-Security-Policy")
        assert "img-src 'self'" in csp, (path, csp)
