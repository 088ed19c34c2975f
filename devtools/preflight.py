"""`make preflight STAGE=prod`: every secret the stage lacks or cannot use, named
before the first request needs it (docs/deploying.md, step 5).

    .venv/bin/python -m devtools.preflight --stage prod [--region eu-west-1]

With the operator's AWS credentials:
1. reads the stage's SSM SecureString `/rewards-api/<stage>/secrets` and checks
   every secret in it (`chalicelib.core.preflight.check`: present, well formed, key
   ids, lengths, the wrapped data key; a field that names no secret is a typo);
2. if the stack is deployed, asks it (`GET /v1/admin/health`, with the parameter's
   admin token) whether its functions can use them: only they may unwrap the data
   key (the KMS key policy lets an operator wrap a new one, not unwrap it).
`--unwrap` unwraps the data keys with the operator's own credentials instead (an
account whose operators may call kms:Decrypt on the stage's key).

Prints one line per problem (the setting's name and what is wrong, never a value)
and exits 1 if there is any, else prints that every secret is in place and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chalicelib.core import preflight, vault  # noqa: E402

Problem = preflight.Problem
Fetch = Callable[[str, str], dict[str, Any]]
"""(url, admin token) -> the JSON of GET url."""


def parameter_name(stage: str) -> str:
    return f"/rewards-api/{stage}/secrets"


def read_parameter(ssm: Any, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    except Exception as exc:  # noqa: BLE001 - reported, by its AWS error code
        code = preflight.reason(exc)
        what = "does not exist (docs/deploying.md, step 1)" if code == "ParameterNotFound" \
            else f"cannot be read ({code})"
        return None, [Problem(name, what)]
    try:
        parsed = json.loads(value)
    except ValueError:
        return None, [Problem(name, "is not JSON (a JSON object of the secrets)")]
    if not isinstance(parsed, dict):
        return None, [Problem(name, "is not a JSON object of the secrets")]
    return parsed, []


def check_parameter(parameter: dict[str, Any], kms: Any | None = None) -> list[Problem]:
    """The problems of the stage's parameter; `kms`: unwrap the data keys with it."""
    raw = {name: str(parameter.get(name) or "") for name in preflight.KNOWN}
    unwrap = (lambda blob: vault.unwrap(blob, kms)) if kms is not None else None
    return preflight.check(raw, deployed=True, unwrap=unwrap,
                           unknown=preflight.unknown_fields(parameter))


def stack_url(cloudformation: Any, stage: str) -> str | None:
    """The deployed API's base (`…/v1`), or None when the stack is not deployed."""
    try:
        stacks = cloudformation.describe_stacks(StackName=f"rewards-api-{stage}")["Stacks"]
    except Exception:  # noqa: BLE001 - not deployed (yet), or not visible: said by the caller
        return None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    url = outputs.get("EndpointURL")
    return f"{url.rstrip('/')}/v1" if url else None


def http_fetch(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the stage's own URL
        parsed: dict[str, Any] = json.loads(answer.read())
        return parsed


def check_deployed(api: str, admin_token: str, fetch: Fetch = http_fetch) -> list[Problem]:
    """What the deployed functions report of their own secrets."""
    try:
        health = fetch(f"{api}/admin/health", admin_token)
    except urllib.error.HTTPError as exc:
        what = "refuses the parameter's admin_token (401): has the stack read it yet? It " \
               "reads the parameter again within five minutes" if exc.code == 401 else \
               f"answers {exc.code}"
        return [Problem("GET /v1/admin/health", what)]
    except (OSError, ValueError) as exc:
        return [Problem("GET /v1/admin/health", f"cannot be reached ({type(exc).__name__})")]
    return [Problem(p["setting"], f"{p['problem']} (as the deployed functions see it)")
            for p in health.get("problems", [])]


def run(stage: str, region: str, unwrap_locally: bool, out: TextIO,
        clients: Callable[[str], Any] | None = None, fetch: Fetch = http_fetch) -> int:
    if clients is None:
        import boto3

        def clients(service: str) -> Any:
            return boto3.client(service, region_name=region)

    parameter, problems = read_parameter(clients("ssm"), parameter_name(stage))
    if parameter is not None:
        problems += check_parameter(parameter, clients("kms") if unwrap_locally else None)
    api = stack_url(clients("cloudformation"), stage)
    token = str((parameter or {}).get("admin_token") or "")
    if api is None:
        print(f"note: stack rewards-api-{stage} not found in {region}: its functions' own "
              "view of the secrets (can they unwrap the data key?) is checked once it is "
              "deployed", file=out)
    elif token:
        problems += check_deployed(api, token, fetch)
    for p in problems:
        print(f"{p.setting}: {p.problem}", file=out)
    if problems:
        print(f"{len(problems)} problem(s) in the secrets of stage {stage}", file=out)
        return 1
    print(f"every secret of stage {stage} is in place", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, choices=["dev", "prod"])
    parser.add_argument("--region", default=None,
                        help="the stage's region (default: AWS_REGION, AWS_DEFAULT_REGION)")
    parser.add_argument("--unwrap", action="store_true",
                        help="unwrap the data keys with your own credentials (kms:Decrypt)")
    args = parser.parse_args(argv)
    from chalicelib.core.config import region

    return run(args.stage, args.region or region(), args.unwrap, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
