"""Bulk-issue gifts from a CSV file and download the codes.

    rewards issue-batch --api "$API" --key rk_... \\
        --campaign cmp_... --csv staff.csv --out codes.csv [--idempotency-key K]

`--api` takes `$API` as `make run` prints it (ending in `/v1`) or a bare origin;
without it, env `REWARDS_API`, then `API`, then http://127.0.0.1:8000.

Safe to re-run after a crash or a lost connection: the Idempotency-Key is saved
next to the output, one file per campaign (`codes.csv.cmp_….idempotency-key`), with
a digest of the CSV it was made for, before anything is sent; every retry and re-run
sends the same key, so the server issues the batch once and replays its answer. The
same CSV to another campaign is another batch, with a key of its own. When the
server refuses the batch (a 4xx: bad rows, over budget, wrong key...), nothing was
issued: the saved key is removed, so fixing the CSV and running the same command
again sends a new batch. Uses only the standard library (urllib).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import random
import re
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any, TextIO

from rewards_cli import api_origin, default_api, is_refused

Response = tuple[int, dict[str, str], bytes]
Transport = Callable[[str, str, dict[str, str], bytes | None], Response]

USER_AGENT = "rewards-cli/0.1"
RETRY_STATUSES = {429, 500, 502, 503, 504}


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def urllib_transport(method: str, url: str, headers: dict[str, str],
                     body: bytes | None, timeout: float = 60.0) -> Response:
    """One HTTP exchange; HTTP error statuses are answers, network failures raise OSError."""
    if not url.startswith(("https://", "http://")):
        raise CliError(f"--api must be an http(s) URL, not {url!r}", 2)
    request = urllib.request.Request(url, data=body, method=method,  # noqa: S310
                                     headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict((exc.headers or {}).items()), exc.read()


def _problem(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _retryable(status: int, body: bytes) -> bool:
    if status in RETRY_STATUSES:
        return True
    return status == 409 and _problem(body).get("code") == "idempotency_in_progress"


def _delay(attempt: int, headers: dict[str, str]) -> float:
    backoff = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0)  # noqa: S311
    retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
    if retry_after.isdigit():
        return max(backoff, min(60.0, float(retry_after)))
    return backoff


def call(transport: Transport, method: str, url: str, headers: dict[str, str],
         body: bytes | None = None, *, attempts: int = 8,
         sleep: Callable[[float], None] = time.sleep,
         log: Callable[[str], None] = lambda _m: None) -> Response:
    """Send one request, retrying network errors, 5xx, 429 and 409
    idempotency_in_progress with jittered backoff. The headers (hence the
    Idempotency-Key) and body are identical on every attempt."""
    for attempt in range(attempts):
        answer_headers: dict[str, str] = {}
        try:
            status, answer_headers, data = transport(method, url, dict(headers), body)
        except (OSError, http.client.HTTPException) as exc:
            if is_refused(exc):
                raise CliError(f"{method} {url}: nothing answers there ({exc}); is the API "
                               "running (`make run`), and are the host and port right?") \
                    from None
            reason = f"network error: {exc}"
        else:
            if not _retryable(status, data):
                return status, answer_headers, data
            reason = f"HTTP {status} {_problem(data).get('code', '')}".strip()
        if attempt == attempts - 1:
            raise CliError(f"{method} {url} failed after {attempts} attempts ({reason})")
        wait = _delay(attempt, answer_headers)
        log(f"{reason}; retrying in {wait:.1f}s with the same Idempotency-Key")
        sleep(wait)
    raise AssertionError("unreachable")


def _fail(status: int, body: bytes, what: str) -> CliError:
    problem = _problem(body)
    lines = [f"{what}: HTTP {status} {problem.get('code', '')}: "
             f"{problem.get('detail', body[:200].decode(errors='replace'))}"]
    for item in (problem.get("errors") or [])[:20]:
        lines.append(f"  {item.get('field')}: {item.get('message')}")
    return CliError("\n".join(lines), 2 if 400 <= status < 500 else 1)


def _refused(args: argparse.Namespace, key: str, status: int, body: bytes) -> CliError:
    """The server answered the batch with an error. A 4xx means it issued nothing, so
    the saved key must not outlive the answer: the fixed CSV needs a new key (the old
    one is bound to the refused body and would get `422 idempotency_key_reused`).
    `idempotency_key_reused` itself is different: that key already issued a batch
    for another file, so nothing is deleted and the message says what to do."""
    error = _fail(status, body, "The batch was not accepted")
    if not 400 <= status < 500:
        return error
    path = _key_path(args)
    code = _problem(body).get("code")
    if code == "idempotency_key_reused":
        return CliError(f"{error}\n{_reused_hint(args, key, path)}.", error.code)
    if args.idempotency_key:
        hint = ("Nothing was issued. Once the cause is fixed, run again with another "
                "--idempotency-key (or none: a new one is made and saved).")
    else:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        hint = (f"Nothing was issued, so {path} was removed: once the cause is fixed, run "
                "the same command again (a new Idempotency-Key is made).")
    return CliError(f"{error}\n{hint}", error.code)


def _reused_hint(args: argparse.Namespace, key: str, path: str) -> str:
    """What happened, as far as the saved file tells: the key already issued a batch,
    and the server refuses it for any other request (another CSV, another campaign)."""
    saved = _saved_digest(path)
    if args.idempotency_key:
        what = (f"Idempotency-Key {key} (given with --idempotency-key) was already used "
                "for another request of this API key: another CSV, or another campaign")
        fix = "pass another --idempotency-key (or none: a new one is made and saved)"
    elif saved is not None and saved != _digest(args.csv):
        what = (f"Idempotency-Key {key} (saved in {path}) issued a batch to campaign "
                f"{args.campaign} from an earlier version of {args.csv}: the file has "
                "changed since, and the server keeps each key to the request it first saw")
        fix = (f"run with the earlier file to download those codes again, or delete {path} "
               "to issue this file as a new batch")
    else:
        what = (f"Idempotency-Key {key} (saved in {path}) was already used by this API key "
                "for another request")
        fix = f"delete {path} to issue this file as a new batch"
    return f"{what}. Nothing new was issued: {fix}"


def progress_bar(done: int, total: int, width: int = 30) -> str:
    share = done / total if total else 1.0
    filled = int(share * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {share:6.1%} {done}/{total}"


def _key_path(args: argparse.Namespace) -> str:
    """One saved key per output file and campaign: the same CSV sent to two campaigns
    is two batches, and a key bound to one would be refused for the other."""
    campaign = re.sub(r"[^A-Za-z0-9_-]", "_", args.campaign)
    return f"{args.out}.{campaign}.idempotency-key"


def _digest(csv_path: str) -> str:
    with open(csv_path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _saved_digest(path: str) -> str | None:
    """The CSV digest saved beside the key (line 2: `sha256=…`), if any."""
    with contextlib.suppress(FileNotFoundError), open(path, encoding="ascii") as f:
        for line in f.read().splitlines()[1:]:
            if line.startswith("sha256="):
                return line.removeprefix("sha256=")
    return None


def _key_for(args: argparse.Namespace, err: TextIO) -> str:
    path = _key_path(args)
    if args.idempotency_key:
        key = args.idempotency_key
    elif os.path.exists(path):
        with open(path, encoding="ascii") as f:
            key = f.read().split("\n", 1)[0].strip()
        print(f"Reusing Idempotency-Key {key} from {path}", file=err)
        return key
    else:
        key = str(uuid.uuid4())
        print(f"Idempotency-Key: {key} (saved to {path}; a re-run reuses it)", file=err)
    with open(path, "w", encoding="ascii") as f:  # saved before anything is sent
        f.write(f"{key}\nsha256={_digest(args.csv)}\n")
    return key


def issue_batch(args: argparse.Namespace, transport: Transport,
                sleep: Callable[[float], None], err: TextIO) -> int:
    base = api_origin(args.api)
    auth = {"Authorization": f"Bearer {args.key}", "Accept": "application/json"}
    with open(args.csv, "rb") as f:
        body = f.read()
    key = _key_for(args, err)

    def log(message: str) -> None:
        print(message, file=err)

    status, _h, data = call(transport, "POST", f"{base}/v1/campaigns/{args.campaign}/gift-batches",
                            {**auth, "Content-Type": "text/csv", "Idempotency-Key": key}, body,
                            sleep=sleep, log=log)
    if status not in (201, 202):
        raise _refused(args, key, status, data)
    batch = json.loads(data)
    print(f"Batch {batch['id']}: {batch['count']} gifts, total {batch['total_amount']}",
          file=err)
    polled = 0
    while batch["status"] != "completed":
        print("\r" + progress_bar(batch["issued"], batch["count"]), end="", file=err)
        err.flush()
        sleep(args.poll_seconds)
        status, _h, data = call(transport, "GET", f"{base}/v1/gift-batches/{batch['id']}", auth,
                                sleep=sleep, log=log)
        if status != 200:
            raise _fail(status, data, "Could not read the batch's progress")
        batch = json.loads(data)
        polled += 1
        if polled > args.max_polls:
            raise CliError(f"Batch {batch['id']} is still processing; re-run the same command "
                           "later to resume")
    print("\r" + progress_bar(batch["count"], batch["count"]), file=err)
    status, _h, data = call(transport, "GET", f"{base}/v1/gift-batches/{batch['id']}/gifts.csv",
                            {**auth, "Accept": "text/csv"}, sleep=sleep, log=log)
    if status != 200:
        raise _fail(status, data, "Could not download the codes")
    tmp = args.out + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.out)
    print(f"Wrote {batch['count']} codes to {args.out}", file=err)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rewards", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    ib = sub.add_parser("issue-batch", help="issue gifts from a CSV and download the codes")
    ib.add_argument("--api", default=default_api(),
                    help="the API as `make run` prints it (http://127.0.0.1:8000/v1) or its "
                         "origin; default: env REWARDS_API, then API, then "
                         "http://127.0.0.1:8000")
    ib.add_argument("--key", default=os.environ.get("REWARDS_API_KEY"),
                    help="API key with gifts:issue (or env REWARDS_API_KEY)")
    ib.add_argument("--campaign", required=True, help="campaign id (cmp_...)")
    ib.add_argument("--csv", required=True, help="input CSV: amount,reference,phone,email")
    ib.add_argument("--out", required=True, help="where to write the codes CSV")
    ib.add_argument("--idempotency-key", help="reuse a key (default: saved next to --out, "
                                               "one per campaign)")
    ib.add_argument("--poll-seconds", type=float, default=1.0, help=argparse.SUPPRESS)
    ib.add_argument("--max-polls", type=int, default=3600, help=argparse.SUPPRESS)
    wl = sub.add_parser("webhook-listen",
                        help="receive webhooks on 127.0.0.1:PORT, print verified events, "
                             "answer 400 to bad or stale (> 5 min) signatures")
    wl.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    wl.add_argument("--secret", default=os.environ.get("REWARDS_WEBHOOK_SECRET"),
                    help="the endpoint's whsec_... secret (or env REWARDS_WEBHOOK_SECRET)")
    return p


def main(argv: list[str] | None = None, transport: Transport | None = None,
         sleep: Callable[[float], None] = time.sleep, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    args = parser().parse_args(argv)
    if args.command == "webhook-listen":
        if not args.secret:
            print("error: --secret (or REWARDS_WEBHOOK_SECRET) is required", file=err)
            return 2
        from rewards_cli import webhook_verify

        return webhook_verify.listen(args.port, args.secret, err)
    if not args.key:
        print("error: --key (or REWARDS_API_KEY) is required", file=err)
        return 2
    try:
        return issue_batch(args, transport or urllib_transport, sleep, err)
    except CliError as exc:
        print(f"\nerror: {exc}", file=err)
        return exc.code
    except OSError as exc:
        print(f"\nerror: {exc}", file=err)
        return 1


if __name__ == "__main__":
    sys.exit(main())
