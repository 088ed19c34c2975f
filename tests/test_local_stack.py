"""The `make run` stack, end to end: a real process, real sockets, a clean stop.

Also keeps the deployment template honest: infra/tables.yaml must declare exactly
the keys and indexes chalicelib/store.py uses, and the package slimmer must drop
only what the Lambda runtime provides.
"""

from __future__ import annotations

import json
import re
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.stack import ROOT, call, port_free, running_stack


@pytest.mark.timeout(60)
def test_make_run_stack_serves_seeds_and_stops_cleanly(tmp_path: Path) -> None:
    # given a state dir of our own, when the stack has started
    with running_stack(tmp_path / "state") as stack:
        proc, port, state, base, text = (stack.proc, stack.port, stack.state, stack.base,
                                         stack.text)
        output = stack.output
        # then it seeded demo data and persisted it, with generated secrets
        demo = json.loads((state / "demo.json").read_text())
        stored = json.loads((state / "secrets.json").read_text())
        assert demo["table_prefix"] == "rewards-stacktest"
        assert demo["key"] in text and demo["campaign_id"] in text
        assert stored["admin_token"] in text
        assert f"{base}/openapi.json" in text
        assert f"{base}/widget/demo.html?token=ey" in text
        emulator = re.search(r"moto \(in process\) at http://127\.0\.0\.1:(\d+)", text)
        assert emulator, text
        key = {"Authorization": f"Bearer {demo['key']}"}

        # the seeded campaign is live, with the demo wheel
        status, _, raw = call("GET", f"{base}/campaigns/{demo['campaign_id']}", headers=key)
        assert status == 200, raw
        seeded = json.loads(raw)
        assert seeded["name"] == "Demo Tet 2027" and seeded["status"] == "active"
        assert [s["id"] for s in seeded["wheel"]["segments"]] == ["big", "small", "none"]

        # a partner can create a campaign and read it back
        ends = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, _, raw = call("POST", f"{base}/campaigns", {
            "name": "Stack test", "currency": "VND", "budget": 1_000_000, "ends_at": ends},
            headers=key)
        assert status == 201, raw
        created = json.loads(raw)
        status, _, raw = call("GET", f"{base}/campaigns/{created['id']}", headers=key)
        assert status == 200 and json.loads(raw)["id"] == created["id"]

        # an unknown route is a problem+json 404, with or without credentials
        for headers in ({}, key):
            status, hdrs, raw = call("POST", f"{base}/no-such-thing?x=1", {}, headers=headers)
            assert status == 404, raw
            assert hdrs["content-type"].startswith("application/problem+json")
            assert json.loads(raw) == {
                "type": "https://docs.rewards-api.dev/problems/not_found",
                "title": "Not found", "status": 404,
                "detail": "No route POST /v1/no-such-thing", "code": "not_found"}

        # when interrupted, it stops everything within 10 s and exits 0
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0, "".join(output)
        assert port_free(port)
        assert port_free(int(emulator.group(1)))


def test_unknown_route_patch_answers_404_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalice import Chalice
    from chalice.config import Config
    from chalice.local import LocalGateway

    from devtools.serve import patch_local_gateway

    # the patch is process-wide (chalice.test.Client uses LocalGateway too): undo it after
    monkeypatch.setattr(LocalGateway, "handle_request", LocalGateway.handle_request)
    monkeypatch.setattr(LocalGateway, "_rewards_patched",
                        getattr(LocalGateway, "_rewards_patched", False), raising=False)
    patch_local_gateway()
    demo = Chalice(app_name="t")

    @demo.route("/v1/here")
    def here() -> dict:
        return {}

    gateway = LocalGateway(demo, Config.create(chalice_app=demo))
    response = gateway.handle_request("DELETE", "/v1/not-here?a=b", {}, None)
    assert response["statusCode"] == 404
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["detail"] == "No route DELETE /v1/not-here"


# ------------------------------------------------------------------ deployment


def _cfn_yaml(path: Path) -> dict:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
        if isinstance(node, yaml.ScalarNode):
            return {suffix: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {suffix: loader.construct_sequence(node)}
        return {suffix: loader.construct_mapping(node)}

    Loader.add_multi_constructor("!", tag)
    return yaml.load(path.read_text(), Loader=Loader)  # noqa: S506 - SafeLoader subclass


def _defs(items: list[dict]) -> set[tuple[str, str]]:
    return {(d["AttributeName"], d["AttributeType"]) for d in items}


def _keys(items: list[dict]) -> set[tuple[str, str]]:
    return {(k["AttributeName"], k["KeyType"]) for k in items}


def test_infra_tables_mirror_the_store_models() -> None:
    from chalicelib import store

    resources = _cfn_yaml(ROOT / "infra" / "tables.yaml")["Resources"]
    tables = {r["Properties"]["TableName"]["Sub"].removeprefix("rewards-${Stage}-"): r
              for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"}
    base_names = {store._BASE_NAMES[m] for m in store.MODELS}
    assert set(tables) == base_names

    for model in store.MODELS:
        schema = model._get_schema()
        props = tables[store._BASE_NAMES[model]]["Properties"]
        assert _keys(props["KeySchema"]) == _keys(schema["key_schema"]), model
        assert _defs(props["AttributeDefinitions"]) == _defs(schema["attribute_definitions"])
        want = {g["index_name"]: (_keys(g["key_schema"]), g["projection"]["ProjectionType"])
                for g in schema.get("global_secondary_indexes", [])}
        got = {g["IndexName"]: (_keys(g["KeySchema"]), g["Projection"]["ProjectionType"])
               for g in props.get("GlobalSecondaryIndexes", [])}
        assert got == want, model
        assert not schema.get("local_secondary_indexes")
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["DeletionProtectionEnabled"] is True
    ttl = tables["idempotency"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": "expires_at", "Enabled": True}


def test_package_slimmer_drops_only_what_lambda_provides() -> None:
    from devtools.slim_package import provided

    for path in ("botocore/data/x.json", "boto3/__init__.py", "s3transfer/x.py",
                 "jmespath/x.py", "dateutil/tz.py", "urllib3/x.py", "six.py",
                 "botocore-1.44.8.dist-info/METADATA", "python_dateutil-2.9.0.dist-info/RECORD",
                 "jmespath-1.1.0.data/scripts/jp.py", "six-1.17.0.dist-info/WHEEL"):
        assert provided(path), path
    for path in ("app.py", "chalicelib/store.py", "pynamodb/models.py", "msgspec/_core.so",
                 "jwt/api_jwt.py", "tzdata/zoneinfo/UTC", "pyjwt-2.15.1.dist-info/RECORD",
                 "chalice/app.py"):
        assert not provided(path), path
