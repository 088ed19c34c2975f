"""The `make run` stack, end to end: a real process, real sockets, a clean stop.
(The deployment template's checks are in the unit tier, test_infra.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import ROOT, call, port_free, running_stack, wait_until


@pytest.mark.timeout(60)
def test_make_run_stack_serves_seeds_and_stops_cleanly(tmp_path: Path) -> None:
    # given a state dir of our own, when the stack has started
    with running_stack(tmp_path / "state") as stack:
        proc, port, state, base, text = (stack.proc, stack.port, stack.state, stack.base,
                                         stack.text)
        output = stack.output
        # then it seeded demo data and persisted it, with generated secrets
        demo = json.loads((state / "demo.json").read_text())
        stored = json.loads((state / "secrets.json").read_text())
        assert demo["table_prefix"] == "rewards-stacktest"
        assert demo["key"] in text and demo["campaign_id"] in text
        assert stored["admin_token"] in text
        assert f"{base}/openapi.json" in text
        assert f"{base}/widget/demo.html?token=ey" in text
        emulator = re.search(r"moto \(in process\) at http://127\.0\.0\.1:(\d+)", text)
        assert emulator, text
        key = {"Authorization": f"Bearer {demo['key']}"}

        # the seeded campaign is live, with the demo wheel
        status, _, raw = call("GET", f"{base}/campaigns/{demo['campaign_id']}", headers=key)
        assert status == 200, raw
        seeded = json.loads(raw)
        assert seeded["name"] == "Demo Tet 2027" and seeded["status"] == "active"
        assert [s["id"] for s in seeded["wheel"]["segments"]] == ["big", "small", "none"]

        # a partner can create a campaign and read it back
        ends = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, _, raw = call("POST", f"{base}/campaigns", {
            "name": "Stack test", "currency": "VND", "budget": 1_000_000, "ends_at": ends},
            headers=key)
        assert status == 201, raw
        created = json.loads(raw)
        status, _, raw = call("GET", f"{base}/campaigns/{created['id']}", headers=key)
        assert status == 200 and json.loads(raw)["id"] == created["id"]

        # the banner's bulk and verifier commands work as pasted (from the repo root)
        out = tmp_path / "codes.csv"
        bulk = _printed(text, " issue-batch ").replace("--out codes.csv", f"--out {out}")
        done = subprocess.run(shlex.split(bulk), cwd=ROOT, capture_output=True, text=True,
                              timeout=60, env=_no_api_env())
        assert done.returncode == 0, done.stderr
        assert len(out.read_text().splitlines()) == 6  # header and the sample's 5 gifts
        end = json.loads(_printed(text, "-X PATCH").split("-d ", 1)[1].strip("'"))
        status, _, raw = call("PATCH", f"{base}/campaigns/{demo['campaign_id']}", end,
                              headers=key)
        assert status == 200 and json.loads(raw)["status"] == "ended", raw
        done = subprocess.run(shlex.split(_printed(text, "verify_fairness")), cwd=ROOT,
                              capture_output=True, text=True, timeout=60, env=_no_api_env())
        assert done.returncode == 0 and "every roll verifies" in done.stdout, done.stderr

        # an unknown route is a problem+json 404, with or without credentials
        for headers in ({}, key):
            status, hdrs, raw = call("POST", f"{base}/no-such-thing?x=1", {}, headers=headers)
            assert status == 404, raw
            assert hdrs["content-type"].startswith("application/problem+json")
            assert json.loads(raw) == {
                "type": "/v1/problems/not_found",
                "title": "Not found", "status": 404,
                "detail": "No route POST /v1/no-such-thing", "code": "not_found"}

        # when interrupted, it stops everything within 10 s and exits 0
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0, "".join(output)
        assert port_free(port)
        assert port_free(int(emulator.group(1)))


@pytest.mark.timeout(90)
def test_make_run_in_singapore_completes_an_export(tmp_path: Path) -> None:
    """ap-southeast-1 is the natural region for Vietnam; its local S3 bucket needs a
    LocationConstraint, without which every export ended `failed`."""
    with running_stack(tmp_path / "state", prefix="rewards-sgtest",
                       region="ap-southeast-1") as stack:
        demo, base = stack.demo(), stack.base
        key = {"Authorization": f"Bearer {demo['key']}"}
        status, _, raw = call("POST", f"{base}/campaigns/{demo['campaign_id']}/exports",
                              {"kind": "gifts"}, headers=key)
        assert status == 202, raw
        export_id = json.loads(raw)["id"]

        def finished() -> dict | None:
            body = json.loads(call("GET", f"{base}/exports/{export_id}", headers=key)[2])
            return body if body["status"] in ("completed", "failed") else None

        done = wait_until(finished, 60, message=lambda: stack.text)
        assert done["status"] == "completed", done
        status, _, raw = call("GET", f"{base}/exports/{export_id}/file", headers=key)
        assert status == 200 and raw.decode().lstrip("\ufeff").startswith("gift_id,"), raw


def _printed(banner: str, marker: str) -> str:
    """The one command line of the banner that contains `marker`."""
    lines = [line.strip() for line in banner.splitlines() if marker in line]
    assert len(lines) == 1, (marker, banner)
    return lines[0]


def _no_api_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("API", "REWARDS_API")}
