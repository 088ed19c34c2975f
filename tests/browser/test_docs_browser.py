"""The API reference (`GET /v1/docs`: Swagger UI on the served OpenAPI document) and a
problem page in Chromium, on the `make run` stack: they render under their CSP (no
inline script) with no console error and no request to another origin.

Needs Debian's chromium and playwright, as the other browser tests; skipped with the
reason where either is missing. Writes tests/artifacts/docs-reference.png."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, call, running_stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(240),
]


def _watch(page: Any) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"console": [], "errors": [], "origins": [], "missing": []}
    page.on("response", lambda r: seen["missing"].append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["origins"].append(r.url.split("/")[2]))
    return seen


def test_the_reference_and_a_problem_page_render_under_their_csp(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with running_stack(tmp_path / "state", prefix="rewards-docstest") as stack, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            seen = _watch(page)
            page.goto(f"{stack.base}/docs")
            page.wait_for_selector(".swagger-ui .info .title")
            assert "Rewards API" in page.locator(".swagger-ui .info .title").inner_text()
            page.wait_for_selector(".swagger-ui .opblock-tag")
            assert page.locator(".swagger-ui .opblock-tag").count() >= 8  # the tags, folded
            # the webhooks: one per event type, from the document's `webhooks`
            page.get_by_text("gift.issued", exact=False).first.wait_for()
            # a tag unfolds and an operation opens (all script from this origin)
            page.locator(".swagger-ui .opblock-tag").first.click()
            page.locator(".swagger-ui .opblock-tag-section .opblock-summary").first.click()
            page.wait_for_selector(".swagger-ui .opblock-body")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "docs-reference.png"))

            # a problem's type, as an answer gives it, opens its page
            status, _, raw = call("GET", f"{stack.base}/campaigns")
            assert status == 401
            problem_type = json.loads(raw)["type"]
            page.goto(f"http://127.0.0.1:{stack.port}{problem_type}")
            page.wait_for_selector("main.problem h1")
            assert "unauthorized" in page.locator("main.problem").inner_text()
            assert page.evaluate(
                "getComputedStyle(document.querySelector('.rewards-docs-header'))"
                ".backgroundColor") == "rgb(27, 42, 58)"  # its style sheet loaded

            assert seen["missing"] == [], seen["missing"]
            assert seen["errors"] == [], seen["errors"]
            assert [m for m in seen["console"] if m.startswith("error")] == [], seen["console"]
            assert set(seen["origins"]) == {f"127.0.0.1:{stack.port}"}
        finally:
            browser.close()
