"""The partner console in a real browser, against the real `make run` stack
(devtools/serve.py as a process, like the widget's browser test): a marketer signs
in with the demo key, creates a campaign with a wheel (odds shown live), tops it up,
issues a gift, bulk-issues a 120-row CSV and downloads the codes, looks a code up
and voids it, sees the charts drawn from the report, and pauses the campaign. Each
step is checked through the API too (urllib, same stack). Also: no CSP violation,
the key never in a URL nor sent elsewhere, axe-core finds no serious or critical
accessibility violation, and a phone-sized screen needs no sideways scrolling.

Screenshots go to tests/artifacts/console-*.png (the README's docs/console-*.png
are copies of them).

Needs Debian's chromium and the playwright package; skipped with the reason
otherwise (see devtools/ensure_browser.sh).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.helpers import HANG, PATIENCE, ROOT, call, running_stack

WAIT_MS = int(PATIENCE * 1000)  # playwright counts in ms: a bound on failure only

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: install "
                       "Debian's chromium (apt-get install chromium) to run the browser test"),
    pytest.mark.timeout(HANG),  # a guard against a hang, not a bound on speed
]


class Env:
    def __init__(self, stack: Any, browser: Any, tmp: Path) -> None:
        self.stack, self.browser, self.tmp = stack, browser, tmp
        self.key = stack.demo()["key"]
        self.auth = {"Authorization": f"Bearer {self.key}"}
        self.origin = stack.base.removesuffix("/v1")
        self.console = f"{stack.base}/console"

    def get(self, path: str) -> dict:
        status, _, raw = call("GET", f"{self.stack.base}{path}", headers=self.auth)
        assert status == 200, (path, raw[:300])
        return json.loads(raw)

    def page(self, width: int = 1280, height: int = 900) -> Any:
        page = self.browser.new_page(viewport={"width": width, "height": height},
                                     accept_downloads=True)
        page.set_default_timeout(WAIT_MS)
        page.csp_violations, page.errors, page.requests = [], [], []
        page.on("console", lambda m: page.csp_violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r))
        return page

    def sign_in(self, page: Any, lang: str = "en") -> None:
        page.goto(self.console)
        page.locator(f".lang button[data-lang={lang}]").click()
        page.locator("[data-field=api-key]").fill(self.key)
        page.locator("form button[type=submit]").click()
        page.wait_for_selector("[data-list=campaigns] tbody tr")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (requirements-dev.txt)")
    tmp = tmp_path_factory.mktemp("console")
    with running_stack(tmp / "state", prefix="rewards-consoletest") as stack, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        try:
            yield Env(stack, browser, tmp)
        finally:
            browser.close()


def _shot(page: Any, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=full)


def _axe(page: Any) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # evaluated through the DevTools protocol: the page's CSP does not apply to it,
        # and nothing is added to the page's own scripts
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def _spin(env: Env, campaign_id: str, players: int, spins: int) -> None:
    for n in range(players):
        status, _, raw = call("POST", f"{env.stack.base}/campaigns/{campaign_id}/player-tokens",
                              {"player_id": f"console-player-{n}"}, headers=env.auth)
        assert status == 201, raw
        token = json.loads(raw)["token"]
        for _ in range(spins):
            status, _, raw = call("POST", f"{env.stack.base}/play/spins", {},
                                  headers={"Authorization": f"Bearer {token}",
                                           "Idempotency-Key": str(uuid.uuid4())})
            assert status == 201, raw


def _money_posts(page: Any, fragment: str) -> list[Any]:
    return [r for r in page.requests if r.method == "POST" and fragment in r.url]


def test_a_marketer_runs_a_campaign_from_the_console(env: Env) -> None:
    page = env.page()
    # sign in with the key make run prints; it stays in this tab's session storage
    env.sign_in(page)
    assert page.evaluate("sessionStorage.getItem('rewards.console.key')") == env.key
    assert env.key not in json.dumps(page.evaluate("Object.assign({}, localStorage)"))
    _shot(page, "campaigns")

    # create a campaign with a wheel: the odds follow the weights as they are typed
    page.locator("a[href='#/campaigns/new']").click()
    page.wait_for_selector("[data-form=new-campaign]")
    page.locator("[data-field=name]").fill("Console Tet 2027")
    page.locator("[data-field=budget]").fill("1000000")
    # the end, typed on the campaign's clock (Asia/Ho_Chi_Minh), whatever the browser's
    hint = page.locator("[data-field=ends_at]").get_attribute("aria-describedby")
    assert "Asia/Ho_Chi_Minh" in page.locator(f"[id='{hint}']").inner_text()
    page.locator("[data-field=ends_at]").fill("2030-12-31T23:59")
    segments = page.locator("[data-list=segments] > li")
    assert segments.count() == 3
    assert segments.nth(0).locator("[data-seg=odds]").inner_text() == "1%"
    segments.nth(1).locator("[data-seg=weight]").fill("30")
    assert segments.nth(0).locator("[data-seg=odds]").inner_text() == "0.91%"  # 1/110
    page.locator("[data-form=wheel] button.secondary").click()  # add a segment
    added = segments.nth(3)
    added.locator("[data-seg=label]").fill("Voucher 50.000đ")
    added.locator("[data-seg=weight]").fill("10")
    added.locator("[data-seg=prize]").fill("50000")
    added.locator("[data-seg=stock]").fill("5")
    assert added.locator("[data-seg=odds]").inner_text() == "8.33%"  # 10/120
    assert "Total weight 120" in page.locator("[data-field=odds-summary]").inner_text()
    page.locator("[data-field=spins_per_player_per_day]").fill("3")
    _shot(page, "new-campaign")
    page.locator("[data-form=new-campaign] > button[type=submit]").click()
    page.wait_for_url(re.compile(r"#/campaigns/cmp_"))
    campaign_id = page.url.rsplit("/", 1)[1]
    page.wait_for_selector("[data-report=ready]")
    # ... and the API has it, wheel and all
    campaign = env.get(f"/campaigns/{campaign_id}")
    assert campaign["name"] == "Console Tet 2027" and campaign["status"] == "active"
    assert campaign["budget"]["total"] == 1_000_000
    assert (campaign["ends_at"], campaign["timezone"]) == ("2030-12-31T16:59:00Z",
                                                           "Asia/Ho_Chi_Minh")
    wheel = campaign["wheel"]
    assert [s["weight"] for s in wheel["segments"]] == [1, 30, 79, 10]
    assert [(s["prize"] or {}).get("amount") for s in wheel["segments"]] == [
        100000, 20000, None, 50000]
    assert [s.get("inventory") for s in wheel["segments"]] == [10, None, None, 5]
    assert wheel["fallback_segment_id"] == wheel["segments"][2]["id"]
    assert wheel["limits"] == {"spins_per_player": 10, "spins_per_player_per_day": 3}

    # top up: the gauge's figures follow, and the POST carried an Idempotency-Key
    page.locator("[data-field=topup]").fill("5000000")
    page.locator("[data-action=topup]").click()
    total = page.locator("[data-fact=total] dd")
    total.filter(has_text="6,000,000").wait_for()
    assert env.get(f"/campaigns/{campaign_id}")["budget"]["total"] == 6_000_000
    (topup,) = _money_posts(page, "/budget-topups")
    assert UUID.match(topup.headers["idempotency-key"])

    # issue one gift from the campaign's page
    page.locator(f"a[href='#/gifts/{campaign_id}']").click()
    page.wait_for_selector(f"[data-field=campaign] option[value='{campaign_id}']", state="attached")
    assert page.locator("[data-field=campaign]").input_value() == campaign_id
    page.locator("[data-field=gift-amount]").fill("50000")
    page.locator("[data-field=gift-reference]").fill("crm-123")
    page.locator("[data-form=issue] button[type=submit]").click()
    code = page.locator("[data-gift-code]").get_attribute("data-gift-code")
    gift = env.get(f"/gifts/{code}")
    assert gift["campaign_id"] == campaign_id and gift["amount"] == 50000
    assert gift["recipient"]["reference"] == "crm-123"
    assert UUID.match(_money_posts(page, "/gifts")[0].headers["idempotency-key"])

    # bulk: a 120-row CSV, with progress, then the codes downloaded as a file
    rows = ["amount,reference,phone,email"] + [f"1000,row-{i}" + ",," for i in range(120)]
    upload = env.tmp / "gifts-120.csv"
    upload.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.locator("[data-field=csv]").set_input_files(str(upload))
    page.locator("[data-field=csv-preview]").filter(has_text="120 gifts").wait_for()
    page.locator("[data-form=bulk] button[type=submit]").click()
    download_button = page.locator("[data-action=download-codes]")
    download_button.wait_for()
    assert page.locator("[data-field=batch-progress]").evaluate("p => p.value / p.max") == 1
    assert "120" in page.locator("[data-field=batch-status]").inner_text()
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    batch_id = download.suggested_filename.removesuffix("-gifts.csv")
    assert batch_id.startswith("bat_"), download.suggested_filename
    saved = env.tmp / "codes.csv"
    download.save_as(str(saved))
    table = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert len(table) == 120
    codes = {r["code"] for r in table}
    assert len(codes) == 120
    (batch_post,) = _money_posts(page, "/gift-batches")
    assert batch_post.headers["content-type"].startswith("text/csv")
    assert UUID.match(batch_post.headers["idempotency-key"])
    batch = env.get(f"/gift-batches/{batch_id}")
    assert (batch["status"], batch["count"], batch["total_amount"]) == ("completed", 120, 120_000)
    assert env.get(f"/gifts/{table[0]['code']}")["campaign_id"] == campaign_id
    _shot(page, "gifts")

    # look the single gift up, then void it
    page.locator("[data-field=lookup-code]").fill(code.lower().replace("-", " "))
    page.locator("[data-form=lookup] button[type=submit]").click()
    page.locator(f"[data-gift='{code}']").wait_for()
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-action=void]").click()
    page.locator("[data-field=lookup-result] .badge[data-status=voided]").wait_for()
    assert env.get(f"/gifts/{code}")["status"] == "voided"
    # a voided gift names its campaign, says its balance is gone, and has no QR to scan
    result = page.locator("[data-field=lookup-result]")
    assert result.locator("[data-field=gift-campaign]").inner_text() == "Console Tet 2027"
    assert "voided" in result.locator("[data-fact=balance] dd").inner_text()
    assert result.locator("[data-section=qr]").count() == 0
    assert UUID.match(_money_posts(page, "/void")[0].headers["idempotency-key"])
    _shot(page, "gift-lookup", full=False)

    # players spin; the campaign page charts the report's figures
    _spin(env, campaign_id, players=10, spins=3)
    page.goto(f"{env.console}#/campaigns/{campaign_id}")
    page.wait_for_selector("[data-report=ready]")
    report = env.get(f"/campaigns/{campaign_id}/report?granularity=day")  # as the console asks
    if report.get("series"):  # the day-by-day series, once the API reports it
        chart = page.locator("figure[data-chart=series-money]")
        # one day is drawn as bars (lone dots said little), more as lines
        values = chart.locator("circle.c0, rect.bar.c0").evaluate_all(
            "cs => cs.map(c => Number(c.dataset.value))")
        assert sum(values) == report["gifts"]["issued"]["amount"]
    else:  # today's totals
        chart = page.locator("figure[data-chart=totals]")
        values = chart.locator("rect.bar").evaluate_all(
            "rs => rs.map(r => Number(r.dataset.value))")
        gifts = report["gifts"]
        assert values == [gifts["issued"]["amount"], gifts["redeemed"]["amount"],
                          gifts["voided"]["amount"], gifts["expired"]["amount"]]
    # the gift, the batch and the spins' prizes; the voided gift's value is shown apart
    assert report["gifts"]["issued"]["amount"] >= 170_000
    assert report["gifts"]["voided"]["amount"] == 50_000
    heights = chart.locator("rect.bar, circle").evaluate_all(
        "els => els.map(e => e.getBBox().height)")
    assert any(h > 0 for h in heights), "the chart drew nothing"
    # spins by segment against the published odds: the same counts as the report
    fair = page.locator("figure[data-chart=fairness]")
    observed = fair.locator("rect.bar.c0").evaluate_all(
        "rs => rs.map(r => Number(r.dataset.value))")
    assert report["spins"]["count"] == 30 and abs(sum(observed) - 1) < 1e-9
    for seg in report["spins"]["by_segment"]:
        row = page.locator(f"[data-list=fairness] tr[data-segment='{seg['segment_id']}'] td")
        assert row.nth(2).inner_text().replace(",", "") == str(seg["count"])
    assert page.locator("[data-verdict]").get_attribute("data-verdict") in ("ok", "off")
    assert page.locator("[data-stat=rate] .stat-value").inner_text() == "0%"
    _shot(page, "campaign")
    # sections whose endpoints are not built yet stay hidden until the document lists them
    paths = json.loads(call("GET", f"{env.stack.base}/openapi.json")[2])["paths"]
    for section, path in (("exports", "/v1/campaigns/{campaign_id}/exports"),
                          ("results", "/v1/campaigns/{campaign_id}/results-report")):
        assert page.locator(f"[data-section={section}]").count() == (path in paths), section
    assert page.locator("[data-feature=webhooks]").is_visible() == (
        "/v1/webhook-endpoints" in paths)

    # pause: the page and the API agree
    page.locator("[data-action=paused]").click()
    page.locator("h1 + .badge[data-status=paused]").wait_for()
    assert env.get(f"/campaigns/{campaign_id}")["status"] == "paused"
    assert page.locator("[data-action=active]").is_visible()  # resume is offered

    # the key went only to this API, in a header, never in a URL
    assert page.requests
    for request in page.requests:
        assert env.key not in request.url, request.url
        if not request.url.startswith(("data:", "blob:")):
            assert urlsplit(request.url).netloc == urlsplit(env.origin).netloc, request.url
    assert page.csp_violations == [] and page.errors == []
    page.close()


def test_console_speaks_vietnamese_and_english(env: Env) -> None:
    page = env.page()
    env.sign_in(page, lang="vi")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Chiến dịch"
    assert page.locator("[data-nav=gifts]").inner_text() == "Quà tặng"
    page.locator(".lang button[data-lang=en]").click()
    assert page.locator("h1").inner_text() == "Campaigns"
    assert page.locator("html").get_attribute("lang") == "en"
    # a half-typed campaign survives a language switch
    page.goto(f"{env.console}#/campaigns/new")
    page.locator("[data-field=name]").fill("Khuyến mãi hè")
    page.locator("[data-form=wheel] button.secondary").click()  # a fourth segment
    page.locator("[data-list=segments] > li").nth(3).locator("[data-seg=weight]").fill("20")
    page.locator(".lang button[data-lang=vi]").click()
    assert page.locator("h1").inner_text() == "Tạo chiến dịch"
    assert page.locator("[data-field=name]").input_value() == "Khuyến mãi hè"
    assert page.locator("[data-list=segments] > li").count() == 4
    assert page.locator("[data-list=segments] > li").nth(3).locator(
        "[data-seg=odds]").inner_text() == "16,67%"  # 20/120, written the Vietnamese way
    page.locator(".lang button[data-lang=en]").click()
    page.goto(f"{env.console}#/campaigns")
    page.wait_for_selector("[data-list=campaigns] tbody tr")
    # a reload keeps the session (same tab) and the language choice
    page.reload()
    page.wait_for_selector("[data-list=campaigns] tbody tr")
    assert page.locator("h1").inner_text() == "Campaigns"
    # signing out forgets the key
    page.locator("#sign-out").click()
    page.wait_for_selector("[data-field=api-key]")
    assert page.evaluate("sessionStorage.getItem('rewards.console.key')") is None
    assert page.csp_violations == [] and page.errors == []
    page.close()


def test_a_wrong_key_is_refused_without_leaving_the_page(env: Env) -> None:
    page = env.page()
    page.goto(env.console)
    page.locator(".lang button[data-lang=en]").click()
    page.locator("[data-field=api-key]").fill("rk_not_a_real_key")
    page.locator("form button[type=submit]").click()
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "not accepted" in alert.inner_text()
    assert page.evaluate("sessionStorage.length") == 0
    page.close()


def test_no_serious_accessibility_violations(env: Env) -> None:
    page = env.page()
    page.goto(env.console)
    page.locator(".lang button[data-lang=en]").click()
    problems = {"sign-in": _axe(page)}
    env.sign_in(page)
    problems["campaigns"] = _axe(page)
    demo = env.stack.demo()["campaign_id"]
    page.goto(f"{env.console}#/campaigns/{demo}")
    page.wait_for_selector("[data-report=ready]")
    page.wait_for_selector("[data-section=fairness] figure")
    problems["campaign"] = _axe(page)
    page.goto(f"{env.console}#/campaigns/new")
    page.wait_for_selector("[data-form=new-campaign]")
    problems["new-campaign"] = _axe(page)
    page.goto(f"{env.console}#/gifts/{demo}")
    page.wait_for_selector(f"[data-field=campaign] option[value='{demo}']", state="attached")
    problems["gifts"] = _axe(page)
    page.locator(".lang button[data-lang=vi]").click()
    problems["gifts-vi"] = _axe(page)
    assert {name: found for name, found in problems.items() if found} == {}
    assert page.csp_violations == []
    page.close()


def test_usable_on_a_phone(env: Env) -> None:
    page = env.page(390, 844)
    env.sign_in(page, lang="vi")
    demo = env.stack.demo()["campaign_id"]
    _spin(env, demo, players=8, spins=3)  # something to chart
    for route in ("campaigns", f"campaigns/{demo}", "campaigns/new", f"gifts/{demo}"):
        page.goto(f"{env.console}#/{route}")
        page.wait_for_selector("h1")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (route, width)  # nothing needs sideways scrolling
        if route == f"campaigns/{demo}":
            page.wait_for_selector("[data-report=ready]")
            page.evaluate("document.getElementById('fair-h').scrollIntoView()")
            _shot(page, "phone", full=False)
    # every button and field is a comfortable touch target
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        'main button, main input:not([type=checkbox]):not([type=file]), main select'))
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 36)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
    page.close()


def test_sections_of_endpoints_others_are_building_appear_once_listed(env: Env) -> None:
    """The report's series, a gift's history and QR, exports and webhooks are being
    built elsewhere: here the browser is shown an OpenAPI document that lists them
    and answers that have them (Playwright's request interception), to check the
    console picks them up, and charts the series, without waiting for them."""
    status, _, raw = call("POST", f"{env.stack.base}/campaigns/{env.stack.demo()['campaign_id']}"
                          "/gifts", {"amount": 20000},
                          headers={**env.auth, "Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, raw
    code = json.loads(raw)["code"]
    demo = env.stack.demo()["campaign_id"]
    seen: list[str] = []

    def document(route: Any) -> None:
        doc = route.fetch().json()
        paths = doc["paths"]
        paths["/v1/campaigns/{campaign_id}/report"]["get"]["parameters"].append(
            {"name": "granularity", "in": "query", "schema": {"type": "string"}})
        for path, method in (("/v1/gifts/{code}/events", "get"), ("/v1/gifts/{code}/qr.svg", "get"),
                             ("/v1/campaigns/{campaign_id}/exports", "post"),
                             ("/v1/webhook-endpoints", "get")):
            paths.setdefault(path, {})[method] = {"responses": {}}
        route.fulfill(json=doc)

    def report(route: Any) -> None:
        seen.append(route.request.url)
        body = route.fetch().json()
        body["series"] = [
            {"period_start": f"2026-11-2{d}T00:00:00+07:00",
             "issued": {"count": d, "amount": 20000 * d}, "redeemed": {"count": 0, "amount": 0},
             "spins": 10 * d, "wins": d, "players": 3 * d} for d in (1, 2, 3)]
        route.fulfill(json=body)

    def history(route: Any) -> None:
        assert route.request.headers["authorization"] == f"Bearer {env.key}"
        route.fulfill(json={"data": [{"id": "evt_1", "type": "issued", "amount": 20000,
                                      "balance_after": 20000, "at": "2026-11-25T09:30:00Z"}]})

    def qr(route: Any) -> None:
        assert route.request.headers["authorization"] == f"Bearer {env.key}"
        route.fulfill(content_type="image/svg+xml", body=(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21">'
            '<rect width="7" height="7"/></svg>'))

    page = env.page()
    page.route(lambda url: url.endswith("/v1/openapi.json"), document)
    page.route(lambda url: "/report?granularity=" in url, report)
    page.route(lambda url: url.endswith("/events"), history)
    page.route(lambda url: url.endswith("/qr.svg"), qr)
    env.sign_in(page)
    assert page.locator("[data-feature=webhooks]").is_visible()

    page.goto(f"{env.console}#/campaigns/{demo}")
    page.wait_for_selector("[data-report=ready]")
    money = page.locator("figure[data-chart=series-money] circle.c0").evaluate_all(
        "cs => cs.map(c => Number(c.dataset.value))")
    assert money == [20000, 40000, 60000]
    spins = page.locator("figure[data-chart=series-spins] rect.bar.c0").evaluate_all(
        "rs => rs.map(r => Number(r.dataset.value))")
    assert spins == [10, 20, 30]
    assert page.locator("figure[data-chart=totals]").count() == 0
    page.locator("[data-report=ready]").screenshot(path=str(ARTIFACTS / "console-series.png"))
    assert page.locator("[data-section=exports]").is_visible()
    assert seen[-1].endswith("granularity=day")
    page.locator(".seg-toggle button", has_text="By hour").click()
    page.locator(".seg-toggle button[aria-pressed=true]", has_text="By hour").wait_for()
    assert seen[-1].endswith("granularity=hour")

    page.goto(f"{env.console}#/gifts")
    page.locator("[data-field=lookup-code]").fill(code)
    page.locator("[data-form=lookup] button[type=submit]").click()
    page.locator("[data-section=history] li").wait_for()
    assert "Issued" in page.locator("[data-section=history] li").inner_text()
    image = page.locator("[data-section=qr] img")
    image.wait_for()
    assert image.get_attribute("src").startswith("blob:")
    assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    assert page.csp_violations == [] and page.errors == []
    page.close()


def test_a_retry_after_a_lost_answer_reuses_the_key_and_issues_once(env: Env) -> None:
    demo = env.stack.demo()["campaign_id"]
    reference = f"retry-{uuid.uuid4().hex[:8]}"
    attempts: list[str] = []

    def lose_first_answer(route: Any) -> None:
        attempts.append(route.request.headers["idempotency-key"])
        if len(attempts) == 1:
            route.fetch()  # the API issues the gift...
            route.abort("connectionreset")  # ...and its answer never arrives
        else:
            route.continue_()

    page = env.page()
    env.sign_in(page)
    page.route(lambda url: url.endswith(f"/campaigns/{demo}/gifts"), lose_first_answer)
    page.goto(f"{env.console}#/gifts/{demo}")
    page.wait_for_selector(f"[data-field=campaign] option[value='{demo}']", state="attached")
    page.locator("[data-field=gift-amount]").fill("30000")
    page.locator("[data-field=gift-reference]").fill(reference)
    submit = page.locator("[data-form=issue] button[type=submit]")
    submit.click()
    page.locator("[data-form=issue] [role=alert]").filter(has_text="did not answer").wait_for()
    # the marketer clicks again: same action, same values, so the same key
    with page.expect_response(lambda r: r.url.endswith(f"/campaigns/{demo}/gifts")) as answer:
        submit.click()
    assert answer.value.headers.get("idempotent-replayed") == "true"
    code = page.locator("[data-gift-code]").get_attribute("data-gift-code")
    assert len(attempts) == 2 and attempts[0] == attempts[1] and UUID.match(attempts[0])
    issued = [g for g in env.get(f"/campaigns/{demo}/gifts?limit=100")["data"]
              if (g["recipient"] or {}).get("reference") == reference]
    assert [g["code"] for g in issued] == [code]  # one gift, not two
    # a new action (after a definite answer) gets a new key
    page.locator("[data-field=gift-reference]").fill(reference + "-b")
    submit.click()
    page.locator(".big-code").filter(has_not_text=code).wait_for()
    assert len(attempts) == 3 and attempts[2] != attempts[0]
    page.close()


def test_a_marketer_chooses_envelopes_previews_them_and_the_campaign_has_them(env: Env) -> None:
    page = env.page()
    env.sign_in(page)
    page.goto(f"{env.console}#/campaigns/new")
    page.wait_for_selector("[data-form=new-campaign]")
    page.locator("[data-field=name]").fill("Lì xì 2027")
    page.locator("[data-field=budget]").fill("1000000")
    page.locator("[data-field=ends_at]").fill("2030-12-31T23:59")
    # the envelope count shows only for envelopes; the preview follows the choice
    assert page.locator("[data-field=game_envelopes]").is_hidden()
    page.locator("[data-field=game_kind]").select_option("scratch")
    assert page.locator("[data-field=game-preview] .scratch-card").count() == 1
    page.locator("[data-field=game_kind]").select_option("envelope")
    page.locator("[data-field=game_envelopes]").fill("8")
    assert page.locator("[data-field=game-preview] .envelope").count() == 8
    assert _axe(page) == []
    _shot(page, "new-campaign-envelopes")
    page.locator("[data-form=new-campaign] > button[type=submit]").click()
    page.wait_for_url(re.compile(r"#/campaigns/cmp_"))
    campaign = env.get(f"/campaigns/{page.url.rsplit('/', 1)[1]}")
    assert campaign["game"] == {"kind": "envelope", "envelopes": 8}
    assert page.csp_violations == []
    page.close()


def test_a_marketer_sets_delivery_and_branding_and_opens_a_gifts_page(env: Env) -> None:
    demo = env.stack.demo()["campaign_id"]
    page = env.page()
    env.sign_in(page)
    page.goto(f"{env.console}#/campaigns/{demo}")
    form = page.locator("[data-form=delivery]")
    form.wait_for()
    form.locator("[data-field=delivery-channel-1]").select_option("zalo")
    form.locator("[data-field=delivery-channel-2]").select_option("sms")
    form.locator("[data-field=delivery-from]").fill("08:00")
    form.locator("[data-field=delivery-to]").fill("21:00")
    form.locator("[data-field=delivery-reminder]").fill("3")
    form.locator("[data-field=delivery-locale]").select_option("en")
    form.locator("[data-field=delivery-where]").fill("Every Demo Coffee shop")
    form.locator("button[type=submit]").click()
    page.locator(".notice.ok", has_text="Delivery settings saved").wait_for()
    assert env.get(f"/campaigns/{demo}")["delivery"] == {
        "channels": ["zalo", "sms"], "send_window": {"from": "08:00", "to": "21:00"},
        "reminder_days_before_expiry": 3, "locale": "en",
        "where_to_use": "Every Demo Coffee shop"}
    # a channel chosen twice is refused in the page, before any request
    form = page.locator("[data-form=delivery]")
    form.locator("[data-field=delivery-channel-3]").select_option("zalo")
    form.locator("button[type=submit]").click()
    page.locator("[data-form=delivery] .notice", has_text="chosen twice").wait_for()

    branding = page.locator("[data-form=branding]")
    branding.locator("[data-field=branding-name]").fill("Demo Coffee Saigon")
    branding.locator("[data-field=branding-colour]").fill("#6f4e37")
    branding.locator("button[type=submit]").click()
    page.locator("[data-form=branding] .notice.ok").wait_for()
    assert env.get("/delivery/branding") == {"display_name": "Demo Coffee Saigon",
                                             "logo_url": None, "colour": "#6F4E37"}
    page.locator("[data-section=delivery]").screenshot(
        path=str(ARTIFACTS / "console-delivery.png"))
    assert _axe(page) == []

    status, _, raw = call("POST", f"{env.stack.base}/campaigns/{demo}/gifts",
                          {"amount": 50_000}, headers={**env.auth,
                                                       "Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, raw
    gift = json.loads(raw)
    page.goto(f"{env.console}#/gifts")
    page.locator("[data-field=lookup-code]").fill(gift["code"])
    page.locator("[data-form=lookup] button[type=submit]").click()
    link = page.locator("[data-field=gift-url]")
    link.wait_for()
    assert link.get_attribute("href") == gift["gift_url"]
    assert link.get_attribute("rel") == "noopener noreferrer"
    opened = env.browser.new_page()
    answer = opened.goto(gift["gift_url"])
    assert answer is not None and answer.status == 200
    assert "Demo Coffee Saigon" in opened.content() and gift["code"] in opened.content()
    opened.close()
    assert page.csp_violations == [] and page.errors == []
    page.close()


def test_the_console_links_the_local_outbox_where_every_message_lands(env: Env) -> None:
    page = env.page()
    env.sign_in(page)
    link = page.locator("#outbox-link")
    link.wait_for(state="visible")
    href = link.get_attribute("href") or ""
    assert href.endswith("/v1/dev/outbox")
    answer = page.goto(urljoin(page.url, href))
    assert answer is not None and answer.status == 200
