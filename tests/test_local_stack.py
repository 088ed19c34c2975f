"""The `make run` stack, end to end: a real process, real sockets, a clean stop.

Also keeps the deployment template honest: infra/tables.yaml must declare exactly
the keys and indexes chalicelib/store/models.py uses, and the package slimmer must drop
only what the Lambda runtime provides.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
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

        # the banner's bulk and verifier commands work as pasted (from the repo root)
        out = tmp_path / "codes.csv"
        bulk = _printed(text, " issue-batch ").replace("--out codes.csv", f"--out {out}")
        done = subprocess.run(shlex.split(bulk), cwd=ROOT, capture_output=True, text=True,
                              timeout=60, env=_no_api_env())
        assert done.returncode == 0, done.stderr
        assert len(out.read_text().splitlines()) == 6  # header and the sample's 5 gifts
        end = json.loads(_printed(text, "-X PATCH").split("-d ", 1)[1].strip("'"))
        status, _, raw = call("PATCH", f"{base}/campaigns/{demo['campaign_id']}", end,
                              headers=key)
        assert status == 200 and json.loads(raw)["status"] == "ended", raw
        done = subprocess.run(shlex.split(_printed(text, "verify_fairness")), cwd=ROOT,
                              capture_output=True, text=True, timeout=60, env=_no_api_env())
        assert done.returncode == 0 and "every roll verifies" in done.stdout, done.stderr

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


def _printed(banner: str, marker: str) -> str:
    """The one command line of the banner that contains `marker`."""
    lines = [line.strip() for line in banner.splitlines() if marker in line]
    assert len(lines) == 1, (marker, banner)
    return lines[0]


def _no_api_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("API", "REWARDS_API")}


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
    from chalicelib.store import tables

    resources = _cfn_yaml(ROOT / "infra" / "tables.yaml")["Resources"]
    declared = {r["Properties"]["TableName"]["Sub"].removeprefix("rewards-${Stage}-"): r
                for r in resources.values() if r.get("Type") == "AWS::DynamoDB::Table"}
    base_names = {tables.BASE_NAMES[m] for m in tables.MODELS}
    assert set(declared) == base_names

    for model in tables.MODELS:
        schema = model._get_schema()
        props = declared[tables.BASE_NAMES[model]]["Properties"]
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
        assert props["DeletionProtectionEnabled"] == {"If": ["IsProd", True, False]}
        assert declared[tables.BASE_NAMES[model]]["DeletionPolicy"] == "Retain"
    ttl = declared["idempotency"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": "expires_at", "Enabled": True}


def test_package_slimmer_drops_only_what_lambda_provides() -> None:
    from devtools.slim_package import provided

    for path in ("botocore/data/x.json", "boto3/__init__.py", "s3transfer/x.py",
                 "jmespath/x.py", "dateutil/tz.py", "urllib3/x.py", "six.py",
                 "botocore-1.44.8.dist-info/METADATA", "python_dateutil-2.9.0.dist-info/RECORD",
                 "jmespath-1.1.0.data/scripts/jp.py", "six-1.17.0.dist-info/WHEEL"):
        assert provided(path), path
    for path in ("app.py", "chalicelib/store/models.py", "pynamodb/models.py", "msgspec/_core.so",
                 "jwt/api_jwt.py", "tzdata/zoneinfo/UTC", "pyjwt-2.15.1.dist-info/RECORD",
                 "chalice/app.py"):
        assert not provided(path), path


def _infra() -> dict:
    return _cfn_yaml(ROOT / "infra" / "tables.yaml")


def test_infra_deletion_protection_is_on_in_prod_only() -> None:
    template = _infra()
    assert template["Conditions"]["IsProd"] == {"Equals": [{"Ref": "Stage"}, "prod"]}
    assert set(template["Parameters"]["Stage"]["AllowedValues"]) == {"dev", "prod"}


def test_infra_batch_queue_has_a_dead_letter_queue_and_feeds_the_worker() -> None:
    resources = _infra()["Resources"]
    queue, dlq = resources["BatchQueue"]["Properties"], resources["BatchDeadLetterQueue"]
    assert queue["QueueName"] == {"Sub": "rewards-${Stage}-batches"}
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"GetAtt": "BatchDeadLetterQueue.Arn"}, "maxReceiveCount": 5}
    assert dlq["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    # AWS's advice for SQS event sources: visibility >= 6x the function timeout
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    timeout = config.get("lambda_functions", {}).get("process_gift_batches", {}).get(
        "lambda_timeout", config["lambda_timeout"])
    for stage in config["stages"].values():
        timeout = max(timeout, stage.get("lambda_timeout", 0),
                      stage.get("lambda_functions", {}).get("process_gift_batches", {}).get(
                          "lambda_timeout", 0))
    assert queue["VisibilityTimeout"] >= 6 * timeout
    # senders get the URL; chalice names the event source's queue from BATCH_QUEUE_NAME
    for function in ("APIHandler", "ProcessGiftBatches", "SweepGiftBatches"):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["BATCH_QUEUE_URL"] == {"Ref": "BatchQueue"}, function
    for name, stage in config["stages"].items():
        assert stage["environment_variables"]["BATCH_QUEUE_NAME"] == f"rewards-{name}-batches"


STREAMED = ("GiftsTable", "SpinsTable", "BatchesTable", "CampaignsTable", "CampaignShardsTable")


def test_infra_finalize_pins_the_stage_and_rejects_a_foreign_queue(tmp_path: Path) -> None:
    import yaml

    from infra.finalize import finalize

    def function(queue: str | None = None) -> dict:
        props: dict = {"Environment": {"Variables": {
            "STAGE": "dev", "BATCH_QUEUE_URL": {"Ref": "BatchQueue"}}}}
        if queue:
            arn = "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:" + queue
            props["Events"] = {"Sqs": {"Type": "SQS",
                                       "Properties": {"Queue": {"Fn::Sub": arn}}}}
        return {"Properties": props}

    def streams(tables: tuple[str, ...]) -> dict:
        props = function()
        props["Properties"]["Events"] = {
            t: {"Type": "DynamoDB", "Properties": {"Stream": {"Fn::GetAtt": [t, "StreamArn"]}}}
            for t in tables}
        return props

    def template(queue: str, streamed: tuple[str, ...] = STREAMED) -> dict:
        return {"Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
                "Resources": {"APIHandler": function(), "SweepGiftBatches": function(),
                              "ProcessGiftBatches": function(queue),
                              "EventsFromStreams": streams(streamed),
                              "DeliverWebhooks": function(
                                  queue.replace("-batches", "-webhooks"))}}

    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(template("rewards-dev-batches")))
    assert finalize(good, "dev") == []
    pinned = yaml.safe_load(good.read_text())
    assert pinned["Parameters"]["Stage"]["Default"] == "dev"
    assert pinned["Rules"]["PackagedStage"]["Assertions"][0]["Assert"] == {
        "Fn::Equals": [{"Ref": "Stage"}, "dev"]}

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(template("rewards-batches")))
    assert any("rewards-dev-batches" in p for p in finalize(bad, "dev"))
    assert finalize(good, "prod")  # packaged for dev: STAGE and queue disagree

    # the stream consumer must read every streamed table, not chalice's placeholder
    partial = tmp_path / "partial.yaml"
    partial.write_text(yaml.safe_dump(template("rewards-dev-batches", STREAMED[:1])))
    assert any("EventsFromStreams" in p for p in finalize(partial, "dev"))


def _alarm_metrics(props: dict) -> set[tuple[str, str]]:
    stats = [m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m]
    if "MetricName" in props:
        stats.append(props)
    return {(m["Namespace"], m["MetricName"]) for m in stats}


def test_infra_alarms_cover_api_tables_queue_and_functions() -> None:
    template = _infra()
    alarms = {k: r["Properties"] for k, r in template["Resources"].items()
              if r.get("Type") == "AWS::CloudWatch::Alarm"}
    metrics = set().union(*(_alarm_metrics(a) for a in alarms.values()))
    assert ("AWS/ApiGateway", "5XXError") in metrics
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible") in metrics
    assert ("AWS/Lambda", "Errors") in metrics

    def dims(props: dict) -> list:
        stats = [m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m]
        return [d for m in stats + [props] for d in m.get("Dimensions", [])]

    throttle_metrics = {("AWS/DynamoDB", "ReadThrottleEvents"),
                        ("AWS/DynamoDB", "WriteThrottleEvents")}
    throttled = {d["Value"]["Ref"] for a in alarms.values() for d in dims(a)
                 if d["Name"] == "TableName" and _alarm_metrics(a) & throttle_metrics}
    assert {"CampaignsTable", "GiftsTable"} <= throttled
    dlq = [a for a in alarms.values() if {"Name": "QueueName",
                                          "Value": {"GetAtt": "BatchDeadLetterQueue.QueueName"}}
           in dims(a)]
    assert dlq and dlq[0]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert dlq[0]["Threshold"] == 0 and dlq[0]["ComparisonOperator"] == "GreaterThanThreshold"
    lambdas = {d["Value"]["Ref"] for a in alarms.values() for d in dims(a)
               if d["Name"] == "FunctionName"}
    assert lambdas == {"APIHandler", "ProcessGiftBatches", "SweepGiftBatches",
                       "EventsFromStreams", "DeliverWebhooks"}
    dead = {d["Value"]["GetAtt"] for a in alarms.values() for d in dims(a)
            if d["Name"] == "QueueName"}
    assert {"WebhookDeadLetterQueue.QueueName", "EventsFailureQueue.QueueName"} <= dead
    # the optional SNS topic: every alarm notifies it when given
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == {"If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}],
                                                {"Ref": "AWS::NoValue"}]}, name
    # throttling on the API stage
    settings = template["Resources"]["RestAPI"]["Properties"]["MethodSettings"]
    assert settings == [{"ResourcePath": "/*", "HttpMethod": "*",
                         "ThrottlingRateLimit": {"Ref": "ApiRateLimit"},
                         "ThrottlingBurstLimit": {"Ref": "ApiBurstLimit"}}]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_lambda_policy_is_least_privilege(stage: str) -> None:
    from chalicelib.store import tables

    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    statements = policy["Statement"]
    actions = [a for s in statements for a in s["Action"]]
    resources = [r for s in statements for r in s["Resource"]]
    assert all(s["Effect"] == "Allow" for s in statements)
    assert not [a for a in actions if a.endswith("*")], actions
    assert not [r for r in resources if r in ("*", "arn:aws:dynamodb:*:*:*")]
    # DynamoDB: item actions on exactly the stage's tables, Query on their indexes
    arns = {f"arn:aws:dynamodb:*:*:table/rewards-{stage}-{tables.BASE_NAMES[m]}"
            for m in tables.MODELS}
    indexed = {f"arn:aws:dynamodb:*:*:table/rewards-{stage}-{tables.BASE_NAMES[m]}/index/*"
               for m in tables.MODELS if m._get_schema().get("global_secondary_indexes")}
    # the stream consumer reads exactly the streams of the tables events come from
    streams = [s for s in statements if s.get("Sid") == "EventStreams"]
    assert len(streams) == 1 and set(streams[0]["Resource"]) == {
        f"arn:aws:dynamodb:*:*:table/rewards-{stage}-{tables.BASE_NAMES[m]}/stream/*"
        for m in tables.STREAMED}
    assert streams[0]["Action"] == ["dynamodb:DescribeStream", "dynamodb:GetRecords",
                                    "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
    statements = [s for s in statements if s.get("Sid") != "EventStreams"]
    actions = [a for s in statements for a in s["Action"]]
    dynamo = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert {r for s in dynamo for r in s["Resource"]} == arns | indexed
    for s in dynamo:
        if set(s["Resource"]) <= indexed:
            assert s["Action"] == ["dynamodb:Query"]
    assert {a for s in dynamo for a in s["Action"]} == {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem", "dynamodb:Query",
        # a campaign's shards and a page of a batch's gifts are one BatchGetItem
        "dynamodb:BatchGetItem"}
    by_service = {a.split(":")[0]: [r for s in statements if a in s["Action"]
                                    for r in s["Resource"]] for a in actions}
    # the batch and webhook queues (send, receive), the events failure queue (send only)
    sqs = {r: sorted(a for a in s["Action"]) for s in statements for r in s["Resource"]
           if r.startswith("arn:aws:sqs:")}
    assert sqs[f"arn:aws:sqs:*:*:rewards-{stage}-events-failures"] == ["sqs:SendMessage"]
    assert set(sqs) == {f"arn:aws:sqs:*:*:rewards-{stage}-{q}"
                        for q in ("batches", "webhooks", "events-failures")}
    assert by_service["ssm"] == [f"arn:aws:ssm:*:*:parameter/rewards-api/{stage}/secrets"]
    assert by_service["logs"] == [
        f"arn:aws:logs:*:*:log-group:/aws/lambda/rewards-api-{stage}-*:*"]
    # the functions' log groups are the ones the policy allows (the API's access log
    # group is written by API Gateway, not by the functions)
    resources = _infra()["Resources"]
    groups = [resources[resources[f]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]
              ["Properties"]["LogGroupName"]["Sub"]
              for f in ("APIHandler", "ProcessGiftBatches", "SweepGiftBatches",
                        "EventsFromStreams", "DeliverWebhooks")]
    assert len(set(groups)) == 5
    assert all(g.startswith("/aws/lambda/rewards-api-${Stage}-") for g in groups)
