"""Drop from a chalice deployment zip what the Lambda Python runtime already provides,
and add the bytecode of what is left.

Why drop: pynamodb pulls in botocore (about 16 MB compressed) and its dependencies,
which the runtime ships anyway; leaving them out makes the zip small, so uploads
and cold starts are faster.

Why bytecode: Lambda runs the code from /var/task, which is read-only, so Python
cannot keep the bytecode it compiles: without .pyc files in the zip every cold start
compiles chalice, pynamodb, msgspec's Python and chalicelib from source again (about
150 ms of CPU, half again what the imports themselves cost). The .pyc files are
hash-based and unchecked (PEP 552), so the files' times after extraction do not
matter (the importer gives the code the path it was found at, so tracebacks still
show their lines). They are made by the Python that packages, which is the one
chalice takes the runtime's version from. Any __pycache__ the work tree had is left
out.

Usage: python devtools/slim_package.py dist/deployment.zip
"""

from __future__ import annotations

import importlib.util
import marshal
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


def bytecode(name: str, source: bytes) -> tuple[str, bytes] | None:
    """The .pyc of source file `name` (a path in the zip) and where it goes, or None
    when it does not compile (a file for another Python that is never imported)."""
    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    unchecked_hash = (1).to_bytes(4, "little")  # PEP 552 flags: hash-based, not checked
    data = importlib.util.MAGIC_NUMBER + unchecked_hash + importlib.util.source_hash(
        source) + marshal.dumps(code)
    return importlib.util.cache_from_source(name), data


def _stale(name: str) -> bool:
    return "__pycache__/" in name or name.endswith((".pyc", ".pyo"))


def slim(path: str) -> tuple[int, int, int]:
    """Rewrite the zip without provided packages and with bytecode; returns (old size,
    new size, entries dropped)."""
    before = os.path.getsize(path)
    tmp = path + ".tmp"
    dropped = 0
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as dst:
        for info in src.infolist():
            if provided(info.filename) or _stale(info.filename):
                dropped += 1
                continue
            data = src.read(info)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            compiled = bytecode(info.filename, data) if info.filename.endswith(".py") else None
            if compiled is not None:
                pyc = zipfile.ZipInfo(compiled[0], date_time=info.date_time)
                pyc.external_attr = info.external_attr
                dst.writestr(pyc, compiled[1], compress_type=zipfile.ZIP_DEFLATED,
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
          f"({after:,} bytes; dropped {dropped} files the Lambda runtime provides or "
          f"stale bytecode; bytecode for Python {sys.version_info.major}."
          f"{sys.version_info.minor} added)")
    print("contents: " + ", ".join(tops))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
