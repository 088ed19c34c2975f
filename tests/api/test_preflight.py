"""The preflight names every missing or malformed secret before a request needs it,
never showing a value: `make preflight` (devtools/preflight.py) against moto's SSM
and KMS, and the operator's `GET /v1/admin/health` through HTTP."""

from __future__ import annotations

import base64
import io
import json
import secrets
import urllib.error
from typing import Any

import boto3
import pytest

from chalicelib.core import config
from devtools import preflight
from tests.helpers import ADMIN, Api, ok

REGION = "us-east-1"
STAGE = "prod"
PARAMETER = f"/rewards-api/{STAGE}/secrets"


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def wrapped_key(context: dict[str, str] | None = None) -> str:
    """A data key as the deploy guide makes it: wrapped by the stage's KMS key."""
    kms = client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.generate_data_key_without_plaintext(
        KeyId=key_id, KeySpec="AES_256",
        EncryptionContext=context or {"purpose": "gift-codes"})["CiphertextBlob"]
    return base64.b64encode(blob).decode()


def complete() -> dict[str, str]:
    new = lambda: secrets.token_urlsafe(48)  # noqa: E731 - as the guide's `new`
    return {"admin_token": f"adm_{new()}", "signing_keys": f"k1:{new()}",
            "code_lookup_keys": f"l1:{new()}", "code_data_keys_wrapped": f"d1:{wrapped_key()}",
            "gift_link_keys": f"g1:{new()}"}


def put(value: dict[str, str] | str) -> None:
    client("ssm").put_parameter(Name=PARAMETER, Type="SecureString", Overwrite=True,
                                Value=value if isinstance(value, str) else json.dumps(value))


def run(unwrap: bool = True, fetch: preflight.Fetch = preflight.http_fetch) -> tuple[int, str]:
    out = io.StringIO()
    code = preflight.run(STAGE, REGION, unwrap, out, clients=client, fetch=fetch)
    return code, out.getvalue()


def test_every_secret_in_place_passes(aws: None) -> None:
    put(complete())
    code, out = run()
    assert code == 0, out
    assert f"every secret of stage {STAGE} is in place" in out
    assert "not found" in out  # no stack yet: the functions' own view comes later


def test_the_old_guide_without_the_data_key_is_named_before_the_first_gift(aws: None) -> None:
    """Steps 0-4 of the old guide put three secrets in place: the first gift was 503."""
    value = complete()
    del value["code_data_keys_wrapped"]
    put(value)
    code, out = run()
    assert code == 1
    assert "code_data_keys_wrapped: missing" in out and "step 4" in out


def test_every_malformed_secret_is_named_and_no_value_is_shown(aws: None) -> None:
    value = complete()
    bad = {**value, "admin_token": "adm_Tiny7", "code_lookup_keys": "l1:Lookup9",
           "code_data_keys_wrapped": f"key.2026:{value['code_data_keys_wrapped'][3:]}",
           "code_data_key": "Typo5value"}
    del bad["signing_keys"]
    put(bad)
    code, out = run()
    assert code == 1
    lines = out.splitlines()
    for expected in ("admin_token: shorter than 32 characters", "signing_keys: missing",
                     "code_lookup_keys: key 'l1' is shorter than 32 characters",
                     "code_data_keys_wrapped: key id 'key.2026'",
                     "code_data_key: not a known secret"):
        assert any(line.startswith(expected) for line in lines), (expected, out)
    for secret in ("adm_Tiny7", "Lookup9", bad["code_data_keys_wrapped"][9:], "Typo5value"):
        assert secret not in out


def test_a_data_key_wrapped_for_another_purpose_does_not_unwrap(aws: None) -> None:
    put({**complete(), "code_data_keys_wrapped": f"d1:{wrapped_key({'purpose': 'other'})}"})
    code, out = run()
    assert code == 1
    assert "code_data_keys_wrapped: key 'd1' cannot be unwrapped" in out


def test_a_missing_or_unreadable_parameter_is_named(aws: None) -> None:
    ssm = client("ssm")
    if ssm.describe_parameters()["Parameters"]:
        ssm.delete_parameter(Name=PARAMETER)  # the module's tests share moto's SSM
    code, out = run()
    assert code == 1 and f"{PARAMETER}: does not exist" in out
    put("not json")
    assert f"{PARAMETER}: is not JSON" in run()[1]


def test_the_deployed_functions_report_what_they_cannot_use(aws: None) -> None:
    """Only the functions may unwrap the data key: the preflight asks the deployed
    stack (its admin health, with the parameter's admin token)."""
    value = complete()
    put(value)
    asked: list[tuple[str, str]] = []

    def fetch(url: str, token: str) -> dict:
        asked.append((url, token))
        return {"status": "misconfigured", "problems": [
            {"setting": "code_data_keys_wrapped",
             "problem": "key 'd1' cannot be unwrapped with the stage's KMS key "
                        "(AccessDeniedException)"}]}

    assert preflight.check_deployed("https://api.example/v1", value["admin_token"], fetch) == [
        preflight.Problem("code_data_keys_wrapped",
                          "key 'd1' cannot be unwrapped with the stage's KMS key "
                          "(AccessDeniedException) (as the deployed functions see it)")]
    assert asked == [("https://api.example/v1/admin/health", value["admin_token"])]

    def refused(url: str, token: str) -> dict:
        raise urllib.error.HTTPError(url, 401, "Unauthorized", {}, None)  # type: ignore[arg-type]

    (problem,) = preflight.check_deployed("https://api.example/v1", "x", refused)
    assert "401" in problem.problem


# ------------------------------------------------------------------ the operator's health


def test_the_operators_health_names_what_this_stage_lacks(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ok(api.call("GET", "/v1/admin/health", headers=ADMIN)) == {
        "status": "ok", "problems": []}
    assert api.call("GET", "/v1/admin/health").status_code == 401
    # a deployed stage whose data key was never added, and with no lookup key
    token = "adm_" + secrets.token_urlsafe(48)
    monkeypatch.setenv("ADMIN_TOKEN", token)
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("CODE_LOOKUP_KEYS", "")
    config.reset()
    got = ok(api.call("GET", "/v1/admin/health", headers={"Authorization": f"Bearer {token}"}))
    assert got["status"] == "misconfigured"
    assert {(p["setting"], p["problem"].split(":")[0]) for p in got["problems"]} == {
        ("code_lookup_keys", "missing"), ("code_data_keys_wrapped", "missing"),
        ("PUBLIC_API_URL", "missing")}


def test_the_operators_health_unwraps_with_the_functions_own_permission(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODE_DATA_KEYS_WRAPPED", f"w1:{wrapped_key({'purpose': 'other'})}")
    config.reset()
    got = ok(api.call("GET", "/v1/admin/health", headers=ADMIN))
    assert got["status"] == "misconfigured"
    (problem,) = got["problems"]
    assert problem["setting"] == "code_data_keys_wrapped"
    assert "cannot be unwrapped" in problem["problem"]
    monkeypatch.setenv("CODE_DATA_KEYS_WRAPPED", f"w1:{wrapped_key()}")
    config.reset()
    assert ok(api.call("GET", "/v1/admin/health", headers=ADMIN))["status"] == "ok"
