"""Scratch cards and lucky envelopes in a real browser, against `make run`'s stack:
scratch a card with the pointer, reveal one with the keyboard, open an envelope; the
play recorded through the API (the pick with it); axe-core finds no serious or
critical violation; the demo page's CSP holds. Screenshots go to tests/artifacts/
(docs/games-scratch.png and docs/games-envelope.png are copies).

Needs Debian's chromium and the playwright package, as test_widget_browser.py.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, call, running_stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(180),
]

LI_XI = {
    "segments": [
        {"id": "lx50", "label": "Lì xì 50.000đ", "weight": 1, "prize": {"amount": 50000},
         "labels": {"vi": "Lì xì 50.000đ", "en": "50,000đ lucky money"}},
        {"id": "none", "label": "Chúc mừng năm mới", "weight": 0, "prize": None,
         "labels": {"vi": "Chúc mừng năm mới", "en": "Happy New Year"}},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 5},
}


class Env:
    def __init__(self, stack: Any, key: dict[str, str], browser: Any) -> None:
        self.stack, self.key, self.browser = stack, key, browser

    def campaign(self, name: str, game: dict) -> dict:
        ends = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"name": name, "currency": "VND", "budget": 10_000_000, "ends_at": ends,
                "wheel": LI_XI, "game": game,
                "play_limits": {"per_device_per_minute": 30, "wins_per_device": 5}}
        status, _, raw = call("POST", f"{self.stack.base}/campaigns", body, headers=self.key)
        assert status == 201, raw
        return json.loads(raw)

    def token(self, campaign_id: str, player: str) -> str:
        status, _, raw = call("POST", f"{self.stack.base}/campaigns/{campaign_id}/player-tokens",
                              {"player_id": player}, headers=self.key)
        assert status == 201, raw
        return json.loads(raw)["token"]

    def spins(self, campaign_id: str) -> list[dict]:
        status, _, raw = call("GET", f"{self.stack.base}/campaigns/{campaign_id}/spins",
                              headers=self.key)
        assert status == 200, raw
        return json.loads(raw)["data"]

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
    with running_stack(state, prefix="rewards-gamestest") as stack, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        try:
            yield Env(stack, {"Authorization": f"Bearer {stack.demo()['key']}"}, browser)
        finally:
            browser.close()


def _axe(page: Any) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # not through the page's CSP
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def _ready(page: Any) -> None:
    page.wait_for_selector(".rw-root[data-rw-state=ready]", timeout=15_000)


def test_a_scratch_card_is_scratched_with_the_pointer_and_revealed_with_a_key(env: Env) -> None:
    campaign = env.campaign("Thẻ cào Tết", {"kind": "scratch"})
    token = env.token(campaign["id"], "zalo:84901230001")
    page = env.page(420, 900)
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=vi")
    _ready(page)
    assert page.locator(".rw-root").get_attribute("data-rw-game") == "scratch"
    assert page.locator("[data-rw=canvas]").is_hidden()
    assert _axe(page) == []
    # when the player takes a card and scratches it with the pointer
    page.locator("[data-rw=spin]").click()
    page.wait_for_selector(".rw-root[data-rw-state=scratching]", timeout=30_000)
    assert _axe(page) == []
    coat = page.locator("[data-rw=scratch-coat]")
    box = coat.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    for row in range(0, int(box["height"]), 14):
        page.mouse.move(box["x"] + 2, box["y"] + row, steps=2)
        page.mouse.move(box["x"] + box["width"] - 2, box["y"] + row, steps=8)
        if page.locator(".rw-root[data-rw-state=done]").count():
            break
    page.mouse.up()
    page.wait_for_selector(".rw-root[data-rw-state=done]", timeout=15_000)
    # then the prize under the coat is the play's, and its code is shown
    assert "50.000" in page.locator("[data-rw=scratch-prize]").inner_text()
    page.locator("[data-rw=code]").wait_for(state="visible", timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "games-scratch.png"), full_page=True)
    # and a keyboard player reveals the next card with Enter
    page.locator("[data-rw=spin]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".rw-root[data-rw-state=scratching]", timeout=30_000)
    assert page.evaluate("document.activeElement.dataset.rw") == "scratch-coat"
    page.keyboard.press("Enter")
    page.wait_for_selector(".rw-root[data-rw-state=done]", timeout=15_000)
    assert _axe(page) == []
    assert len(env.spins(campaign["id"])) == 2
    assert page.csp_violations == []
    page.close()


def test_an_envelope_is_opened_and_its_pick_recorded(env: Env) -> None:
    campaign = env.campaign("Lì xì Tết", {"kind": "envelope", "envelopes": 6})
    token = env.token(campaign["id"], "zalo:84901230002")
    page = env.page(420, 900)
    page.goto(f"{env.stack.base}/widget/demo.html?token={token}&lang=en")
    _ready(page)
    envelopes = page.locator("[data-rw=envelopes] button")
    assert envelopes.count() == 6
    assert page.locator("[data-rw=spin]").is_hidden()
    assert _axe(page) == []
    # when the player opens the fourth envelope
    envelopes.nth(3).click()
    page.wait_for_selector(".rw-root[data-rw-state=done]", timeout=30_000)
    # then it shows its prize, the code is given, and the play carries the pick
    assert "50,000" in envelopes.nth(3).inner_text()
    page.locator("[data-rw=code]").wait_for(state="visible", timeout=15_000)
    spins = env.spins(campaign["id"])
    assert [s["pick"] for s in spins] == [3]
    assert ":pick=3:" in spins[0]["client_seed"]
    assert _axe(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "games-envelope.png"), full_page=True)
    # a keyboard player opens another one
    envelopes.nth(0).focus()
    page.keyboard.press("Enter")
    page.locator("[data-rw-pick='0'].rw-env-open").wait_for(timeout=30_000)
    assert page.locator("[data-rw=envelopes] .rw-env-open").count() == 1
    assert sorted(s["pick"] for s in env.spins(campaign["id"])) == [0, 3]
    # in Vietnamese, the same envelopes, the opened one still showing its prize
    page.locator(".lang button[data-lang=vi]").click()
    assert envelopes.nth(1).inner_text() == "Bao lì xì 2"
    assert "Bao lì xì 1" in envelopes.nth(0).inner_text()
    assert _axe(page) == []
    assert page.csp_violations == []
    page.close()
