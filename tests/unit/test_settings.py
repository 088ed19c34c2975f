"""Settings that cannot work are refused where they are read, naming the setting and
never its value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chalicelib.core import config, errors
from tests.helpers import PATIENCE, ROOT

DATA_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


@pytest.mark.parametrize("kid", ["key.2026", "a.b", "key 1", "clé", "x" * 33, "k/1"])
def test_a_key_id_outside_letters_digits_dash_underscore_is_refused(kid: str) -> None:
    with pytest.raises(config.InvalidSetting, match="CODE_DATA_KEYS") as refused:
        config.parse_keys(f"d1:{DATA_KEY},{kid}:{DATA_KEY}", "CODE_DATA_KEYS")
    assert DATA_KEY not in str(refused.value)


@pytest.mark.parametrize("raw", ["d1", "d1:", ":secret", "d1:x,d1:y"])
def test_an_entry_without_an_id_or_a_secret_or_listed_twice_is_refused(raw: str) -> None:
    with pytest.raises(config.InvalidSetting, match="CODE_LOOKUP_KEYS"):
        config.parse_keys(raw, "CODE_LOOKUP_KEYS")


def test_well_formed_keys_keep_their_order() -> None:
    assert list(config.parse_keys(" k2:b , k1:a,", "SIGNING_KEYS")) == ["k2", "k1"]
    assert config.parse_keys("", "SIGNING_KEYS") == {}


def test_the_environment_is_checked_variable_by_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    config.validate_environment()  # the test environment's keys are fine
    monkeypatch.setenv("CODE_LOOKUP_KEYS", "lookup.1:secret-0123456789")
    with pytest.raises(config.InvalidSetting, match="CODE_LOOKUP_KEYS"):
        config.validate_environment()
    monkeypatch.setenv("CODE_LOOKUP_KEYS", "l1:secret-0123456789")
    monkeypatch.setenv("CODE_DATA_KEYS", "d1:dG9vIHNob3J0")
    with pytest.raises(config.InvalidSetting, match="CODE_DATA_KEYS: key 'd1' is not base64"):
        config.validate_environment()


def test_secrets_that_cannot_work_answer_503_without_naming_them(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("CODE_DATA_KEYS", f"key.2026:{DATA_KEY}")
    config.reset()
    try:
        with pytest.raises(errors.ServiceUnavailable) as refused:
            config.secrets()
        assert "CODE_DATA_KEYS" not in refused.value.detail
        assert "CODE_DATA_KEYS" in caplog.text and DATA_KEY not in caplog.text
    finally:
        monkeypatch.undo()
        config.reset()


def test_the_app_does_not_load_with_a_data_key_id_holding_a_dot() -> None:
    """A Lambda's init fails (and so `chalice local`), naming the variable."""
    import os

    env = dict(os.environ, CODE_DATA_KEYS=f"key.2026:{DATA_KEY}")
    done = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=5 * PATIENCE)
    assert done.returncode != 0
    assert "InvalidSetting: CODE_DATA_KEYS: key id 'key.2026'" in done.stderr
    assert DATA_KEY not in done.stderr
