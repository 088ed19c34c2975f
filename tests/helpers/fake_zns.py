"""A fake of Zalo's ZNS template-message endpoint on loopback, in a thread.

It checks what a real one would refuse, and answers as Zalo does (HTTP 200 with a
JSON `error`: 0 on success). Checked: POST to /message/template, an `access_token`
header equal to the expected token, a JSON body with `phone` as digits starting with
the country code (84…, no `+`), a `template_id`, `template_data` as a map of strings
holding exactly the expected keys when given, and a `tracking_id`. Each request is
kept (`requests`), so a test can read what was sent.

`answer_error(code, message)` makes the following requests fail with Zalo's error
`code`; `answer_status(503)` makes them fail at the HTTP level."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeZns:
    def __init__(self, token: str = "oa-token-123456789", template_keys: set[str] | None = None
                 ) -> None:
        self.token = token
        self.template_keys = template_keys
        self.requests: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.error: tuple[int, str] | None = None
        self.status = 200
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def answer_error(self, code: int, message: str = "error") -> None:
        self.error = (code, message)

    def answer_status(self, status: int) -> None:
        self.status = status

    def _check(self, path: str, headers: Any, raw: bytes) -> list[str]:
        found = []
        if path != "/message/template":
            found.append(f"path {path}")
        if headers.get("access_token") != self.token:
            found.append("access_token header missing or wrong")
        if not (headers.get("Content-Type") or "").startswith("application/json"):
            found.append("Content-Type is not application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return [*found, "body is not JSON"]
        if not re.fullmatch(r"84[0-9]{8,10}", str(body.get("phone"))):
            found.append(f"phone {body.get('phone')!r} is not 84… digits")
        if not isinstance(body.get("template_id"), str) or not body["template_id"]:
            found.append("template_id missing")
        data = body.get("template_data")
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            found.append("template_data is not a map of strings")
        elif self.template_keys is not None and set(data) != self.template_keys:
            found.append(f"template_data keys {sorted(data)} != {sorted(self.template_keys)}")
        if not body.get("tracking_id"):
            found.append("tracking_id missing")
        return found

    def start(self) -> FakeZns:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                problems = fake._check(self.path, self.headers, raw)
                with fake._lock:
                    try:
                        fake.requests.append({"headers": dict(self.headers),
                                              "body": json.loads(raw)})
                    except ValueError:
                        fake.requests.append({"headers": dict(self.headers), "body": None})
                    fake.problems += problems
                if fake.status != 200:
                    self.send_response(fake.status)
                    self.end_headers()
                    return
                if problems:
                    answer = {"error": -112, "message": "; ".join(problems)}
                elif fake.error is not None:
                    answer = {"error": fake.error[0], "message": fake.error[1]}
                else:
                    answer = {"error": 0, "message": "Success", "data": {
                        "msg_id": f"msg{len(fake.requests)}", "sent_time": "1700000000000",
                        "quota": {"dailyQuota": "500", "remainingQuota": "499"}}}
                out = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
