"""The widget's files as the API serves them: the demo page's own CSP (a fresh nonce,
scripts from this origin only, no inline script), no demo on the prod stage, the
wheel view's time zone, and 429 `rate_limited` documented on every operation."""

from __future__ import annotations

import re

import pytest

from chalicelib.core import config
from tests.helpers import ROOT, assert_problem, header

WIDGET = ROOT / "widget"


def test_demo_page_sends_its_csp_with_a_fresh_nonce(api):
    first = api.call("GET", "/v1/widget/demo.html")
    second = api.call("GET", "/v1/widget/demo.html")
    assert first.status_code == 200
    csp = header(first, "Content-Security-Policy")
    assert csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]+)'", csp).group(1)
    body = first.body.decode()
    assert f'nonce="{nonce}"' in body and "__CSP_NONCE__" not in body
    assert header(second, "Content-Security-Policy") != csp  # one nonce per response
    assert header(first, "Cache-Control") == "no-store"
    assert header(first, "X-Content-Type-Options") == "nosniff"


def test_demo_page_has_no_inline_script_and_its_script_is_served(api):
    page = (WIDGET / "demo.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either
    js = api.call("GET", "/v1/widget/demo.js")
    assert js.status_code == 200
    assert header(js, "Content-Type").startswith("application/javascript")
    assert b"location.origin" in js.body


@pytest.mark.parametrize("path", ["/v1/widget/demo.html", "/v1/widget/demo.js"])
def test_demo_is_not_served_on_prod(api, monkeypatch, path):
    monkeypatch.setenv("STAGE", "prod")
    config.reset()
    try:
        assert_problem(api.call("GET", path), 404, "not_found")
        assert api.call("GET", "/v1/widget/wheel.js").status_code == 200  # partners embed it
    finally:
        monkeypatch.setenv("STAGE", "test")
        config.reset()


def test_wheel_view_names_the_campaigns_time_zone(api, partner):
    wheel = {"segments": [{"id": "a", "label": "A", "weight": 1, "prize": {"amount": 1000}},
                          {"id": "z", "label": "Z", "weight": 1, "prize": None}],
             "fallback_segment_id": "z"}
    c = api.campaign(partner["key"], wheel=wheel, timezone="Asia/Bangkok")
    token = api.call("POST", f"/v1/campaigns/{c['id']}/player-tokens",
                     {"player_id": "p1"}, key=partner["key"]).json_body["token"]
    view = api.call("GET", "/v1/play/wheel", headers={"Authorization": f"Bearer {token}"})
    assert view.status_code == 200, view.body
    assert view.json_body["timezone"] == "Asia/Bangkok"


def test_every_operation_documents_429_rate_limited(api):
    doc = api.call("GET", "/v1/openapi.json").json_body
    shared = doc["components"]["responses"]["RateLimited"]
    assert "rate_limited" in shared["description"] and "Retry-After" in shared["headers"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            answer = op["responses"].get("429")
            assert answer, f"{method.upper()} {path} does not document 429"
            if "$ref" not in answer:  # a route with its own 429 names throttling too
                assert "rate_limited" in answer["description"], (method, path)
                assert "Retry-After" in answer["headers"]
