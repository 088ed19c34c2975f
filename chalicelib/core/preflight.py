"""The secrets a stage needs, checked before the first request needs them.

Why: a secret that is missing or malformed shows itself only when a request needs
it (the first gift answers 503 without the codes' data key), long after the deploy
that should have caught it. `check` names every problem at once, by the setting's
name and never its value, so its answer can be printed, logged or returned to the
operator. Two callers: `make preflight STAGE=…` (devtools/preflight.py, with the
operator's credentials, against the stage's SSM parameter and KMS key) and
`GET /v1/admin/health` (the deployed function's own view: its environment, its
parameter, its permission to unwrap).
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable

from msgspec import Struct

from chalicelib.core import config, vault

MIN_SECRET = 32
"""Characters a deployed stage's admin token, signing and lookup keys must have at
least (the deploy guide makes 64; `make run` generates its own)."""

REQUIRED = ("admin_token", "signing_keys", "code_lookup_keys", "gift_link_keys")
KNOWN = ("admin_token", *config.KEY_SETTINGS)


class Problem(Struct, frozen=True):
    setting: str
    problem: str


Unwrap = Callable[[str], bytes]
"""A wrapped data key (base64 KMS ciphertext) -> the key; raises when KMS refuses."""


def check(raw: dict[str, str], *, deployed: bool, unwrap: Unwrap | None = None,
          unknown: list[str] | None = None) -> list[Problem]:
    """Every problem of the secrets `raw` (by setting name: `admin_token`,
    `signing_keys`, ...). `deployed`: the codes' data key must be KMS-wrapped
    (`code_data_keys_wrapped`) and, given `unwrap`, must unwrap to 32 bytes; else a
    plain `code_data_keys` will do. `unknown`: fields of the parameter that name no
    secret (a typo such as `code_data_key`)."""
    found: list[Problem] = [Problem(name, "not a known secret (a typo?); it is ignored")
                            for name in unknown or []]
    for name in REQUIRED:
        if not raw.get(name, "").strip():
            found.append(Problem(name, "missing"))
    token = raw.get("admin_token", "")
    if deployed and token.strip() and len(token) < MIN_SECRET:
        found.append(Problem("admin_token", f"shorter than {MIN_SECRET} characters"))
    parsed: dict[str, dict[str, str]] = {}
    for name in config.KEY_SETTINGS:
        try:
            parsed[name] = config.parse_keys(raw.get(name, ""), name)
        except config.InvalidSetting as exc:
            found.append(Problem(name, str(exc).removeprefix(f"{name}: ")))
    for name in ("signing_keys", "code_lookup_keys", "gift_link_keys"):
        for kid, secret in parsed.get(name, {}).items():
            if deployed and len(secret) < MIN_SECRET:
                found.append(Problem(name, f"key {kid!r} is shorter than {MIN_SECRET} "
                                           "characters"))
    found += _data_keys(parsed, deployed, unwrap)
    return found


def _data_keys(parsed: dict[str, dict[str, str]], deployed: bool, unwrap: Unwrap | None
               ) -> list[Problem]:
    wrapped = parsed.get("code_data_keys_wrapped")
    plain = parsed.get("code_data_keys")
    if wrapped is None or plain is None:  # malformed: named already
        return []
    found = []
    if deployed and not wrapped:
        found.append(Problem("code_data_keys_wrapped", (
            "missing: answers that show a code (an issued gift, a list, a replay) are 503 "
            "until it is added (docs/deploying.md, step 4)")))
    if not deployed and not wrapped and not plain:
        found.append(Problem("code_data_keys", "missing (or code_data_keys_wrapped)"))
    for kid, value in plain.items():
        try:
            config.check_data_key(value, f"key {kid!r}")
        except config.InvalidSetting as exc:
            found.append(Problem("code_data_keys", str(exc)))
    for kid, blob in wrapped.items():
        try:
            base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError):
            found.append(Problem("code_data_keys_wrapped", f"key {kid!r} is not base64"))
            continue
        if unwrap is None:
            continue
        try:
            key = unwrap(blob)
        except Exception as exc:  # noqa: BLE001 - any refusal is the finding
            found.append(Problem("code_data_keys_wrapped", (
                f"key {kid!r} cannot be unwrapped with the stage's KMS key "
                f"({reason(exc)}): made under another key, or for another purpose?")))
            continue
        if len(key) != 32:
            found.append(Problem("code_data_keys_wrapped",
                                 f"key {kid!r} unwraps to {len(key)} bytes, not 32"))
    return found


def reason(exc: Exception) -> str:
    """An AWS error's code, else the exception's class: never its message, which may
    quote what was sent."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code")
        if code:
            return str(code)
    return type(exc).__name__


def this_stage() -> list[Problem]:
    """The problems of this process's own secrets (its environment and its stage's
    parameter), unwrapping each data key with its own permissions."""
    raw, _source = config.raw_secrets()
    deployed = config.settings().stage in ("dev", "prod")
    kms = None

    def unwrap(blob: str) -> bytes:
        nonlocal kms
        kms = kms or vault.kms_client()
        return vault.unwrap(blob, kms)

    found = check(raw, deployed=deployed, unwrap=unwrap)
    if deployed and not (os.environ.get("GIFT_PAGE_BASE_URL")
                         or os.environ.get("PUBLIC_API_URL")):
        found.append(Problem("PUBLIC_API_URL", (
            f"missing: gift links and unsubscribe links point at {config.LOCAL_GIFT_PAGES} "
            "(set the API's public URL with its stage path, or its custom domain)")))
    return found


def unknown_fields(parameter: dict[str, object]) -> list[str]:
    return sorted(name for name in parameter if name not in KNOWN)
