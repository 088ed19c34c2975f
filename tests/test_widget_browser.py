"""The embeddable wheel in a real browser: the demo page served by `make run`'s
stack, a spin, the won code shown, and that code checked through the API.

Needs Debian's chromium (`/usr/bin/chromium`) and the playwright package; where
either is missing the test is skipped with the reason (`make test` installs
chromium first when it can, see devtools/ensure_browser.sh).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.stack import ROOT, call, running_stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(120),
]

ALWAYS_WINS = {
    "segments": [
        {"id": "prize", "label": "20.000đ voucher", "weight": 1, "prize": {"amount": 20000}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 3},
}


def _launch(playwright):  # noqa: ANN001, ANN202
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync"])


def test_demo_page_spins_and_shows_a_code_that_exists(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (requirements-dev.txt)")
    with running_stack(tmp_path / "state", prefix="rewards-browsertest") as stack:
        # given a campaign whose wheel always pays, and a player token for it
        demo = stack.demo()
        key = {"Authorization": f"Bearer {demo['key']}"}
        ends = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, _, raw = call("POST", f"{stack.base}/campaigns", {
            "name": "Browser test", "currency": "VND", "budget": 1_000_000, "ends_at": ends,
            "wheel": ALWAYS_WINS}, headers=key)
        assert status == 201, raw
        campaign = json.loads(raw)
        status, _, raw = call("POST", f"{stack.base}/campaigns/{campaign['id']}/player-tokens",
                              {"player_id": "browser-player"}, headers=key)
        assert status == 201, raw
        token = json.loads(raw)["token"]

        with sync_api.sync_playwright() as p:
            browser = _launch(p)
            page = browser.new_page(viewport={"width": 420, "height": 900})
            # when the player opens the demo page and spins
            page.goto(f"{stack.base}/widget/demo.html?token={token}&lang=en")
            spin = page.locator("[data-rw=spin]")
            spin.wait_for(state="visible", timeout=15_000)
            page.wait_for_selector(".rw-root[data-rw-state=ready]", timeout=15_000)
            spin.click()
            page.wait_for_selector(".rw-root[data-rw-state=done]", timeout=30_000)
            shown = page.locator("[data-rw=code]").inner_text().strip()
            live = page.locator("[data-rw=live]").inner_text()
            spins_left = page.locator("[data-rw=spins-left]").inner_text().strip()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=True)
            browser.close()

        # then the code on screen is a real gift of that campaign, and it was announced
        assert shown and shown in live
        assert spins_left == "2"  # the server's count after the spin (limit 3)
        status, _, raw = call("GET", f"{stack.base}/gifts/{shown}", headers=key)
        assert status == 200, raw
        gift = json.loads(raw)
        assert gift["campaign_id"] == campaign["id"] and gift["amount"] == 20000
