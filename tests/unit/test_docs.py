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


def test_the_fairness_check_is_the_wheel_pages_last_step() -> None:
    """It ends the demo campaign: a newcomer who follows the page from the top must
    have tried the widget before it."""
    fairness = _text(ROOT / "docs" / "wheel-and-fairness.md")
    headings = re.findall(r"^## (.+)$", fairness, re.M)
    assert headings[-1] == "Checking a finished campaign", headings
    assert fairness.index('"status": "ended"') > fairness.index("## Wheel widget")
    assert "keep it for last" in _text(ROOT / "README.md")


def test_the_wheel_page_plays_with_curl() -> None:
    fairness = _text(ROOT / "docs" / "wheel-and-fairness.md")
    playing = fairness[fairness.index("## Playing"):fairness.index("## The draw")]
    for call in ('"$API/campaigns/$CAMPAIGN/player-tokens"', '"$API/play/wheel"',
                 '"$API/play/spins"'):
        assert f"curl -sS {call}" in playing or f"curl -sS -X POST {call}" in playing, call
    assert "Idempotency-Key: spin-" in playing


def test_examples_write_files_only_where_git_ignores_them() -> None:
    """`curl -o`, the CLI's `--out`: a pasted example leaves nothing new for `git
    status` to show."""
    import subprocess

    written = []
    for doc in DOCS:
        for path in re.findall(r"(?:\s-o|\s--out)\s+\"?([^\s\"\\]+)", _text(doc)):
            if path != "/dev/null":
                written.append((doc.name, path))
    assert written, "no example writes a file: the pattern is out of date"
    for name, path in written:
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path],
                                 cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{name} writes {path}, which git does not ignore"
