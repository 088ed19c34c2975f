"""`make run`: the whole API on this machine, in one process, with demo data.

1. DynamoDB: moto's server embedded on a free port (made atomic by
   `devtools.moto_patch`, which must be installed in this same process), unless
   `DYNAMODB_ENDPOINT` names one to use instead (DynamoDB Local, LocalStack, AWS).
2. Secrets: `ADMIN_TOKEN` and `SIGNING_KEYS` from the environment, else generated
   once and kept in `$REWARDS_STATE_DIR/secrets.json` (default `.local/`, git-ignored),
   so tokens survive restarts.
3. Tables created if missing; demo partner, key and campaign seeded (devtools/seed.py).
4. Chalice's local server on 127.0.0.1:$PORT (default 8000), answering unknown
   routes with a problem+json 404 as the deployed API Gateway does (infra/tables.yaml).
5. A banner with everything needed to make a first call. Ctrl-C stops it all.
6. Events and webhooks: threads that read the tables' streams and deliver
   webhooks, as the deployed Lambdas do (devtools/local_events.py).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

log = logging.getLogger("rewards.serve")

NOT_FOUND_TYPE = "/v1/problems/not_found"
_ROUTING_MISSES = (b"Missing Authentication Token", b"Authorization header requires")


# ------------------------------------------------------------------ unknown routes


def not_found_response(method: str, path: str) -> dict[str, Any]:
    """The response the deployed stack's MISSING_AUTHENTICATION_TOKEN GatewayResponse gives."""
    route = path.split("?", 1)[0]
    body = {"type": NOT_FOUND_TYPE, "title": "Not found", "status": 404,
            "detail": f"No route {method} {route}", "code": "not_found"}
    return {"statusCode": 404,
            # the same security headers as every answer of the app (chalicelib.http.secure)
            "headers": {"Content-Type": "application/problem+json",
                        "Access-Control-Allow-Origin": "*",
                        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"},
            "multiValueHeaders": {},
            "body": json.dumps(body)}


def patch_local_gateway() -> None:
    """Make Chalice's local gateway answer an unknown route 404 problem+json.

    Why: API Gateway (and so Chalice's imitation of it) answers a request for a
    route that does not exist with 403 "Missing Authentication Token", which tells
    a partner nothing; our contract says unknown resources are 404 `not_found`.
    """
    from chalice import local

    if getattr(local.LocalGateway, "_rewards_patched", False):
        return
    original = local.LocalGateway.handle_request

    def handle_request(self: Any, method: str, path: str, headers: Any,
                       body: bytes | None) -> Any:
        try:
            return original(self, method, path, headers, body)
        except local.ForbiddenError as exc:
            # Our app has no authorizers, so the gateway forbids only unroutable requests.
            if not any(m in (exc.body or b"") for m in _ROUTING_MISSES):
                raise
            return not_found_response(method, path)

    local.LocalGateway.handle_request = handle_request
    local.LocalGateway._rewards_patched = True


# Methods Python's http.server would answer itself with a 501 HTML page.
EXTRA_METHODS = ("TRACE", "CONNECT", "QUERY")


def patch_request_handler() -> None:
    """Send TRACE, CONNECT and QUERY through the gateway too, so an undeclared one
    gets the same 405 problem+json as PUT on a GET-only route (or the 404 of an
    unknown route), not http.server's 501 HTML page. Found by schemathesis."""
    from chalice import local

    handler = local.ChaliceRequestHandler
    for method in EXTRA_METHODS:
        setattr(handler, f"do_{method}", handler._generic_handle)
    original = handler.log_message

    def log_message(self: Any, format: str, *args: Any) -> None:  # noqa: A002
        """The access log never carries a whole gift code (in `/gifts/{code}` or
        in a mistyped route), a player token (`demo.html?token=`) or a key."""
        from chalicelib.core.masking import request_line

        original(self, format, *(request_line(a) if isinstance(a, str) else a for a in args))

    handler.log_message = log_message


# ------------------------------------------------------------------ state and env


def state_dir() -> Path:
    return Path(os.environ.get("REWARDS_STATE_DIR") or ROOT / ".local")


def _write_private(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def load_or_create_secrets(directory: Path) -> dict[str, str]:
    """Admin token, signing keys and the keys that keep codes unreadable at rest
    (lookup hash, sealing): env vars win; else persisted ones; else new ones."""
    path = directory / "secrets.json"
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    changed = False
    if not stored.get("admin_token"):
        stored["admin_token"] = "adm_" + secrets.token_urlsafe(32)
        changed = True
    if not stored.get("signing_keys"):
        stored["signing_keys"] = "local1:" + secrets.token_urlsafe(48)
        changed = True
    if not stored.get("code_lookup_keys"):
        stored["code_lookup_keys"] = "lookup1:" + secrets.token_urlsafe(48)
        changed = True
    if not stored.get("gift_link_keys"):
        stored["gift_link_keys"] = "link1:" + secrets.token_urlsafe(48)
        changed = True
    if not stored.get("code_data_keys"):
        stored["code_data_keys"] = "data1:" + base64.b64encode(secrets.token_bytes(32)).decode()
        changed = True
    if changed:
        _write_private(path, stored)
    return {name: os.environ.get(name) or stored[key] for name, key in (
        ("ADMIN_TOKEN", "admin_token"), ("SIGNING_KEYS", "signing_keys"),
        ("CODE_LOOKUP_KEYS", "code_lookup_keys"), ("CODE_DATA_KEYS", "code_data_keys"),
        ("GIFT_LINK_KEYS", "gift_link_keys"))}


def start_emulator() -> tuple[Any, str]:
    """moto's server in this process, atomic thanks to moto_patch; returns (server, url)."""
    from moto.server import ThreadedMotoServer

    from devtools import moto_patch

    moto_patch.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def configure_env(endpoint: str, emulated: bool, directory: Path) -> None:
    env = os.environ
    env["DYNAMODB_ENDPOINT"] = endpoint
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    env.setdefault("TABLE_PREFIX", "rewards-local")
    env.setdefault("STAGE", "local")
    local_endpoint = urlsplit(endpoint).hostname in ("127.0.0.1", "localhost", "::1")
    if emulated:
        # Fake credentials: nothing this process does can reach a real AWS account.
        for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
            env.pop(name, None)
        env["AWS_ACCESS_KEY_ID"] = "local"
        env["AWS_SECRET_ACCESS_KEY"] = "local"
    elif local_endpoint and not env.get("AWS_PROFILE"):
        env.setdefault("AWS_ACCESS_KEY_ID", "local")
        env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    env.pop("SECRETS_SSM_PARAMETER", None)  # local secrets come from the environment
    env.update(load_or_create_secrets(directory))


# ------------------------------------------------------------------ batch worker


def start_batch_worker(stop: threading.Event) -> threading.Thread:
    """Sweep the background jobs (large batches, exports) every 0.5 s: locally there
    is no queue, so the sweeper is the worker; mark ended the campaigns past their
    end, as the deployed sweeper does every 5 minutes; and queue the deliveries due
    (scheduled, in the send window, reminders), as the deployed one does every minute."""
    from app import JOBS
    from chalicelib.core.clock import now
    from chalicelib.money import campaigns
    from chalicelib.outreach import deliveries
    from chalicelib.store import jobs

    def loop() -> None:
        while not stop.wait(0.5):
            try:
                jobs.sweep(JOBS, max_seconds=2.0)
                campaigns.end_passed(now())
                deliveries.sweep(now())  # deployed: every minute
            except Exception:  # noqa: BLE001 - a dev loop logs and keeps going
                log.exception("batch worker: a sweep failed")

    thread = threading.Thread(target=loop, name="batch-worker", daemon=True)
    thread.start()
    return thread


# ------------------------------------------------------------------ banner


def venv_command(name: str) -> str:
    """How to call a tool of this checkout's virtualenv from the repository root, as a
    newcomer can paste it (the venv is not activated: a bare `rewards` is not found)."""
    venv = ROOT / ".venv" / "bin"
    if name == "rewards":
        if (venv / "rewards").exists():
            return ".venv/bin/rewards"
        name = "-m rewards_cli"
    python = ".venv/bin/python" if (venv / "python").exists() else sys.executable
    return f"{python} {name}"


def banner(*, url: str, endpoint: str, emulated: bool, admin_token: str, demo: Any,
           reused: bool, player_token: str, now: datetime, directory: Path) -> str:
    api = f"{url}/v1"
    python = venv_command("").strip()
    ends = (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    idem = "demo-" + secrets.token_hex(6)
    where = f"moto (in process) at {endpoint}" if emulated else endpoint
    body = json.dumps({"name": "My first campaign", "currency": "VND", "budget": 5000000,
                       "ends_at": ends, "gift_expiry_days": 30})
    gift = json.dumps({"amount": 50000, "recipient": {"reference": "crm-123"}})
    lines = [
        "",
        "Rewards API is running.",
        "",
        f"  API          {api}",
        f"  Docs         {api}/openapi.json",
        f"  Widget demo  {api}/widget/demo.html?token={player_token}",
        f"  Console      {api}/console  (partner console: sign in with the API key below)",
        f"  Outbox       {api}/dev/outbox  (every email, SMS and Zalo message sent: "
        "nothing leaves this machine)",
        f"  Gift pages   {url}/g/<token>  (each gift's gift_url)",
        f"  DynamoDB     {where}, tables {os.environ['TABLE_PREFIX']}-*",
        "",
        f"  Operator     ADMIN_TOKEN={admin_token}",
        f"  Demo partner {demo.partner_id}  (Demo Coffee{', reused' if reused else ''})",
        f"  API key      {demo.key}  (all scopes)",
        f"  Campaign     {demo.campaign_id}  (Demo Tet 2027, VND, wheel big/small/none)",
        f"  Player token {player_token}",
        "               (player demo-player, valid 1 hour)",
        "",
        "  For the README's examples:",
        f"  export API={api} ADMIN_TOKEN={admin_token} KEY={demo.key} "
        f"CAMPAIGN={demo.campaign_id}",
        "",
        "Create a campaign (its id goes into NEW):",
        f"  NEW=$(curl -sS -X POST {api}/campaigns -H 'Authorization: Bearer {demo.key}' "
        f"-H 'Content-Type: application/json' -d '{body}' "
        f"| {python} -c 'import json, sys; print(json.load(sys.stdin)[\"id\"])'); echo $NEW",
        "",
        "Issue a 50.000đ gift in the demo campaign (paste it twice: the second answer is a "
        "replay, "
        "Idempotent-Replayed: true):",
        f"  curl -sS -i -X POST {api}/campaigns/{demo.campaign_id}/gifts "
        f"-H 'Authorization: Bearer {demo.key}' -H 'Idempotency-Key: {idem}' "
        f"-H 'Content-Type: application/json' -d '{gift}'",
        "",
        "Bulk-issue the sample CSV (5 gifts, 500.000đ) and write the codes to codes.csv:",
        f"  {venv_command('rewards')} issue-batch --api {api} --key {demo.key} "
        f"--campaign {demo.campaign_id} --csv docs/sample-batch.csv --out codes.csv",
        "",
        "After playing: end the demo campaign (final: the widget demo stops until the next "
        "run), then re-check every draw:",
        f"  curl -sS -X PATCH {api}/campaigns/{demo.campaign_id} "
        f"-H 'Authorization: Bearer {demo.key}' -H 'Content-Type: application/json' "
        """-d '{"status": "ended"}'""",
        f"  {venv_command('-m devtools.verify_fairness')} --api {api} --key {demo.key} "
        f"--campaign {demo.campaign_id}",
        "",
        f"State: {directory}/secrets.json, {directory}/demo.json.  Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------ main


def main() -> int:
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    for noisy in ("werkzeug", "botocore", "pynamodb", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    port = int(os.environ.get("PORT", "8000"))
    directory = state_dir()

    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    emulator = None
    endpoint = os.environ.get("DYNAMODB_ENDPOINT", "").strip()
    emulated = not endpoint
    if emulated:
        emulator, endpoint = start_emulator()
    server = serving = None
    try:
        configure_env(endpoint, emulated, directory)
        # the unsubscribe link in every email, and every gift link, points at this server
        os.environ.setdefault("PUBLIC_API_URL", f"http://127.0.0.1:{port or 8000}")

        from chalicelib.access import auth
        from chalicelib.core import config

        try:
            config.validate_environment()
        except config.InvalidSetting as exc:
            print(f"Cannot start: {exc}", file=sys.stderr, flush=True)
            return 2
        from chalicelib.store import tables

        config.reset()
        tables.bind()
        tables.create_tables()

        from devtools import seed

        now = datetime.now(UTC)
        demo, reused = seed.seed(directory / "demo.json", now)
        player_token, _ = auth.mint_player_token(demo.partner_id, demo.campaign_id,
                                                 "demo-player", 3600, now)

        server = make_server(port)
        url = f"http://127.0.0.1:{server.server.server_address[1]}"
        serving = threading.Thread(target=server.server.serve_forever, name="api",
                                   daemon=True)
        serving.start()
        worker = start_batch_worker(stop)
        # events from the tables' streams, and webhook deliveries
        from devtools import local_events

        local_events.start(stop)
        print(banner(url=url, endpoint=endpoint, emulated=emulated,
                     admin_token=os.environ["ADMIN_TOKEN"], demo=demo, reused=reused,
                     player_token=player_token, now=now, directory=directory), flush=True)

        while not stop.wait(0.5):
            if not serving.is_alive():
                print("The API server stopped unexpectedly.", file=sys.stderr)
                return 1
        print("Stopping...", flush=True)
        if worker is not None:
            worker.join(timeout=5)
        return 0
    except OSError as exc:
        print(f"Cannot start: {exc} (is port {port} in use? try PORT=8001 make run)",
              file=sys.stderr)
        return 1
    finally:
        if serving is not None:
            server.shutdown()  # waits for serve_forever to return
        if server is not None:
            server.server.server_close()
        if emulator is not None:
            emulator.stop()


def make_server(port: int) -> Any:
    """Chalice's local server for our app, built the way `chalice local` builds it."""
    from chalice.config import Config
    from chalice.deploy.validate import validate_routes
    from chalice.local import ThreadedHTTPServer, create_local_server

    from app import app

    patch_local_gateway()
    patch_request_handler()
    from_disk = json.loads((ROOT / ".chalice" / "config.json").read_text())
    config = Config(chalice_stage="dev",
                    user_provided_params={"chalice_app": app, "project_dir": str(ROOT)},
                    config_from_disk=from_disk,
                    default_params={"project_dir": str(ROOT), "autogen_policy": False})
    validate_routes(app.routes)
    # a listen backlog of 5 (the stdlib default) resets connections under a burst of
    # concurrent clients, which a gateway never does
    ThreadedHTTPServer.request_queue_size = 128
    return create_local_server(app, config, "127.0.0.1", port)


if __name__ == "__main__":
    sys.exit(main())
