"""The widget's and the console's files as shipped, read without a server: only the
listed console files can be read, no inline script, style or handler, the key kept
out of URLs and storage, the console's routes documented as static pages, and the
widget demo's script accepting only its own origin."""

from __future__ import annotations

import re

import pytest

from chalicelib.edge import assets, openapi
from tests.helpers import ROOT

CONSOLE = ROOT / "console"
WIDGET = ROOT / "widget"
FILES = {"/v1/console": "text/html", "/v1/console/console.css": "text/css",
         "/v1/console/i18n.js": "application/javascript",
         "/v1/console/charts.js": "application/javascript",
         "/v1/console/console.js": "application/javascript"}


def test_demo_script_accepts_only_its_own_origin():
    js = (WIDGET / "demo.js").read_text()
    # the script tag's src is built from the chosen base, which is this origin's
    assert "u.origin !== location.origin" in js
    assert "s.src = api + '/v1/widget/wheel.js'" in js


def test_only_listed_files_can_be_read():
    with pytest.raises(Exception, match="No console file"):
        assets.console("../app.py")
    assert set(assets.CONSOLE_TYPES) == {p.name for p in CONSOLE.iterdir()
                                        if p.suffix in (".html", ".css", ".js")} | {"console.js"}
    # console.js is console/src/ put together: every source served, none twice
    assert sorted(assets.CONSOLE_SOURCES) == sorted(p.relative_to(CONSOLE).as_posix()
                                                   for p in (CONSOLE / "src").rglob("*.js"))


def test_page_has_no_inline_script_style_or_handler():
    page = (CONSOLE / "index.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page and not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_scripts_keep_the_key_out_of_urls_and_storage_other_than_the_session():
    code = "\n".join(assets.console(name)[1] for name in ("console.js", "charts.js", "i18n.js"))
    assert "eval(" not in code and "new Function" not in code and ".innerHTML" not in code
    assert "localStorage.setItem(KEY_SLOT" not in code
    assert "sessionStorage.setItem(KEY_SLOT, key)" in code
    assert "'Authorization'" in code or "headers.Authorization" in code
    # every request goes to this origin's API base, never to an absolute URL
    assert re.findall(r"fetch\(([^,]+),", code) == ["BASE + path"]
    assert "crypto.randomUUID()" in code and "'Idempotency-Key'" in code


def test_console_routes_are_documented_as_static_pages():
    import app  # noqa: F401 - the routes register as app.py imports them

    paths = openapi.document()["paths"]
    for path, kind in FILES.items():
        op = paths[path]["get"]
        assert op["security"] == [] and op["tags"] == ["console"]
        assert kind in op["responses"]["200"]["content"]
