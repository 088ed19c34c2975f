"""What every tier shares: an environment that can never reach AWS (fake
credentials, test secrets), hypothesis profiles, the service's clock under the
test's control, and the tier markers (`stack`, `browser`) given by folder.

Tiers: unit/ (pure logic), api/ (Chalice's test client, moto in process),
stack/ (a running local stack: moto's server, the event threads, `make run`),
browser/ (Playwright and chromium). Helpers live in tests/helpers."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
    "ADMIN_TOKEN": "test-admin-token", "SIGNING_KEYS": "k1:test-signing-secret-0123456789abcdef",
    "CODE_LOOKUP_KEYS": "l1:test-lookup-secret-0123456789abcdef",
    "CODE_DATA_KEYS": "d1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "GIFT_LINK_KEYS": "g1:test-gift-link-secret-0123456789abcdef",
    "TABLE_PREFIX": "rewards-test", "STAGE": "test",
    # a player's own limit (10 a second deployed) is off in tests that do not test
    # it: many play with one token in one stopped second; test_rate_limit_headers.py
    # sets it, and the stack tier (`make run`) runs with the default
    "PLAYER_RATE_LIMIT": "0",
})
os.environ.pop("DYNAMODB_ENDPOINT", None)

from chalice.test import BaseClient  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from devtools import moto_patch  # noqa: E402
from tests.helpers.clocks import StoppedClock  # noqa: E402

moto_patch.install()


def _share_botocore_data() -> None:
    """One loader of botocore's data files for every botocore session of the run.
    PynamoDB opens a session per table connection and thread, and every test
    rebinds the tables: each new session parsed the same service-model JSON again,
    about half of the suite's CPU time. The files are read-only, so sharing what was
    parsed changes no answer."""
    import botocore.loaders
    import botocore.session

    loader = botocore.loaders.create_loader()

    def register_shared_loader(self: botocore.session.Session) -> None:
        self._components.register_component("data_loader", loader)

    botocore.session.Session._register_data_loader = register_shared_loader


_share_botocore_data()


def _share_botocore_clients() -> None:
    """One botocore client per service, region, endpoint and settings for the run.
    PynamoDB opens a client per table connection and thread, so a test that races 40
    threads built hundreds, each registering its handlers again. Clients are
    thread-safe and hold no answer; moto and the tests' DynamoDB patch act on every
    client alike. Sessions given their own credentials keep their own clients."""
    import inspect
    import threading

    import botocore.session

    original = botocore.session.Session.create_client
    signature = inspect.signature(original)
    made: dict[str, object] = {}
    lock = threading.Lock()

    def create_client(self: botocore.session.Session, *args: object,
                      **kwargs: object) -> object:
        given = signature.bind(self, *args, **kwargs).arguments
        given.pop("self")
        if self._credentials is not None or any(
                given.get(k) for k in ("aws_access_key_id", "aws_secret_access_key",
                                       "aws_session_token")):
            return original(self, *args, **kwargs)
        config = given.pop("config", None)
        key = repr((sorted(given.items()),
                    sorted(config._user_provided_options.items()) if config else None))
        with lock:
            if key not in made:
                made[key] = original(self, *args, **kwargs)
            return made[key]

    botocore.session.Session.create_client = create_client


_share_botocore_clients()

# Speed is measured in bench/, never in tests: no per-example deadline. CI replays
# the same examples every run, so a red build is reproducible, not a coin toss.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@contextlib.contextmanager
def _keep_environment(self, environment_variables):  # noqa: ANN001, ANN202
    yield


# Chalice's test client swaps os.environ for a copy holding the stage's deploy-time
# variables on every request; the swap is not thread-safe (racing requests restore
# each other's copies) and would point tests at the dev stage's tables. Tests own
# their environment, set above.
BaseClient._patched_env_vars = _keep_environment

TESTS = Path(__file__).resolve().parent
MARKED_TIERS = ("stack", "browser")  # each folder's name is its marker's


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/stack/ is marked `stack`, under tests/browser/ `browser`,
    so `-m "not stack and not browser"` leaves them out without naming a file."""
    for item in items:
        parts = Path(item.path).resolve().relative_to(TESTS).parts
        if parts and parts[0] in MARKED_TIERS:
            item.add_marker(parts[0])
    _longest_files_first(items)


def _longest_files_first(items: list[pytest.Item]) -> None:
    """Files in about the order of their length: the stack and browser tiers, then
    the files with the most `slow` tests, then the rest, each file's tests kept
    together and in order. pytest-xdist (`--dist loadfile`) hands files to workers in
    this order, so the long ones start first and short ones fill the end, instead of
    one long file keeping a worker busy alone at the end of the run."""
    slow: dict[Path, int] = {}
    for item in items:
        slow[item.path] = slow.get(item.path, 0) + (item.get_closest_marker("slow") is not None)

    def weight(path: Path) -> tuple[int, int]:
        tier = Path(path).resolve().relative_to(TESTS).parts[0]
        return (0 if tier in MARKED_TIERS else 1 if tier == "api" else 2, -slow[path])

    first = {path: n for n, path in enumerate(slow)}
    items.sort(key=lambda item: (weight(item.path), first[item.path]))


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """`later(timedelta(days=3))`: from then on the whole service lives three days
    later (every module reads the time through `clock.now()`)."""
    from chalicelib.core import clock

    def travel(delta: timedelta) -> None:
        monkeypatch.setattr(clock, "source", lambda: datetime.now(UTC) + delta)

    return travel


@pytest.fixture
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> StoppedClock:
    """The service's clock stopped at the start of the current second."""
    from chalicelib.core import clock

    stopped = StoppedClock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(clock, "source", stopped)
    return stopped
