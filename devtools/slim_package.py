"""Drop from a chalice deployment zip what the Lambda Python runtime already provides.

Why: pynamodb pulls in botocore (about 16 MB compressed) and its dependencies,
which the runtime ships anyway; leaving them out makes the zip small, so uploads
and cold starts are faster. Usage: python devtools/slim_package.py dist/deployment.zip
"""

from __future__ import annotations

import os
import re
import sys
import zipfile

# Top-level names (packages, modules, *.dist-info / *.data of the same projects).
PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "python_dateutil",
            "urllib3", "six")
_META = re.compile(r"^(?P<name>[A-Za-z0-9_.]+?)-[0-9][^/]*\.(dist-info|data)$")


def provided(path: str) -> bool:
    top = path.split("/", 1)[0]
    if top in PROVIDED or top.removesuffix(".py") in PROVIDED:
        return True
    meta = _META.match(top)
    return bool(meta and meta.group("name").lower().replace("-", "_") in PROVIDED)


def slim(path: str) -> tuple[int, int, int]:
    """Rewrite the zip without provided packages; returns (old size, new size, entries dropped)."""
    before = os.path.getsize(path)
    tmp = path + ".tmp"
    dropped = 0
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as dst:
        for info in src.infolist():
            if provided(info.filename):
                dropped += 1
                continue
            dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED,
                         compresslevel=9)
    os.replace(tmp, path)
    return before, os.path.getsize(path), dropped


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    before, after, dropped = slim(argv[1])
    with zipfile.ZipFile(argv[1]) as z:
        tops = sorted({n.split("/", 1)[0] for n in z.namelist()})
    print(f"{argv[1]}: {before / 1e6:.1f} MB -> {after / 1e6:.2f} MB "
          f"({after:,} bytes; dropped {dropped} files the Lambda runtime provides)")
    print("contents: " + ", ".join(tops))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
