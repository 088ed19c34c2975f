"""The embeddable widget's static files, served by the API itself.

Why from the Lambda: partners embed one script tag pointing at the API host, so
the widget always matches the API version it talks to. The files live in the
repo's `widget/` folder; `make package` ships that folder at the package root
(via Chalice's `vendor/`), so the same relative path works locally and in AWS.
"""

from __future__ import annotations

import base64
import hashlib
import re
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


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@lru_cache(maxsize=8)
def headers(name: str) -> dict[str, str]:
    """The security headers of a served file: the demo page's Content-Security-Policy.

    Why hashes and `'self'`: the page's own inline script is allowed by its SHA-256
    and scripts load only from the API's own origin, so `?api=data:...` or another
    host can never run code on this origin. The page is a demo, not something to
    frame: `frame-ancestors 'none'`. Partners embed the widget as a script in their
    own page (wheel.js), which frame-ancestors does not concern. Inline styles stay
    allowed: the widget injects its stylesheet, and CSS cannot run code."""
    if not name.endswith(".html"):
        return {}
    _, text = read(name)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(text))
    policy = ("default-src 'none'; script-src 'self' " + hashes + "; "
              "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return {"Content-Security-Policy": policy, "Referrer-Policy": "no-referrer"}
