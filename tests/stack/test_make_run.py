"""The `make run` stack, end to end: a real process, real sockets, a clean stop.
(The deployment template's checks are in the unit tier, test_infra.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import (
    PATIENCE,
    ROOT,
    call,
    free_port,
    port_free,
    running_stack,
    stack_env,
    wait_until,
)


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
        # the local outbox is printed and opens: a local stack sends nothing out
        assert f"{base}/dev/outbox" in text
        status, _, raw = call("GET", f"{base}/dev/outbox")
        assert status == 200 and b"Local outbox" in raw, raw
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
                              timeout=5 * PATIENCE, env=_no_api_env())
        assert done.returncode == 0, done.stderr
        assert len(out.read_text().splitlines()) == 6  # header and the sample's 5 gifts
        end = json.loads(_printed(text, "-X PATCH").split("-d ", 1)[1].strip("'"))
        status, _, raw = call("PATCH", f"{base}/campaigns/{demo['campaign_id']}", end,
                              headers=key)
        assert status == 200 and json.loads(raw)["status"] == "ended", raw
        done = subprocess.run(shlex.split(_printed(text, "verify_fairness")), cwd=ROOT,
                              capture_output=True, text=True, timeout=5 * PATIENCE,
                              env=_no_api_env())
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

        # the access log masks what a browser or a typo puts in a path: the demo
        # page's player token, a gift code sent to a mistyped route
        token = _printed(text, "Widget demo").split("token=", 1)[1]
        status, _, raw = call("POST", f"{base}/campaigns/{created['id']}/gifts",
                              {"amount": 10_000},
                              headers={**key, "Idempotency-Key": "stack-log-1"})
        assert status == 201, raw
        code = json.loads(raw)["code"]
        logged_from = len(stack.text)
        call("GET", f"{base}/widget/demo.html?token={token}")
        call("POST", f"{base}/gift/{code}/redeem", {"amount": 1}, headers=key)
        wait_until(lambda: "/v1/gift/" in stack.text[logged_from:],
                   message=lambda: stack.text[logged_from:])
        logged = stack.text[logged_from:]
        assert "demo.html?token=***" in logged, logged
        assert token not in logged and token.split(".")[1] not in logged
        assert code not in logged and code.replace("-", "") not in logged
        assert f"/v1/gift/****-****-****-{code[-4:]}/redeem" in logged, logged

        # when interrupted, it stops everything and exits 0
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=PATIENCE) == 0, "".join(output)
        assert port_free(port)
        assert port_free(int(emulator.group(1)))


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

        done = wait_until(finished, message=lambda: stack.text)
        assert done["status"] == "completed", done
        status, _, raw = call("GET", f"{base}/exports/{export_id}/file", headers=key)
        assert status == 200 and raw.decode().lstrip("\ufeff").startswith("gift_id,"), raw


def test_make_run_refuses_a_data_key_id_with_a_dot(tmp_path: Path) -> None:
    """Values sealed under `key.2026` could never be opened (they are split on
    `.`): the stack does not start, and says which variable to fix."""
    env = stack_env(free_port(), tmp_path / "state")
    env["CODE_DATA_KEYS"] = "key.2026:" + "A" * 43 + "="
    done = subprocess.run([sys.executable, str(ROOT / "devtools" / "serve.py")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=5 * PATIENCE)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "CODE_DATA_KEYS" in done.stderr and "'key.2026'" in done.stderr
    assert "A" * 43 not in done.stderr + done.stdout


def _printed(banner: str, marker: str) -> str:
    """The one command line of the banner that contains `marker`."""
    lines = [line.strip() for line in banner.splitlines() if marker in line]
    assert len(lines) == 1, (marker, banner)
    return lines[0]


def _no_api_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("API", "REWARDS_API")}
