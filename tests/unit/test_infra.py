"""The deployment template kept honest: infra/tables.yaml declares exactly the keys and
indexes the store's models use, the package slimmer drops only what the Lambda
runtime provides, and the stage's protections, queues, alarms and policy."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

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
    for path in ("app.py", "chalicelib/models.py", "pynamodb/models.py", "msgspec/_core.so",
                 "jwt/api_jwt.py", "tzdata/zoneinfo/UTC", "pyjwt-2.15.1.dist-info/RECORD",
                 "chalice/app.py"):
        assert not provided(path), path


def test_packaged_bytecode_is_used_from_a_read_only_copy(tmp_path: Path) -> None:
    # given a package zip with a module, a stale .pyc from a work tree and botocore
    from devtools.slim_package import slim

    package = tmp_path / "deployment.zip"
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("pkg/__init__.py", "VALUE = 6 * 7\n\ndef where():\n    return 1\n")
        z.writestr("pkg/__pycache__/__init__.cpython-39.pyc", b"stale")
        z.writestr("botocore/client.py", "")
        z.writestr("old/py2.py", "print 'not Python 3'\n")

    # when it is slimmed
    slim(str(package))

    # then it holds the module's bytecode in its place, and nothing stale or provided
    names = set(zipfile.ZipFile(package).namelist())
    assert names == {"pkg/__init__.py", importlib.util.cache_from_source("pkg/__init__.py"),
                     "old/py2.py"}
    # and Python uses that bytecode without writing any, whatever the source now says
    task = tmp_path / "task"
    zipfile.ZipFile(package).extractall(task)
    (task / "pkg" / "__init__.py").write_text("VALUE = 0\n")
    shown = subprocess.run(
        [sys.executable, "-c", "import pkg; print(pkg.VALUE, pkg.where.__code__.co_filename)"],
        cwd=task, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True,
        text=True, check=True).stdout.split()
    assert shown == ["42", str(task / "pkg" / "__init__.py")]  # tracebacks find the source


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


STREAMED = ("GiftsTable", "SpinsTable", "BatchesTable", "CampaignsTable", "CampaignShardsTable",
            "RecipientRecordsTable", "DeliveriesTable")


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

    def feedback(topic: str) -> dict:
        props = function()
        arn = "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:" + topic
        props["Properties"]["Events"] = {"Sns": {"Type": "SNS",
                                                 "Properties": {"Topic": {"Fn::Sub": arn}}}}
        return props

    def template(queue: str, streamed: tuple[str, ...] = STREAMED,
                 topic: str | None = None) -> dict:
        return {"Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
                "Resources": {"APIHandler": function(), "SweepGiftBatches": function(),
                              "ProcessGiftBatches": function(queue),
                              "EventsFromStreams": streams(streamed),
                              "DeliverWebhooks": function(
                                  queue.replace("-batches", "-webhooks")),
                              "DeliveryFeedback": feedback(
                                  topic or queue.replace("-batches", "-delivery-feedback")),
                              "SweepDeliveries": function(),
                              "SendDeliveries": function(queue.replace("-batches", "-sends"))}}

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

    # delivery feedback reads the stage's topic, not chalice's default name
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text(yaml.safe_dump(template("rewards-dev-batches",
                                               topic="rewards-delivery-feedback")))
    assert any("DeliveryFeedback" in p for p in finalize(foreign, "dev"))


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
                       "EventsFromStreams", "DeliverWebhooks", "DeliveryFeedback",
                       "SweepDeliveries", "SendDeliveries"}
    dead = {d["Value"]["GetAtt"] for a in alarms.values() for d in dims(a)
            if d["Name"] == "QueueName"}
    assert {"WebhookDeadLetterQueue.QueueName", "EventsFailureQueue.QueueName",
            "SendDeadLetterQueue.QueueName"} <= dead
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
    email = [s for s in statements if s.get("Sid") == "SendEmail"]
    assert email and email[0]["Action"] == ["ses:SendEmail"] and set(email[0]["Resource"]) == {
        "arn:aws:ses:*:*:identity/*", f"arn:aws:ses:*:*:configuration-set/rewards-{stage}-feedback"}
    actions = [a for s in statements for a in s["Action"]]
    resources = [r for s in statements for r in s["Resource"]]
    assert all(s["Effect"] == "Allow" for s in statements)
    assert not [a for a in actions if a.endswith("*")], actions
    assert not [r for r in resources if r in ("*", "arn:aws:dynamodb:*:*:*")]
    # DynamoDB: item actions on exactly the stage's tables, Query on their indexes
    table_arns = {f"arn:aws:dynamodb:*:*:table/rewards-{stage}-{tables.BASE_NAMES[m]}"
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
    assert {r for s in dynamo for r in s["Resource"]} == table_arns | indexed
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
                        for q in ("batches", "webhooks", "events-failures", "sends")}
    assert by_service["ssm"] == [f"arn:aws:ssm:*:*:parameter/rewards-api/{stage}/secrets"]
    assert by_service["logs"] == [
        f"arn:aws:logs:*:*:log-group:/aws/lambda/rewards-api-{stage}-*:*"]
    # the functions' log groups are the ones the policy allows (the API's access log
    # group is written by API Gateway, not by the functions)
    resources = _infra()["Resources"]
    groups = [resources[resources[f]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]
              ["Properties"]["LogGroupName"]["Sub"]
              for f in ("APIHandler", "ProcessGiftBatches", "SweepGiftBatches",
                        "EventsFromStreams", "DeliverWebhooks", "DeliveryFeedback",
                        "SweepDeliveries", "SendDeliveries")]
    assert len(set(groups)) == 8
    assert all(g.startswith("/aws/lambda/rewards-api-${Stage}-") for g in groups)


def test_sms_may_go_to_phone_numbers_and_to_no_topic() -> None:
    """SNS's Publish to a phone number names no resource: the one "*" in the stack's
    IAM allows sns:Publish alone, and a Deny takes every topic back out of it."""
    resources = _infra()["Resources"]
    policy = resources["SmsPublishPolicy"]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements] == [
        ("Allow", "sns:Publish", "*"),
        ("Deny", "sns:Publish", {"Sub": "arn:${AWS::Partition}:sns:*:*:*"})]
    assert [s["id"] for s in policy["Metadata"]["checkov"]["skip"]] == ["CKV_AWS_111"]
    assert {"Ref": "DeliveryFeedbackRole"} not in policy["Properties"]["Roles"]


def test_the_stream_consumer_is_sized_for_the_contracts_rates() -> None:
    """Every stream mapping: batches of 100, ten at once per stream shard, retried
    with bisection and recorded on failure; one vCPU and 150 executions (about 570
    records a second each, bench/allin.py: the rates make 40,000)."""
    resources = _cfn_yaml(ROOT / "infra" / "tables.yaml")["Resources"]
    fn = resources["EventsFromStreams"]["Properties"]
    assert fn["MemorySize"] >= 1769
    params = _cfn_yaml(ROOT / "infra" / "tables.yaml")["Parameters"]
    assert params["EventsConcurrency"]["Default"] >= 70
    mappings = [e["Properties"] for e in fn["Events"].values()]
    assert len(mappings) == len(STREAMED)
    for m in mappings:
        assert m["BatchSize"] == 100 and m["ParallelizationFactor"] == 10
        assert m["BisectBatchOnFunctionError"] is True and m["MaximumRetryAttempts"] == 10
        assert m["DestinationConfig"]["OnFailure"]["Type"] == "SQS"


def test_every_function_may_use_the_data_key_and_the_sender_may_text() -> None:
    """Each function chalice packages gets a role of its own (`<Function>Role`); one
    left out of the KMS policies cannot open a sealed contact or send to an encrypted
    queue, which no local run shows (moto checks no IAM)."""
    spec = importlib.util.spec_from_file_location("finalize", ROOT / "infra" / "finalize.py")
    finalize = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(finalize)  # type: ignore[union-attr]
    roles = {f"{name}Role".replace("APIHandler", "ApiHandler") for name in finalize.FUNCTIONS}
    resources = _infra()["Resources"]
    granted = {r["Ref"] for r in
               resources["FunctionsKmsAndTracingPolicy"]["Properties"]["Roles"]}
    assert granted == roles
    sms = {r["Ref"] for r in resources["SmsPublishPolicy"]["Properties"]["Roles"]}
    assert "SendDeliveriesRole" in sms
