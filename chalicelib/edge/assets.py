"""The embeddable widget's static files, served by the API itself.

Why from the Lambda: partners embed one script tag pointing at the API host, so
the widget always matches the API version it talks to. The files live in the
repo's `widget/` folder; `make package` ships that folder at the package root
(via Chalice's `vendor/`), so the same relative path works locally and in AWS.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from chalicelib.core import config, errors

ROOT = Path(__file__).resolve().parents[2] / "widget"  # beside chalicelib/
TYPES = {"wheel.js": "application/javascript; charset=utf-8",
         "demo.html": "text/html; charset=utf-8",
         "demo.js": "application/javascript; charset=utf-8",
         "favicon.svg": "image/svg+xml"}
# The icon of the pages the API serves (console, widget demo, results report): each
# links it as `…/v1/favicon.svg`, relative to itself, so a stage prefix is kept and no
# browser asks the origin for /favicon.ico (a 404). Opened on its own, the SVG may
# run and load nothing.
ICON_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
DEMO_FILES = ("demo.html", "demo.js")
NONCE_MARK = "__CSP_NONCE__"
# The demo page runs only scripts from this origin (demo.js, then wheel.js), talks only
# to this origin, and its styles are its own <style> and the widget's injected one,
# both carrying the per-response nonce. No inline script, nothing framed.
DEMO_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; "
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


@lru_cache(maxsize=8)
def read(name: str) -> tuple[str, str]:
    """Returns (content type, text). Only the listed files can ever be served."""
    if name not in TYPES:
        raise errors.NotFound(f"No widget file {name[:64]}")
    return TYPES[name], (ROOT / name).read_text(encoding="utf-8")


def icon() -> tuple[str, str, dict[str, str]]:
    content_type, text = read("favicon.svg")
    return content_type, text, {"Cache-Control": "public, max-age=86400",
                                "Content-Security-Policy": ICON_CSP}


def demo(name: str) -> tuple[str, str, dict[str, str]]:
    """The demo page (or its script) with its own headers: (content type, text, headers).

    Not served on the prod stage: the page takes a player token from its URL, which is
    fine for trying the widget and wrong for real players. The page gets a fresh CSP
    nonce per response, for its own <style> and the one the widget injects."""
    if name not in DEMO_FILES or config.settings().stage == "prod":
        raise errors.NotFound(f"No widget file {name[:64]}")
    content_type, text = read(name)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if name == "demo.html":
        nonce = secrets.token_urlsafe(18)
        text = text.replace(NONCE_MARK, nonce)
        headers.update({"Content-Security-Policy": DEMO_CSP.format(nonce=nonce),
                        "Referrer-Policy": "no-referrer"})
    return content_type, text, headers


# ------------------------------------------------------------------ partner console

CONSOLE_ROOT = ROOT.parent / "console"
# Only these files can ever be served, each with its own type; the vendored chart
# library's licence travels with it in console/vendor/ but is not served.
CONSOLE_TYPES = {"index.html": "text/html; charset=utf-8",
                 "console.css": "text/css; charset=utf-8",
                 "i18n.js": "application/javascript; charset=utf-8",
                 "charts.js": "application/javascript; charset=utf-8",
                 "console.js": "application/javascript; charset=utf-8"}
# console.js is served as these sources (console/src/), in this order, inside one
# function: what they declare is shared between them and never becomes a page global.
# main.js starts the console, so it comes last.
CONSOLE_SOURCES = ("src/format.js", "src/routes.js", "src/odds.js", "src/idempotency.js",
                   "src/state.js", "src/dom.js", "src/api.js", "src/shell.js",
                   "src/views/signin.js", "src/views/campaigns.js", "src/views/wheel-editor.js",
                   "src/views/new-campaign.js", "src/views/campaign.js", "src/views/delivery.js",
                   "src/views/report.js", "src/views/gifts.js", "src/views/gift.js",
                   "src/views/deliveries.js", "src/views/webhooks.js",
                   "src/main.js")
# The console runs only its own scripts and styles (no inline script or style, no
# eval), talks only to this API (connect-src 'self': the partner key never leaves
# for another origin), shows QR codes as blob: images, and cannot be framed.
CONSOLE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; "
               "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=8)
def _console_text(name: str) -> str:
    if name == "console.js":
        parts = [f"// ---- console/{src}\n" + (CONSOLE_ROOT / src).read_text(encoding="utf-8")
                 for src in CONSOLE_SOURCES]
        return ("/* The partner console: console/src/ in CONSOLE_SOURCES' order. */\n"
                "(function () {\n'use strict';\n\n" + "\n".join(parts) + "\n}());\n")
    return (CONSOLE_ROOT / name).read_text(encoding="utf-8")


def console(name: str) -> tuple[str, str, dict[str, str]]:
    """A partner console file: (content type, text, headers). The page is never
    cached (a new release is picked up at once); its scripts and style may be,
    briefly. Served on every stage: the console holds no secret of its own, the
    partner signs in with a key kept in the tab's sessionStorage."""
    if name not in CONSOLE_TYPES:
        raise errors.NotFound(f"No console file {name[:64]}")
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": CONSOLE_CSP,
               "Referrer-Policy": "no-referrer"}
    headers["Cache-Control"] = ("no-store" if name == "index.html"
                                else "public, max-age=60")
    return CONSOLE_TYPES[name], _console_text(name), headers


# ------------------------------------------------------------------ API reference

REFERENCE_ROOT = ROOT.parent / "reference"
# Only these files can ever be served: the page, its starter and style, and Swagger UI
# as vendored (reference/vendor/README.md: version, hashes, licence; the licence
# files ship beside it but are not served).
REFERENCE_FILES = {"index.html": ("index.html", "text/html; charset=utf-8"),
                   "docs.js": ("docs.js", "application/javascript; charset=utf-8"),
                   "docs.css": ("docs.css", "text/css; charset=utf-8"),
                   "swagger-ui-bundle.js": ("vendor/swagger-ui-bundle.js",
                                            "application/javascript; charset=utf-8"),
                   "swagger-ui.css": ("vendor/swagger-ui.css", "text/css; charset=utf-8")}
# The reference runs only its own scripts (no inline script, no eval), loads only its
# own styles (no inline style element), fetches only this API's document, shows
# Swagger UI's icons (inline SVG data: images) and cannot be framed.
REFERENCE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; "
                 "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
# A problem page is text and one style sheet (and an empty data: icon): no script.
PROBLEM_CSP = ("default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=8)
def _reference_text(path: str) -> str:
    return (REFERENCE_ROOT / path).read_text(encoding="utf-8")


def reference(name: str) -> tuple[str, str, dict[str, str]]:
    """A file of the API reference page: (content type, text, headers). The page is
    not cached (it follows the document); the vendored viewer may be, for an hour."""
    if name not in REFERENCE_FILES:
        raise errors.NotFound(f"No reference file {name[:64]}")
    path, content_type = REFERENCE_FILES[name]
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": REFERENCE_CSP,
               "Referrer-Policy": "no-referrer",
               "Cache-Control": "no-store" if name == "index.html" else "public, max-age=3600"}
    return content_type, _reference_text(path), headers
