"""`rewards webhook-listen`: a local receiver that verifies each delivery and
prints each verified event once.

It verifies the Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
`webhook-signature`) with the spec's own library, `standardwebhooks`, exactly as a
partner's receiver would: `Webhook(secret).verify(raw_body, headers)`. A delivery
without those headers (a server from before them) is checked against
`Rewards-Signature` by `verify` below, which stays for receivers built on it
(standard library only, 20 lines to copy).

Verify before you parse: the HMAC is over the raw body bytes, exactly as received.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from standardwebhooks import Webhook
from standardwebhooks.webhooks import EmptyWebhookSecretError, WebhookVerificationError

TOLERANCE_SECONDS = 300


def verify(header: str, body: bytes, secret: str, now: float | None = None,
           tolerance: float = TOLERANCE_SECONDS) -> bool:
    """True when `header` (Rewards-Signature: `t=<unix>,v1=<hex>[,v1=<hex>]`) has a
    timestamp within `tolerance` seconds of now and a v1 equal to
    HEX(HMAC-SHA256(secret, "<t>.<body>")). Any v1 may match: during a secret
    rotation there is one per active secret."""
    now = time.time() if now is None else now
    fields = [part.partition("=") for part in header.split(",")]
    stamps = [value.strip() for key, _, value in fields if key.strip() == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    if abs(now - int(stamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), stamps[0].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return any(key.strip() == "v1" and hmac.compare_digest(value.strip(), expected)
               for key, _, value in fields)


def make_server(port: int, secret: str, out: TextIO | None = None, host: str = "127.0.0.1",
                tolerance: float = TOLERANCE_SECONDS) -> ThreadingHTTPServer:
    """A receiver on host:port: 200 for a verified event (printed as one JSON line),
    400 for a missing, bad or stale signature. Events seen twice (same id) are
    acknowledged and printed once. `tolerance` applies to `Rewards-Signature`; the
    library keeps its own (5 minutes, the same)."""
    out = out or sys.stdout
    seen: set[str] = set()
    try:
        standard: Webhook | None = Webhook(secret)
    except (ValueError, binascii.Error, EmptyWebhookSecretError):
        # a secret from before Standard Webhooks that the library cannot decode
        # (rotate it to get one it can): Rewards-Signature still verifies
        standard = None

    def verified(headers: dict[str, str], body: bytes) -> bool:
        if standard is not None and headers.get("webhook-signature"):
            try:
                standard.verify(body, headers, json_parse=False)
            except WebhookVerificationError:
                return False
            return True
        return verify(headers.get("rewards-signature", ""), body, secret,
                      tolerance=tolerance)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1_048_576))
            headers = {k.lower(): v for k, v in self.headers.items()}
            if not verified(headers, body):
                self._answer(400, b'{"error": "bad or stale signature"}')
                print(f"refused: bad or stale signature for event "
                      f"{self.headers.get('Rewards-Event-Id')}", file=sys.stderr, flush=True)
                return
            event_id = self.headers.get("Rewards-Event-Id", "")
            if event_id not in seen:
                seen.add(event_id)
                try:
                    event = json.loads(body)
                    line = json.dumps({"id": event.get("id"), "type": event.get("type"),
                                       "campaign_id": event.get("campaign_id"),
                                       "data": event.get("data")}, ensure_ascii=False)
                except ValueError:
                    line = body.decode(errors="replace")
                print(line, file=out, flush=True)
            self._answer(200, b'{"received": true}')

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return ThreadingHTTPServer((host, port), Handler)


def listen(port: int, secret: str, err: TextIO) -> int:
    server = make_server(port, secret)
    print(f"Listening on http://127.0.0.1:{server.server_address[1]}/ for signed events "
          f"(Ctrl-C stops)", file=err, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
