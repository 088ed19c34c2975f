"""Seal the personal data stored before issue 21, once, after deploying this version.

    ADMIN_TOKEN=... .venv/bin/python -m devtools.migrate_personal_data --api "$API"

Calls `POST /v1/admin/migrations/personal-data` (admin token) until it answers
`done`, printing each turn's progress. The work runs in the stack (only its
functions may unwrap the data key), 20 s a turn from a checkpoint it stores, so
the command may be stopped and run again at any time: it resumes where the last
turn stopped, and a second run after `done` does nothing. What is migrated and what
is not: `chalicelib/bulk/legacy.py`, docs/personal-data.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from rewards_cli import api_origin, default_api

Post = Callable[[str, str], dict[str, Any]]
"""(url, admin token) -> the JSON answer of POST url."""


def http_post(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url, data=b"", method="POST", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def run(api: str, token: str, post: Post = http_post, pause: float = 0.5,
        out: Any = sys.stdout) -> dict[str, Any]:
    url = f"{api_origin(api)}/v1/admin/migrations/personal-data"
    while True:
        progress = post(url, token)
        counts = ", ".join(f"{k} {v}" for k, v in progress["counts"].items())
        print(f"{progress['phase']}: {counts}", file=out)
        if progress["done"]:
            return progress
        time.sleep(pause)  # a turn is 20 s of work; the pause only spaces the calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default=default_api(),
                        help="the API (as `make run` prints it, or the stage's URL)")
    parser.add_argument("--admin-token", default=os.environ.get("ADMIN_TOKEN", ""),
                        help="the stage's admin token (default: env ADMIN_TOKEN)")
    args = parser.parse_args(argv)
    if not args.admin_token:
        print("an admin token is needed: --admin-token or env ADMIN_TOKEN", file=sys.stderr)
        return 2
    try:
        run(args.api, args.admin_token)
    except OSError as exc:
        print(f"the migration stopped ({exc}); run the command again to resume",
              file=sys.stderr)
        return 1
    print("every item stored before issue 21 is sealed (see docs/personal-data.md for "
          "what stays)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
