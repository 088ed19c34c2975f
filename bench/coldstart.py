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
RUNS = 7


def _import_ms(statement: str) -> float:
    """Median wall time of `python -c statement`, minus an empty interpreter's."""
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "TABLE_PREFIX": "bench",
           "PYTHONDONTWRITEBYTECODE": "0"}

    def run(code: str) -> float:
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    run(statement)  # warm the bytecode cache, as a deployed package has it
    return run(statement) - run("pass")


def main() -> None:
    app_ms = _import_ms("import app")
    boto_ms = _import_ms("import boto3")
    print(f"cold start: import app.py {app_ms:6.0f} ms; import boto3 alone {boto_ms:6.0f} ms; "
          f"ratio {app_ms / boto_ms:.2f}")
    zip_path = ROOT / "dist" / "deployment.zip"
    if zip_path.exists():
        print(f"deployment zip: {zip_path.stat().st_size / 1024:,.0f} KiB "
              f"({zip_path.relative_to(ROOT)})")
    else:
        print("deployment zip: run `make package` first")


if __name__ == "__main__":
    main()
