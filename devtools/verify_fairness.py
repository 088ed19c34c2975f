"""Re-verify every spin of an ended campaign from the published data alone.

    .venv/bin/python -m devtools.verify_fairness --api "$API" --key rk_... --campaign cmp_...

`--api` takes `$API` as `make run` prints it (ending in `/v1`) or a bare origin;
without it, env `REWARDS_API`, then `API`, then http://127.0.0.1:8000.

Fetches the fairness record (the revealed server seed), the campaign's wheel and
every page of its spins, recomputes each roll with `chalicelib.wheel.verify`
(pure, no AWS) and prints a summary. Exit 0 when every roll verifies, 1 when
anything does not (the seed is not revealed yet, or the data cannot be fetched).

`verify_campaign(fetch, campaign_id)` is the same check driven by any
`fetch(path) -> dict`, so tests run it through Chalice's test client.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core import fair_draw
from rewards_cli import api_origin, default_api, is_refused

Fetch = Callable[[str], dict[str, Any]]


@dataclass
class Result:
    campaign_id: str
    algorithm: str = ""
    spins: int = 0
    fallbacks: int = 0
    erased: int = 0  # players erased on request: their rolls cannot be recomputed
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            verdict = f"FAILED: {len(self.problems)} problem(s)"
        elif self.erased:
            verdict = (f"OK: every roll verifies, but {self.erased} spin(s) erased on "
                       "request cannot be recomputed (their client seeds named players "
                       "whose ids were erased); each lands on its drawn segment")
        else:
            verdict = "OK: every roll verifies"
        lines = [f"campaign {self.campaign_id} ({self.algorithm or 'unknown algorithm'})",
                 f"spins checked: {self.spins} (fallbacks: {self.fallbacks}, erased on "
                 f"request: {self.erased})", verdict]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class MaskedSpins(ValueError):
    """The key lacks `players:read`: client seeds come back masked and cannot verify."""


def all_spins(fetch: Fetch, campaign_id: str, page_size: int = 100) -> list[dict[str, Any]]:
    spins: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": str(page_size)}
        if cursor:
            query["cursor"] = cursor
        page = fetch(f"/v1/campaigns/{campaign_id}/spins?{urllib.parse.urlencode(query)}")
        if page.get("players_masked"):
            raise MaskedSpins("the key lacks players:read, so the spins' client seeds (which "
                              "hold the player ids) are masked; use a key with "
                              "campaigns:read and players:read, or --draw-log with an "
                              "unmasked draw-log export")
        spins += page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return spins


def draw_log_spins(text: str) -> list[dict[str, Any]]:
    """The spins of a draw-log export (`POST /v1/campaigns/{id}/exports` kind
    `draw_log` with `?unmask=true`: masked client seeds cannot be replayed)."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    return [{"id": r["spin_id"], "client_seed": r["client_seed"] or None,
             "erased": r.get("erased") == "1", "nonce": int(r["nonce"]),
             "roll": int(r["roll"]), "total_weight": int(r["total_weight"]),
             "drawn_segment_id": r["drawn_segment_id"],
             "segment_id": r["awarded_segment_id"], "fallback": r["fallback"] == "1",
             **({"pick": int(r["pick"])} if r.get("pick") else {})}
            for r in rows]


def verify_campaign(fetch: Fetch, campaign_id: str,
                    spins: list[dict[str, Any]] | None = None) -> Result:
    """`spins`: check these (a draw-log export) instead of fetching the spins list."""
    result = Result(campaign_id)
    fair = fetch(f"/v1/campaigns/{campaign_id}/fairness")
    result.algorithm = fair.get("algorithm", "")
    if result.algorithm != fair_draw.ALGORITHM:
        result.problems.append(f"unknown algorithm {result.algorithm!r}; this tool checks "
                               f"{fair_draw.ALGORITHM}")
        return result
    seed = fair.get("server_seed")
    if not seed:
        result.problems.append("the server seed is not revealed yet (the campaign has not "
                               "ended)")
        return result
    campaign = fetch(f"/v1/campaigns/{campaign_id}")
    segments = (campaign.get("wheel") or {}).get("segments") or []
    published = (campaign.get("fairness") or {}).get("seed_commitment")
    if published != fair.get("seed_commitment"):
        result.problems.append("the campaign and the fairness record publish different "
                               "commitments")
    if spins is None:
        try:
            spins = all_spins(fetch, campaign_id)
        except MaskedSpins as exc:
            result.problems.append(str(exc))
            return result
    result.spins = len(spins)
    result.fallbacks = sum(1 for s in spins if s.get("fallback"))
    result.erased = sum(1 for s in spins if fair_draw.is_erased(s))
    game = campaign.get("game") or {}
    envelopes = game.get("envelopes") if game.get("kind") == "envelope" else None
    result.problems += fair_draw.verify(seed, fair.get("seed_commitment", ""), segments, spins,
                                        envelopes)
    for s in spins:
        if not s.get("fallback") and s.get("segment_id") != s.get("drawn_segment_id"):
            result.problems.append(f"spin {s.get('id')!r}: landed on {s.get('segment_id')!r} "
                                   f"but drew {s.get('drawn_segment_id')!r} without fallback")
    return result


def http_fetcher(api: str, key: str, timeout: float = 30) -> Fetch:
    base = api_origin(api)

    def fetch(path: str) -> dict[str, Any]:
        request = urllib.request.Request(base + path, headers={
            "Authorization": f"Bearer {key}", "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())

    return fetch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default=default_api(),
                        help="the API as `make run` prints it (http://127.0.0.1:8000/v1) or "
                             "its origin; default: env REWARDS_API, then API, then "
                             "http://127.0.0.1:8000")
    parser.add_argument("--key", required=True,
                        help="partner API key with campaigns:read and players:read")
    parser.add_argument("--campaign", required=True, help="campaign id (cmp_...)")
    parser.add_argument("--draw-log", help="check the rows of this draw-log export (CSV, "
                                           "unmasked) instead of fetching the spins")
    args = parser.parse_args(argv)
    try:
        spins = None
        if args.draw_log:
            with open(args.draw_log, encoding="utf-8") as f:
                spins = draw_log_spins(f.read())
        result = verify_campaign(http_fetcher(args.api, args.key), args.campaign, spins)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        if is_refused(exc):
            print(f"nothing answers at {api_origin(args.api)} ({exc}); is the API running "
                  "(`make run`), and are the host and port right?", file=sys.stderr)
        elif isinstance(exc, urllib.error.HTTPError):
            print(f"could not fetch the campaign's data: {exc} from {exc.url}",
                  file=sys.stderr)
        else:
            print(f"could not fetch the campaign's data: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
