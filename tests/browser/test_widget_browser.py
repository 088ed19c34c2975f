"""The embeddable wheel in a real browser: the demo page served by `make run`'s
stack, a spin, the won code shown, and that code checked through the API; the won
code in view at 1200x900 without scrolling; a language switch that keeps the
result; the demo page's CSP holding (no violation) and refusing a foreign script.

Needs Debian's chromium (`/usr/bin/chromium`) and the playwright package; where
either is missing the test is skipped with the reason (`make test` installs
chromium first when it can, see devtools/ensure_browser.sh).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from tests.helpers import HANG, PATIENCE, ROOT, call, running_stack

WAIT_MS = int(PATIENCE * 1000)  # playwright counts in ms: a bound on failure only

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(HANG),  # a guard against a hang, not a bound on speed
]

ALWAYS_WINS = {
    "segments": [
        {"id": "prize", "label": "20.000đ voucher", "weight": 1, "prize": {"amount": 20000}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 3},
}

# What a partner in Vietnam configures: a rare top prize (1 %) and long labels.
TET_WHEEL = {
    "segments": [
        {"id": "top", "label": "Voucher 500.000đ", "weight": 1, "prize": {"amount": 500000}},
        {"id": "mid", "label": "Voucher 100.000đ", "weight": 9, "prize": {"amount": 100000}},
        {"id": "small", "label": "20.000đ voucher", "weight": 40, "prize": {"amount": 20000}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 50, "prize": None},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 5},
}


# The pictured wheel (docs/widget.png): labels per language, two of them on the left
# half of the wheel; a prize 9 times out of 10.
PICTURED = {
    "segments": [
        {"id": "small", "label": "20.000đ voucher", "weight": 45, "prize": {"amount": 20000},
         "labels": {"vi": "Voucher 20.000đ", "en": "20,000đ voucher"}},
        {"id": "mid", "label": "50.000đ voucher", "weight": 45, "prize": {"amount": 50000},
         "labels": {"vi": "Voucher 50.000đ", "en": "50,000đ voucher"}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 10, "prize": None,
         "labels": {"vi": "Chúc may mắn lần sau", "en": "Better luck next time"}},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 10},
}


class Env:
    def __init__(self, stack: Any, key: dict[str, str], sync_api: Any, browser: Any) -> None:
        self.stack, self.key, self.sync_api, self.browser = stack, key, sync_api, browser

    def campaign(self, name: str, wheel: dict, timezone: str | None = None) -> dict:
        ends = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"name": name, "currency": "VND", "budget": 10_000_000, "ends_at": ends,
                "wheel": wheel}
        if timezone:
            body["timezone"] = timezone
        status, _, raw = call("POST", f"{self.stack.base}/campaigns", body, headers=self.key)
        assert status == 201, raw
        return json.loads(raw)

    def token(self, campaign_id: str, player: str) -> str:
        status, _, raw = call("POST", f"{self.stack.base}/campaigns/{campaign_id}/player-tokens",
                              {"player_id": player}, headers=self.key)
        assert status == 201, raw
        return json.loads(raw)["token"]

    def page(self, width: int, height: int) -> Any:
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.csp_violations = []
        page.on("console", lambda m: page.csp_violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        return page


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (requirements-dev.txt)")
    state = tmp_path_factory.mktemp("browser") / "state"
    with running_stack(state, prefix="rewards-browsertest") as stack, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        try:
            yield Env(stack, {"Authorization": f"Bearer {stack.demo()['key']}"}, sync_api,
                      browser)
        finally:
            browser.close()


def _spin(page: Any) -> None:
    page.wait_for_selector(".rw-root[data-rw-state=ready]", timeout=WAIT_MS)
    page.locator("[data-rw=spin]").click()
    page.wait_for_selector(".rw-root[data-rw-state=done]", timeout=WAIT_MS)


def test_demo_page_spins_and_shows_a_code_that_exists(env: Env) -> None:
    # given a campaign whose wheel always pays, and a player token for it
    campaign = env.campaign("Browser test", ALWAYS_WINS)
    token = env.token(campaign["id"], "browser-player")
    page = env.page(420, 900)
    # when the player opens the demo page and spins
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=en")
    page.locator("[data-rw=spin]").wait_for(state="visible", timeout=WAIT_MS)
    _spin(page)
    shown = page.locator("[data-rw=code]").inner_text().strip()
    live = page.locator("[data-rw=live]").inner_text()
    spins_left = page.locator("[data-rw=spins-left]").inner_text().strip()
    zone = page.locator("[data-rw=expires]").get_attribute("data-rw-timezone")
    violations = page.csp_violations
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-en.png"), full_page=True)
    page.close()

    # then the code on screen is a real gift of that campaign, and it was announced
    assert shown and shown in live
    assert spins_left == "2"  # the server's count after the spin (limit 3)
    assert zone == "Asia/Ho_Chi_Minh"  # expiry in the campaign's (default) zone
    status, _, raw = call("GET", f"{env.stack.base}/gifts/{shown}", headers=env.key)
    assert status == 200, raw
    gift = json.loads(raw)
    assert gift["campaign_id"] == campaign["id"] and gift["amount"] == 20000
    assert violations == []


def test_won_code_is_in_view_at_1200x900_and_survives_a_language_switch(env: Env) -> None:
    # given a desktop browser and a campaign in Bangkok's zone whose wheel always pays
    campaign = env.campaign("Desktop", ALWAYS_WINS, timezone="Asia/Bangkok")
    token = env.token(campaign["id"], "desktop-player")
    page = env.page(1200, 900)
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=en")
    # when the player spins
    _spin(page)
    code = page.locator("[data-rw=code]")
    shown = code.inner_text().strip()
    # then the code is fully inside the first screen, with no scrolling
    box = code.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1200, box
    # and the expiry is shown in the campaign's zone, named
    expires = page.locator("[data-rw=expires]")
    assert expires.get_attribute("data-rw-timezone") == "Asia/Bangkok"
    assert "GMT+7" in expires.inner_text()
    english = page.locator("[data-rw=prize]").inner_text()

    # when the player switches to Vietnamese
    page.locator(".lang button[data-lang=vi]").click()
    # then the same result is still there, now in Vietnamese
    assert page.locator(".rw-root").get_attribute("data-rw-state") == "done"
    assert page.locator("[data-rw=result]").is_visible()
    assert page.locator("[data-rw=code]").inner_text().strip() == shown
    assert page.locator("[data-rw=prize]").inner_text() != english
    assert page.locator("[data-rw=prize]").inner_text().startswith("Bạn trúng")
    assert page.locator("[data-rw=spin]").inner_text().strip() == "Quay"
    assert page.locator("[data-rw=expires]").inner_text().startswith("Hạn sử dụng")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-1200x900.png"))
    # and back: still the same code
    page.locator(".lang button[data-lang=en]").click()
    assert page.locator("[data-rw=code]").inner_text().strip() == shown
    assert page.csp_violations == []
    page.close()


def test_the_pictured_page_is_whole_with_the_won_codes_qr(env: Env) -> None:
    """docs/widget.png (a copy of tests/artifacts/widget.png): the whole demo page in
    Vietnamese from its top, after a win, the code's QR loaded; and the page's icon is
    served, so the browser asks for no /favicon.ico."""
    campaign = env.campaign("Tết 2027", PICTURED)
    token = env.token(campaign["id"], "zalo:84901234567")
    page = env.page(420, 900)
    icons: list[tuple[str, int]] = []
    page.on("response", lambda r: icons.append((r.url, r.status)) if "favicon" in r.url
            else None)
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=vi")
    for _ in range(10):  # a prize 9 times out of 10: spin until one is won
        _spin(page)
        if page.locator("[data-rw=code]").count():
            break
    qr = page.locator("[data-rw=qr]")
    qr.wait_for(state="visible", timeout=WAIT_MS)
    assert qr.evaluate("i => i.complete && i.naturalWidth > 0")
    # the whole page in one viewport, so its fixed background covers all of it
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 420, "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=True)
    assert icons and all(url.endswith("/v1/favicon.svg") and status == 200
                         for url, status in icons), icons
    label = page.locator("[data-rw=canvas]").get_attribute("aria-label")
    assert "Chúc may mắn lần sau" in label and "Voucher 50.000đ" in label
    # in English, the English labels
    page.locator(".lang button[data-lang=en]").click()
    label = page.locator("[data-rw=canvas]").get_attribute("aria-label")
    assert "Better luck next time" in label and "Chúc" not in label, label
    assert page.csp_violations == []
    page.close()


def test_an_ended_campaign_is_shown_ended_with_no_spin_offered(env: Env) -> None:
    campaign = env.campaign("Ended", ALWAYS_WINS)
    token = env.token(campaign["id"], "late-player")  # minted while it ran
    status, _, raw = call("PATCH", f"{env.stack.base}/campaigns/{campaign['id']}",
                          {"status": "ended"}, headers=env.key)
    assert status == 200, raw
    page = env.page(420, 900)
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=en")
    page.wait_for_selector(".rw-root[data-rw-campaign=ended][data-rw-state=ready]",
                           timeout=WAIT_MS)
    button = page.locator("[data-rw=spin]")
    assert button.is_disabled() and button.inner_text().strip() == "Ended"
    assert "This campaign has ended" in page.locator("[data-rw=message]").inner_text()
    assert not page.locator(".rw-spins").is_visible()  # no "3 spins left"
    page.locator(".lang button[data-lang=vi]").click()
    assert button.inner_text().strip() == "Đã kết thúc"
    assert "Chương trình đã kết thúc" in page.locator("[data-rw=message]").inner_text()
    page.close()


def test_equal_slices_and_a_one_percent_prize_are_drawn_and_labelled(env: Env) -> None:
    campaign = env.campaign("Tet wheel", TET_WHEEL)
    token = env.token(campaign["id"], "tet-player")
    shots = {}
    for layout in ("proportional", "equal"):
        page = env.page(1200, 900)
        page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=vi&slices={layout}")
        page.wait_for_selector(".rw-root[data-rw-state=ready]", timeout=WAIT_MS)
        note = page.locator("[data-rw=slices-note]")
        # the real odds stay in the table whatever the drawing
        rows = page.locator("[data-rw=odds] tbody tr")
        assert rows.count() == 4
        assert page.locator("[data-rw=odds] tr[data-rw-segment=top] td").nth(1) \
            .inner_text().strip() == "1%"
        assert note.is_visible()  # the drawing is not to scale: say so
        shots[layout] = ARTIFACTS / f"widget-{layout}.png"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".rw-root").screenshot(path=str(shots[layout]))
        assert page.csp_violations == []
        page.close()


def test_demo_page_refuses_a_script_from_another_origin(env: Env) -> None:
    campaign = env.campaign("Foreign api", ALWAYS_WINS)
    token = env.token(campaign["id"], "foreign-player")
    page = env.page(420, 900)
    evil = "data:text/javascript,window.pwned=1//"
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&api={quote(evil)}")
    # the widget still comes from the page's own origin, and the foreign one never runs
    page.wait_for_selector(".rw-root[data-rw-state=ready]", timeout=WAIT_MS)
    assert page.evaluate("window.pwned") is None
    assert page.locator("[role=alert]").first.inner_text().endswith(evil)
    sources = page.evaluate("Array.from(document.scripts).map(s => s.src)")
    assert all(s.startswith(env.stack.base.removesuffix("/v1")) for s in sources), sources
    page.close()
