"""Cold-start cost: the time to import app.py in a fresh interpreter (what a new
Lambda pays before its first request), next to importing boto3 alone, and the
size of the deployment zip.

Run: `make bench` (after `make package` for the zip size).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15
STATEMENTS = ("pass", "import app", "import boto3")


def _run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of `python -c code`."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"python -c {code!r} failed ({status})")
    return (time.perf_counter() - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def _import_ms() -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each statement, less an empty interpreter's.

    Why interleaved, and CPU too: on a shared machine the load changes from second to
    second, so timing one statement's runs after the other's compares two loads; a
    round of each in turn, and the CPU a run took (which waiting for a core does not
    add to), keep the ratio steady where wall time alone swung from 1.0 to 1.9."""
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "TABLE_PREFIX": "bench",
           "PYTHONDONTWRITEBYTECODE": ""}
    for code in STATEMENTS:
        _run(code, env)  # warm the bytecode cache, as a deployed package has it
    samples: dict[str, list[tuple[float, float]]] = {code: [] for code in STATEMENTS}
    for _ in range(RUNS):
        for code in STATEMENTS:
            samples[code].append(_run(code, env))
    medians = {code: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for code, runs in samples.items()}
    wall0, cpu0 = medians["pass"]
    return {code: (wall - wall0, cpu - cpu0) for code, (wall, cpu) in medians.items()}


def main() -> None:
    times = _import_ms()
    (app_ms, app_cpu), (boto_ms, boto_cpu) = times["import app"], times["import boto3"]
    print(f"cold start: import app.py {app_ms:6.0f} ms; import boto3 alone {boto_ms:6.0f} ms; "
          f"ratio {app_ms / boto_ms:.2f} (CPU {app_cpu:.0f} ms / {boto_cpu:.0f} ms, "
          f"ratio {app_cpu / boto_cpu:.2f})")
    zip_path = ROOT / "dist" / "deployment.zip"
    if zip_path.exists():
        print(f"deployment zip: {zip_path.stat().st_size / 1024:,.0f} KiB "
              f"({zip_path.relative_to(ROOT)})")
    else:
        print("deployment zip: run `make package` first")


if __name__ == "__main__":
    main()
