"""The embeddable widget's static files, served by the API itself.

Why from the Lambda: partners embed one script tag pointing at the API host, so
the widget always matches the API version it talks to. The files live in the
repo's `widget/` folder; `make package` ships that folder at the package root
(via Chalice's `vendor/`), so the same relative path works locally and in AWS.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import errors

ROOT = Path(__file__).resolve().parent.parent / "widget"
TYPES = {"wheel.js": "application/javascript; charset=utf-8",
         "demo.html": "text/html; charset=utf-8"}


@lru_cache(maxsize=8)
def read(name: str) -> tuple[str, str]:
    """Returns (content type, text). Only the listed files can ever be served."""
    if name not in TYPES:
        raise errors.NotFound(f"No widget file {name[:64]}")
    return TYPES[name], (ROOT / name).read_text(encoding="utf-8")
