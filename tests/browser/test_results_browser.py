"""The printable results report in Chromium, and an export, on the `make run` stack.

Needs Debian's chromium and playwright, as test_widget_browser.py; skipped
with the reason where either is missing. Writes results-report.png
(in docs/ with UPDATE_DOC_IMAGES=1)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import ROOT, call, iso, running_stack, screenshot_folder, wait_until

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine: "
                                "install Debian's chromium to run the browser test")
WHEEL = {
    "segments": [
        {"id": "nhat", "label": "Giải Nhất: phiếu mua hàng 2.000.000đ", "weight": 1,
         "prize": {"amount": 2_000_000}, "inventory": 2},
        {"id": "nhi", "label": "Giải Nhì: phiếu mua hàng 500.000đ", "weight": 2,
         "prize": {"amount": 500_000}, "inventory": 10},
        {"id": "ba", "label": "Giải Ba: phiếu mua hàng 50.000đ", "weight": 3,
         "prize": {"amount": 50_000}},
        {"id": "khong", "label": "Chúc may mắn lần sau", "weight": 0, "prize": None},
    ],
    "fallback_segment_id": "khong",
}


def test_results_report_page_and_an_export_on_the_local_stack(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with running_stack(tmp_path / "state", prefix="rewards-resultstest") as stack:
        key = stack.demo()["key"]
        auth = {"Authorization": f"Bearer {key}"}
        now = datetime.now(UTC)
        status, _, body = call("POST", f"{stack.base}/campaigns", {
            "name": "Vòng quay may mắn Tết 2027", "currency": "VND", "budget": 20_000_000,
            # ended by hand below, once played (an end a few seconds ahead would race
            # the spins on a slow machine): ended early, as the page then says
            "ends_at": iso(now + timedelta(days=30)), "timezone": "Asia/Ho_Chi_Minh",
            "gift_expiry_days": 30, "wheel": WHEEL}, auth)
        assert status == 201, body
        cid = json.loads(body)["id"]
        won = []
        for i in range(12):
            status, _, body = call("POST", f"{stack.base}/campaigns/{cid}/player-tokens",
                                   {"player_id": f"zalo:849{i:08d}"}, auth)
            token = json.loads(body)["token"]
            status, _, body = call("POST", f"{stack.base}/play/spins", {}, {
                "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())})
            assert status == 201, body
            won.append(json.loads(body))
        for s in won[:7]:  # claimed: 7 of 12 prizes
            status, _, body = call("POST", f"{stack.base}/gifts/{s['gift']['code']}/redeem",
                                   {}, {**auth, "Idempotency-Key": str(uuid.uuid4())})
            assert status == 200, body
        # an export through the worker and moto's S3, served by the API
        status, _, body = call("POST", f"{stack.base}/campaigns/{cid}/exports?unmask=true",
                               {"kind": "draw_log"}, auth)
        assert status == 202, body
        export_id = json.loads(body)["id"]

        def completed() -> dict | None:
            export = json.loads(call("GET", f"{stack.base}/exports/{export_id}",
                                     headers=auth)[2])
            return export if export["status"] == "completed" else None

        export = wait_until(completed, 120, interval=0.3, message="export not completed")
        status, headers, data = call("GET", export["download_url"], headers=auth)
        assert status == 200 and headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert sorted(r["spin_id"] for r in rows) == sorted(s["id"] for s in won)
        # after the end: the page
        status, _, body = call("PATCH", f"{stack.base}/campaigns/{cid}", {"status": "ended"},
                               auth)
        assert status == 200, body
        status, _, body = call("GET", f"{stack.base}/campaigns/{cid}/results-report",
                               headers=auth)
        assert status == 200, body
        report = json.loads(body)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            try:
                context = browser.new_context(extra_http_headers=auth,
                                              viewport={"width": 900, "height": 1100})
                page = context.new_page()
                problems: list[str] = []
                page.on("console", lambda m: problems.append(m.text)
                        if m.type in ("error", "warning") else None)
                response = page.goto(f"{stack.base}/campaigns/{cid}/results-report"
                                     "?format=html")
                assert response.status == 200
                assert "style-src 'sha256-" in response.headers["content-security-policy"]
                # the hashed style applies (the CSP lets it), nothing was refused
                assert page.eval_on_selector("table", "t => getComputedStyle(t)"
                                                      ".borderCollapse") == "collapse"
                assert not [m for m in problems if "Content Security Policy" in m], problems
                text = page.inner_text("body")
                due = f"{report['state_budget_due']:,}".replace(",", ".")
                assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN MẠI" in text.upper()
                assert f"{due}\u00a0đ" in text or f"{due} đ" in text
                assert "Hạn gửi báo cáo kết quả" in text
                # the business that files it, and that it ended before its plan
                assert "Demo Coffee" in text.split("BÁO CÁO")[0]
                assert "kết thúc sớm" in text
                # its icon is served: no 404 in the console, for it or anything else
                assert not [m for m in problems if "404" in m or "favicon" in m], problems
                page.screenshot(path=str(screenshot_folder(ROOT / "docs") / "results-report.png"),
                                full_page=True)
            finally:
                browser.close()
