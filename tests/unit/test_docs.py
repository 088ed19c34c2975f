"""The README and its docs/ pages as a newcomer pastes them: codes that pass their
own check, no file outside the repository, no machine's paths, the venv's commands
spelled out, every page one click from the README."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.core import codes
from tests.helpers import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCS = [*PAGES, ROOT / "widget" / "README.md"]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_sample_codes_pass_their_check_character() -> None:
    for doc in DOCS:
        for code in re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b",
                               _text(doc)):
            assert codes.is_valid(code), f"{doc.name}: {code} fails its check character"


def test_docs_point_only_inside_the_repository() -> None:
    for doc in DOCS:
        text = _text(doc)
        assert not re.search(r"(?<![\w/])API\.md", text), f"{doc.name} cites API.md"
        assert not re.search(r"(?<![\w.])/(work|home|Users|tmp)/", text), \
            f"{doc.name} holds a machine-specific path"
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if not re.match(r"https?://", target):
                assert (doc.parent / target).exists(), f"{doc.name} links to {target}"


def test_readme_calls_the_venvs_tools_by_their_path() -> None:
    text = "\n".join(_text(page) for page in PAGES)
    assert not re.search(r"^\s*rewards ", text, re.M), "a bare `rewards` is not on PATH"
    assert ".venv/bin/rewards issue-batch" in text or "-m rewards_cli issue-batch" in text
    assert "docs/sample-batch.csv" in text and (ROOT / "docs" / "sample-batch.csv").exists()
    fairness = _text(ROOT / "docs" / "wheel-and-fairness.md")
    assert '"status": "ended"' in fairness  # ending a campaign, before the verifier
    assert fairness.index('"status": "ended"') < fairness.index("devtools.verify_fairness --api")
    assert "429 rate_limited" in text and "Retry-After" in text
    assert "make test-fast" in text


def test_readme_links_every_docs_page() -> None:
    readme = _text(ROOT / "README.md")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, f"README.md does not link docs/{page.name}"
