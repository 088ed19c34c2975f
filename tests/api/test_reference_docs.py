"""The reference page (`GET /v1/docs`: Swagger UI, vendored, on the served document)
and a page for every problem type, so every problem's `type` resolves."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.helpers import assert_problem, header

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "reference" / "vendor"


def test_every_error_class_type_uri_answers_a_page_that_explains_it(api):
    from chalicelib.core import errors
    from chalicelib.edge import problems

    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, errors.DomainError)]
    assert len(classes) > 30
    for cls in classes:
        problem = (cls([{"field": "x", "message": "y"}]) if cls is errors.ValidationError
                   else cls()).problem()
        uri = problem["type"]
        assert uri == f"/v1/problems/{cls.code}"
        r = api.call("GET", uri)
        assert r.status_code == 200, (cls.__name__, r.body)
        assert header(r, "Content-Type").startswith("text/html")
        page = r.body.decode() if isinstance(r.body, bytes) else r.body
        assert f"<code>{cls.code}</code>" in page and f"HTTP {cls.status}" in page
        assert "<script" not in page
        assert "script-src" not in header(r, "Content-Security-Policy")
    index = api.call("GET", "/v1/problems")
    assert index.status_code == 200
    text = index.body.decode() if isinstance(index.body, bytes) else index.body
    assert set(re.findall(r'href="problems/([a-z_]+)"', text)) == set(problems.catalogue())


def test_a_problem_page_names_the_operations_that_answer_it(api):
    r = api.call("GET", "/v1/problems/insufficient_balance")
    page = r.body.decode() if isinstance(r.body, bytes) else r.body
    assert "POST /v1/gifts/{code}/redeem" in page
    assert "What to do" in page


def test_an_answer_in_the_wild_points_at_its_page(api):
    got = assert_problem(api.call("GET", "/v1/campaigns"), 401, "unauthorized")
    assert api.call("GET", got["type"]).status_code == 200


def test_an_unknown_problem_type_is_a_404_problem(api):
    assert_problem(api.call("GET", "/v1/problems/no_such_thing"), 404, "not_found")


def test_the_reference_page_runs_swagger_ui_from_this_origin_without_inline_script(api):
    r = api.call("GET", "/v1/docs")
    assert r.status_code == 200 and header(r, "Content-Type").startswith("text/html")
    page = r.body.decode() if isinstance(r.body, bytes) else r.body
    csp = header(r, "Content-Security-Policy")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page and " style=" not in page
    for src in re.findall(r'(?:src|href)="(docs/[^"]+)"', page):
        asset = api.call("GET", f"/v1/{src}")
        assert asset.status_code == 200, src


@pytest.mark.parametrize(("served", "vendored", "sha256"), [
    ("swagger-ui-bundle.js", "swagger-ui-bundle.js",
     "b164c5a22535e40dae08c00271674a67e437ec195098c55fcedf8ffac7ac3c88"),
    ("swagger-ui.css", "swagger-ui.css",
     "7eb9f5a125e4bc9b3f0b71869b66d1a3d7c501f972f53d44ef91c2ae6c5bda5e")])
def test_swagger_ui_is_served_as_vendored_with_its_licence(api, served, vendored, sha256):
    data = (VENDOR / vendored).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256
    assert sha256 in (VENDOR / "README.md").read_text()
    assert "Apache License" in (VENDOR / "swagger-ui.LICENSE").read_text()
    r = api.call("GET", f"/v1/docs/{served}")
    assert r.status_code == 200
    body = r.body if isinstance(r.body, bytes) else r.body.encode()
    assert hashlib.sha256(body).hexdigest() == sha256
    assert "max-age" in header(r, "Cache-Control")
    assert api.call("GET", "/v1/docs/swagger-ui.LICENSE").status_code == 404
