"""The partner CLI and the fairness verifier as a newcomer meets them: `$API` as
`make run` prints it (ending in /v1) or a bare origin, a fast and clear failure when
nothing listens, and a batch the server refused that can be fixed and re-run."""

from __future__ import annotations

import io
import urllib.error
from pathlib import Path

import pytest

from rewards_cli.__main__ import main as cli_main


def test_verifier_takes_api_as_printed(api, partner) -> None:  # noqa: ANN001
    from devtools import verify_fairness

    c = api.campaign(partner["key"])
    seen: list[str] = []

    def fake_urlopen(request, timeout):  # noqa: ANN001, ANN202
        seen.append(request.full_url)
        raise urllib.error.URLError(TimeoutError("stop here"))

    fetch = verify_fairness.http_fetcher("http://127.0.0.1:8411/v1/", partner["key"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(verify_fairness.urllib.request, "urlopen", fake_urlopen)
        with pytest.raises(urllib.error.URLError):
            fetch(f"/v1/campaigns/{c['id']}/fairness")
    assert seen == [f"http://127.0.0.1:8411/v1/campaigns/{c['id']}/fairness"]


def _transport(api):  # noqa: ANN001, ANN202
    posts: list[str] = []

    def transport(method, url, headers, body):  # noqa: ANN001, ANN202
        path = url.removeprefix("https://api.test")
        assert path.startswith("/v1/") and not path.startswith("/v1/v1/")
        if method == "POST":
            posts.append(headers["Idempotency-Key"])
        r = getattr(api.client.http, method.lower())(path, headers=headers, body=body)
        return r.status_code, dict(r.headers), r.body

    return transport, posts


def test_cli_refused_batch_drops_its_key_so_the_fixed_file_goes_through(
        api, partner, tmp_path: Path) -> None:  # noqa: ANN001
    # given a CSV with a bad phone number, sent with $API as printed
    c = api.campaign(partner["key"])
    src = tmp_path / "staff.csv"
    src.write_text("amount,reference,phone\n1000,a,+84901234567\n2000,b,call me\n")
    out = tmp_path / "codes.csv"
    key_file = tmp_path / f"codes.csv.{c['id']}.idempotency-key"
    transport, posts = _transport(api)
    argv = ["issue-batch", "--api", "https://api.test/v1", "--key", partner["key"],
            "--campaign", c["id"], "--csv", str(src), "--out", str(out)]
    err = io.StringIO()
    # when the server refuses it
    assert cli_main(argv, transport=transport, sleep=lambda s: None, err=err) == 2
    # then the message is a sentence, the key file is gone, and it says what to do
    text = err.getvalue()
    assert "rows[3].phone" in text and "regex" not in text and "digits" in text
    assert not key_file.exists() and "run the same command again" in text
    # when the file is fixed and the same command runs again, a new key issues it
    src.write_text("amount,reference,phone\n1000,a,+84901234567\n2000,b,+84901234568\n")
    err = io.StringIO()
    assert cli_main(argv, transport=transport, sleep=lambda s: None, err=err) == 0, \
        err.getvalue()
    assert len(posts) == 2 and posts[0] != posts[1]
    assert key_file.read_text().splitlines()[0] == posts[1]
    assert len(out.read_text().splitlines()) == 3


def test_cli_key_reused_for_another_file_keeps_the_key_and_says_what_to_do(
        api, partner, tmp_path: Path) -> None:  # noqa: ANN001
    # given a batch issued from one file
    c = api.campaign(partner["key"])
    src = tmp_path / "staff.csv"
    src.write_text("amount,reference\n1000,a\n")
    out = tmp_path / "codes.csv"
    key_file = tmp_path / f"codes.csv.{c['id']}.idempotency-key"
    transport, posts = _transport(api)
    argv = ["issue-batch", "--api", "https://api.test", "--key", partner["key"],
            "--campaign", c["id"], "--csv", str(src), "--out", str(out)]
    assert cli_main(argv, transport=transport, sleep=lambda s: None, err=io.StringIO()) == 0
    # when another file is sent with the same --out (so the same saved key)
    src.write_text("amount,reference\n1000,a\n1000,b\n")
    err = io.StringIO()
    assert cli_main(argv, transport=transport, sleep=lambda s: None, err=err) == 2
    # then nothing is deleted (that key issued a batch), and it says what happened
    # (the file changed since the key was saved) and what to do
    assert key_file.read_text().splitlines()[0] == posts[0] == posts[1]
    text = err.getvalue()
    assert "idempotency_key_reused" in text and "Nothing new was issued" in text
    assert f"from an earlier version of {src}" in text and f"delete {key_file}" in text
    assert "different CSV" not in text


def test_cli_same_csv_to_two_campaigns_issues_two_batches(api, partner,
                                                          tmp_path: Path) -> None:  # noqa: ANN001
    """The banner's command (the demo campaign) and the docs' (a new one) both write
    codes.csv from the sample CSV: the second used to get the first's key, and 422."""
    first, second = api.campaign(partner["key"]), api.campaign(partner["key"])
    src = tmp_path / "sample.csv"
    src.write_text("amount,reference\n1000,a\n2000,b\n")
    out = tmp_path / "codes.csv"
    transport, posts = _transport(api)
    for c in (first, second):
        argv = ["issue-batch", "--api", "https://api.test/v1", "--key", partner["key"],
                "--campaign", c["id"], "--csv", str(src), "--out", str(out)]
        err = io.StringIO()
        assert cli_main(argv, transport=transport, sleep=lambda s: None, err=err) == 0, \
            err.getvalue()
        assert len(out.read_text().splitlines()) == 3
        assert api.budget(partner["key"], c["id"])["spent"] == 3000
    assert len(set(posts)) == 2
    assert sorted(p.name for p in tmp_path.glob("codes.csv.*.idempotency-key")) == sorted(
        f"codes.csv.{c['id']}.idempotency-key" for c in (first, second))


