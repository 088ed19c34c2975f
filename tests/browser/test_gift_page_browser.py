"""The hosted gift page in Chromium on a phone-sized screen: an active, a partly used,
a voided and an expired gift, each as its recipient sees it. The browser is served the
API's real answers (body and headers, CSP included) by the in-process app on moto
(as the API tier runs it), through Playwright's request routing: the expired gift
needs the service's clock moved, which a `make run` stack cannot do. Checked: no CSP
violation and no script at all, no request but the page and the partner's logo, no
sideways scrolling, and axe-core finds no serious or critical violation.

Screenshots: giftpage-{active,partly-used,voided,expired}.png in tests/artifacts, or in
docs/images with UPDATE_DOC_IMAGES=1 (shown in docs/delivery-giftpage.md).

Needs Debian's chromium and the playwright package; skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import ADMIN, HANG, PATIENCE, ROOT, screenshot_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DOC_IMAGES = ROOT / "docs" / "images"
ORIGIN = "http://gifts.test"
LOGO = "https://cdn.example.test/logo.svg"
LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40" viewBox="0 0 96 40">'
            '<rect width="96" height="40" rx="6" fill="#C8102E"/><text x="48" y="27" '
            'font-family="Arial" font-size="18" font-weight="700" fill="#fff" '
            'text-anchor="middle">PHỞ</text></svg>')
WAIT_MS = int(PATIENCE * 1000)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(HANG),
]


class Site:
    """The app on moto, its API, and the gifts in their four states."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.gifts: dict[str, dict] = {}

    def call(self, method: str, path: str, body: Any = None, key: str | None = None,
             headers: dict[str, str] | None = None) -> Any:
        h = dict(headers or {})
        if key:
            h["Authorization"] = f"Bearer {key}"
            h["Idempotency-Key"] = str(uuid.uuid4())
        if body is not None:
            h["Content-Type"] = "application/json"
        r = getattr(self.client.http, method.lower())(
            path, headers=h, body=json.dumps(body) if body is not None else None)
        assert r.status_code < 300, (path, r.body[:300])
        return r.json_body

    def serve(self, route: Any) -> None:
        """A request of the browser: the gift pages from the app, the logo from here."""
        url = route.request.url
        if url.startswith(LOGO):
            route.fulfill(status=200, body=LOGO_SVG, headers={"Content-Type": "image/svg+xml"})
            return
        if not url.startswith(ORIGIN):
            route.abort()
            return
        parts = urlsplit(url)
        r = self.client.http.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        route.fulfill(status=r.status_code, body=r.body,
                      headers={k: v for k, v in r.headers.items()})


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.core import config
    from chalicelib.store import tables
    from devtools.serve import patch_local_gateway
    from tests.helpers import clear_caches

    mp = pytest.MonkeyPatch()
    mp.setenv("GIFT_PAGE_BASE_URL", ORIGIN)
    with mock_aws():
        config.reset()
        tables.bind()
        tables.create_tables()
        clear_caches()
        from app import app

        patch_local_gateway()
        with Client(app) as client:
            yield Site(client)
    mp.undo()
    config.reset()


def make_gifts(site: Site) -> None:
    partner = site.call("POST", "/v1/admin/partners", {"name": "Pho Ngon"}, headers=ADMIN)
    key = site.call("POST", f"/v1/admin/partners/{partner['id']}/api-keys", {},
                    headers=ADMIN)["key"]
    site.call("PUT", "/v1/delivery/branding", {
        "display_name": "Phở Ngon 24", "logo_url": LOGO, "colour": "#C8102E"}, key=key)
    ends = (datetime.now(UTC) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    c = site.call("POST", "/v1/campaigns", {
        "name": "Tết 2027", "currency": "VND", "budget": 10_000_000, "ends_at": ends,
        "timezone": "Asia/Ho_Chi_Minh", "gift_expiry_days": 30,
        "delivery": {"channels": [], "locale": "vi", "where_to_use": (
            "Mọi cửa hàng Phở Ngon 24 tại TP.HCM và Hà Nội.\n"
            "Đưa mã QR cho thu ngân trước khi thanh toán.")}}, key=key)
    issue = lambda amount: site.call(  # noqa: E731
        "POST", f"/v1/campaigns/{c['id']}/gifts", {"amount": amount}, key=key)
    site.gifts["active"] = issue(200_000)
    partly = issue(200_000)
    site.call("POST", f"/v1/gifts/{partly['code']}/redeem",
              {"amount": 45_000, "location": "Phở Ngon 24 – Quận 1"}, key=key)
    site.call("POST", f"/v1/gifts/{partly['code']}/redeem",
              {"amount": 30_000, "location": "Phở Ngon 24 – Hoàn Kiếm"}, key=key)
    site.gifts["partly-used"] = partly
    voided = issue(100_000)
    site.call("POST", f"/v1/gifts/{voided['code']}/void", {}, key=key)
    site.gifts["voided"] = voided
    site.gifts["expired"] = issue(50_000)


def _axe(page: Any) -> list[dict]:
    """axe-core's serious and critical violations (run over the DevTools protocol, so
    the page's CSP, which runs no script, does not apply to it)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_the_gift_page_in_its_four_states_on_a_phone(site: Site, monkeypatch) -> None:
    from playwright.sync_api import sync_playwright

    from chalicelib.core import clock

    make_gifts(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"])
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          device_scale_factor=2, is_mobile=True)
            context.route("**/*", site.serve)
            for state, gift in site.gifts.items():
                if state == "expired":  # the whole service lives 40 days on
                    monkeypatch.setattr(clock, "source",
                                        lambda: datetime.now(UTC) + timedelta(days=40))
                page = context.new_page()
                page.set_default_timeout(WAIT_MS)
                messages: list[str] = []
                requests: list[str] = []
                page.on("console", lambda m, into=messages: into.append(m.text))
                page.on("request", lambda r, into=requests: into.append(r.url))
                answer = page.goto(gift["gift_url"])
                assert answer is not None and answer.status == 200, state
                assert answer.headers["cache-control"] == "no-store"
                assert answer.headers["x-robots-tag"] == "noindex, nofollow"
                body = page.content()
                usable = state in ("active", "partly-used")
                assert (gift["code"] in body) is usable, state
                assert (page.locator(".qr svg").count() == 1) is usable, state
                assert page.evaluate("document.scripts.length") == 0
                assert page.evaluate(
                    "document.documentElement.scrollWidth <= window.innerWidth"), state
                assert [r for r in requests if not r.startswith((ORIGIN, LOGO))] == []
                assert not [m for m in messages if "Content Security Policy" in m], messages
                page.screenshot(path=str(screenshot_folder(DOC_IMAGES) / f"giftpage-{state}.png"),
                                full_page=True)
                english = page.goto(gift["gift_url"] + "?lang=en")
                assert english is not None and english.status == 200
                assert page.locator("html").get_attribute("lang") == "en"
                assert _axe(page) == [], state
                page.goto(gift["gift_url"])
                assert _axe(page) == [], state
                page.close()
        finally:
            browser.close()
