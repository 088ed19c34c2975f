"""Start the `make run` stack (devtools/serve.py) as a real process, for tests
that need sockets: the stack tier and the browser tier."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.waiting import PATIENCE, wait_until

ROOT = Path(__file__).resolve().parents[2]


def screenshot_folder(docs_folder: Path) -> Path:
    """Where a browser test writes a screenshot that the docs show: tests/artifacts, so a
    test run leaves the clone clean; the docs' folder with UPDATE_DOC_IMAGES=1."""
    wanted = os.environ.get("UPDATE_DOC_IMAGES") == "1"
    folder = docs_folder if wanted else ROOT / "tests" / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Nothing listens, and a server could bind it again (as servers do, with
    SO_REUSEADDR: connections the stopped server closed may linger in TIME_WAIT)."""
    with socket.socket() as s:
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            pass
        else:
            return False
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def call(method: str, url: str, body: dict | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=PATIENCE) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def stack_env(port: int, state: Path, prefix: str = "rewards-stacktest",
              region: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in (
               "DYNAMODB_ENDPOINT", "ADMIN_TOKEN", "SIGNING_KEYS", "TABLE_PREFIX", "STAGE",
               "SECRETS_SSM_PARAMETER", "CODE_LOOKUP_KEYS", "CODE_DATA_KEYS",
               "GIFT_LINK_KEYS", "GIFT_PAGE_BASE_URL",
               "PLAYER_RATE_LIMIT")}
    env.update({"PORT": str(port), "REWARDS_STATE_DIR": str(state),
                "TABLE_PREFIX": prefix, "PYTHONUNBUFFERED": "1"})
    if region is not None:  # else serve.py's default, us-east-1
        env["AWS_DEFAULT_REGION"] = region
    return env


@dataclass
class Stack:
    proc: subprocess.Popen
    port: int
    state: Path
    output: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def text(self) -> str:
        return "".join(self.output)

    def demo(self) -> dict:
        return json.loads((self.state / "demo.json").read_text())


@contextmanager
def running_stack(state: Path, prefix: str = "rewards-stacktest",
                  timeout: float = 2 * PATIENCE, region: str | None = None
                  ) -> Iterator[Stack]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "devtools" / "serve.py")],
                            cwd=ROOT, env=stack_env(port, state, prefix, region),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stack = Stack(proc, port, state)
    threading.Thread(target=lambda: stack.output.extend(proc.stdout), daemon=True).start()
    try:
        def healthy() -> bool:
            assert proc.poll() is None, "serve.py exited early:\n" + stack.text
            try:
                return call("GET", f"{stack.base}/health")[0] == 200
            except OSError:
                return False

        wait_until(healthy, timeout, interval=0.2,
                   message=lambda: "no /v1/health:\n" + stack.text)
        # the banner is printed right after the server starts answering: wait for its
        # last line, so a test reads it whole
        wait_until(lambda: "Ctrl-C stops everything" in stack.text, timeout,
                   message=lambda: "no banner:\n" + stack.text)
        yield stack
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=PATIENCE)
