"""Run a command against a fresh local stack: `python devtools/with_stack.py -- CMD...`.

Starts `make run`'s server (devtools/serve.py) on a free loopback port, with its own
state folder and table prefix, waits until it answers /v1/health and has seeded its
demo partner, runs CMD with REWARDS_API (the origin) and REWARDS_API_KEY (the demo
key, every scope) in its environment, then stops the stack; exits with CMD's code.
`make test-js` runs the TypeScript SDK's tests through it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(origin: str) -> bool:
    try:
        with urllib.request.urlopen(f"{origin}/v1/health", timeout=2) as r:  # noqa: S310
            return r.status == 200
    except OSError:
        return False


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="rewards-stack-") as state:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k not in (
                   "DYNAMODB_ENDPOINT", "ADMIN_TOKEN", "SIGNING_KEYS", "TABLE_PREFIX",
                   "STAGE", "SECRETS_SSM_PARAMETER", "CODE_LOOKUP_KEYS", "CODE_DATA_KEYS",
                   "GIFT_LINK_KEYS", "GIFT_PAGE_BASE_URL")}
        env.update({"PORT": str(port), "REWARDS_STATE_DIR": state,
                    "TABLE_PREFIX": f"rewards-withstack-{port}", "PYTHONUNBUFFERED": "1"})
        log = open(Path(state) / "stack.log", "w")  # noqa: SIM115 - closed below
        stack = subprocess.Popen([sys.executable, str(ROOT / "devtools" / "serve.py")],
                                 cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            demo = Path(state) / "demo.json"
            while not (_healthy(origin) and demo.exists()):
                if stack.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    print("the stack did not start:\n" + (Path(state) / "stack.log").read_text(),
                          file=sys.stderr)
                    return 1
                time.sleep(0.2)
            key = json.loads(demo.read_text())["key"]
            run_env = {**os.environ, "REWARDS_API": origin, "REWARDS_API_KEY": key}
            return subprocess.call(command, env=run_env)
        finally:
            if stack.poll() is None:
                stack.send_signal(signal.SIGINT)
                try:
                    stack.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    stack.kill()
                    stack.wait(timeout=5)
            log.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
