"""The partner CLI and the fairness verifier as a newcomer meets them, with no server:
`$API` as `make run` prints it (ending in /v1) or a bare origin, a fast and clear
failure when nothing listens, and retries that keep their idempotency key."""

from __future__ import annotations

import io
import socket
import urllib.error
from pathlib import Path

import pytest

from devtools import verify_fairness
from rewards_cli import api_origin, default_api, is_refused
from rewards_cli.__main__ import main as cli_main
from tests.helpers import ROOT


@pytest.mark.parametrize(("given", "base"), [
    ("http://127.0.0.1:8411/v1", "http://127.0.0.1:8411"),
    ("http://127.0.0.1:8411/v1/", "http://127.0.0.1:8411"),
    ("http://127.0.0.1:8411", "http://127.0.0.1:8411"),
    ("http://127.0.0.1:8411/", "http://127.0.0.1:8411"),
    ("https://h.example/prod/v1", "https://h.example/prod"),
])
def test_api_is_taken_as_printed_or_as_an_origin(given: str, base: str) -> None:
    assert api_origin(given) == base


def test_api_defaults_to_the_environment_then_the_local_stack(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REWARDS_API", raising=False)
    monkeypatch.delenv("API", raising=False)
    assert default_api() == "http://127.0.0.1:8000"
    monkeypatch.setenv("API", "http://127.0.0.1:8411/v1")
    assert default_api() == "http://127.0.0.1:8411/v1"
    monkeypatch.setenv("REWARDS_API", "https://api.example")
    assert default_api() == "https://api.example"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_fails_at_once_when_nothing_listens(tmp_path: Path) -> None:
    # given a CSV and an address where nothing listens
    src = tmp_path / "staff.csv"
    src.write_text("amount,reference\n1000,a\n")
    sleeps: list[float] = []
    err = io.StringIO()
    # when the CLI is run against it with $API as printed
    code = cli_main(["issue-batch", "--api", f"http://127.0.0.1:{_closed_port()}/v1",
                     "--key", "rk_x", "--campaign", "cmp_x", "--csv", str(src),
                     "--out", str(tmp_path / "codes.csv")], sleep=sleeps.append, err=err)
    # then it says so at once, without a retry loop (no pause asked for: how long the
    # refusal took is the machine's business)
    assert code == 1 and sleeps == []
    assert "nothing answers there" in err.getvalue() and "make run" in err.getvalue()


def test_refused_connection_is_recognised_through_urllib() -> None:
    assert is_refused(urllib.error.URLError(ConnectionRefusedError(111, "refused")))
    assert not is_refused(urllib.error.URLError(TimeoutError("timed out")))
    assert not is_refused(ConnectionResetError("reset"))


def test_verifier_fails_at_once_when_nothing_listens(
        capsys: pytest.CaptureFixture[str]) -> None:
    from devtools import verify_fairness

    code = verify_fairness.main(["--api", f"http://127.0.0.1:{_closed_port()}/v1",
                                 "--key", "rk_x", "--campaign", "cmp_x"])
    assert code == 1 and "nothing answers at" in capsys.readouterr().err


def test_sample_batch_fits_the_demo_budget() -> None:
    import csv

    rows = list(csv.DictReader((ROOT / "docs" / "sample-batch.csv").open(encoding="utf-8")))
    assert rows and set(rows[0]) == {"amount", "reference", "phone", "email"}
    # the demo campaign holds 10,000,000 VND; README's examples spend a little of it
    assert sum(int(r["amount"]) for r in rows) <= 2_000_000


def test_cli_retries_with_the_same_idempotency_key(tmp_path):
    from rewards_cli.__main__ import call

    seen = []
    answers = [OSError("connection reset"),
               (503, {}, b'{"code": "service_unavailable"}'),
               (409, {"Retry-After": "1"}, b'{"code": "idempotency_in_progress"}'),
               (201, {}, b'{"id": "bat_1"}')]

    def transport(method, url, headers, body):
        seen.append((headers["Idempotency-Key"], body))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    sleeps = []
    status, _h, data = call(transport, "POST", "https://x/v1", {"Idempotency-Key": "K"},
                            b"amount\n1\n", sleep=sleeps.append)
    assert status == 201 and len(seen) == 4 and len(sleeps) == 3
    assert set(seen) == {("K", b"amount\n1\n")}
    # a business answer is final, not retried
    answers[:] = [(409, {}, b'{"code": "budget_exhausted"}')]
    assert call(transport, "POST", "https://x/v1", {"Idempotency-Key": "K"}, b"",
                sleep=sleeps.append)[0] == 409


def test_verifier_command_line_reports_failure_when_unreachable(capsys):
    code = verify_fairness.main(["--api", "http://127.0.0.1:9", "--key", "rk_x",
                                 "--campaign", "cmp_x"])
    assert code == 1


def test_the_migration_command_calls_the_admin_route_until_it_is_done() -> None:
    from devtools import migrate_personal_data

    answers = iter([{"phase": "gifts", "done": False, "counts": {"gifts_sealed": 3}},
                    {"phase": "done", "done": True, "counts": {"gifts_sealed": 5}}])
    called: list[tuple[str, str]] = []

    def post(url: str, token: str) -> dict:
        called.append((url, token))
        return next(answers)

    out = io.StringIO()
    last = migrate_personal_data.run("http://127.0.0.1:8411/v1", "adm", post, pause=0,
                                     out=out)
    assert last["done"] and called == [
        ("http://127.0.0.1:8411/v1/admin/migrations/personal-data", "adm")] * 2
    assert out.getvalue().splitlines() == ["gifts: gifts_sealed 3", "done: gifts_sealed 5"]
