"""Webhook delivery latency under `make run`: issue -> receiver.

Starts devtools/serve.py as `make run` does (moto's server, the API, the stream
worker and the delivery loop in one process), points a webhook endpoint at a
receiver on 127.0.0.1, issues gifts through the HTTP API and times each
`gift.issued` from the issue's 201 to its arrival (signature verified).
Latency here is the local worker's: it polls the streams every 0.1 s. Deployed,
Lambda polls each stream shard about 4 times a second and SQS adds its own hop.

Run: `make bench` (or `.venv/bin/python -m bench.webhooks`).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rewards_cli.webhook_verify import verify  # noqa: E402

SEQUENTIAL = 40
BURST = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(method: str, url: str, body: dict | None, key: str, idem: str | None = None
          ) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if idem:
        headers["Idempotency-Key"] = idem
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}  # gift id -> arrival (monotonic)
        self.secret = ""
        self.bad = 0
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.monotonic()
                if verify(self.headers.get("Rewards-Signature", ""), body, me.secret):
                    event = json.loads(body)
                    me.arrived.setdefault(event["data"]["id"], now)
                else:
                    me.bad += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    port = _free_port()
    state = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("DYNAMODB_ENDPOINT", "ADMIN_TOKEN",
                                                     "SIGNING_KEYS", "TABLE_PREFIX", "STAGE")}
    env.update({"PORT": str(port), "REWARDS_STATE_DIR": str(state),
                "TABLE_PREFIX": "rewards-benchhooks", "PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen([sys.executable, str(ROOT / "devtools" / "serve.py")], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    receiver = Receiver()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{base}/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                print("bench.webhooks: the local stack did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        time.sleep(0.5)
        demo = json.loads((state / "demo.json").read_text())
        key = demo["key"]
        status, hook = _call("POST", f"{base}/webhook-endpoints",
                             {"url": receiver.url, "events": ["gift.issued"]}, key)
        assert status == 201, hook
        receiver.secret = hook["secret"]
        status, campaign = _call("POST", f"{base}/campaigns", {
            "name": "Bench webhooks", "currency": "VND", "budget": 10**12,
            "ends_at": "2035-01-01T00:00:00Z"}, key)
        assert status == 201, campaign

        def issue() -> tuple[str, float]:
            status, gift = _call("POST", f"{base}/campaigns/{campaign['id']}/gifts",
                                 {"amount": 1000}, key, str(uuid.uuid4()))
            assert status == 201, gift
            return gift["id"], time.monotonic()

        def wait(ids: list[str], timeout: float = 60) -> None:
            end = time.monotonic() + timeout
            while not all(i in receiver.arrived for i in ids) and time.monotonic() < end:
                time.sleep(0.01)

        latencies = []
        for _ in range(SEQUENTIAL):
            gid, answered = issue()
            wait([gid])
            latencies.append((receiver.arrived[gid] - answered) * 1000)
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            sent = list(pool.map(lambda _: issue(), range(BURST)))
        wait([g for g, _ in sent])
        burst = [(receiver.arrived[g] - t) * 1000 for g, t in sent if g in receiver.arrived]
        whole = max(receiver.arrived[g] for g, _ in sent if g in receiver.arrived) - started
        print("webhook delivery under make run (issue's 201 -> receiver, signature verified)")
        print(f"{'case':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, values in (("one at a time", latencies),
                             (f"burst of {BURST}, 8 clients", burst)):
            print(f"{name:34} {len(values):>5} {statistics.median(values):>8.0f} "
                  f"{_percentile(values, 95):>8.0f} {max(values):>8.0f}")
        print(f"burst: {len(burst)}/{BURST} delivered in {whole:.1f} s; bad signatures: "
              f"{receiver.bad}")
        return 0 if len(burst) == BURST and receiver.bad == 0 else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        receiver.server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
