"""Finish the template `chalice package` wrote: pin its stage and check the wiring.

Why: the chalice stage is baked into the template (table prefix, secret parameter,
IAM policy of .chalice/policy-<stage>.json), while infra/tables.yaml names its
resources from the `Stage` parameter. Deploying a dev package with Stage=prod would
point dev functions at prod tables, so the parameter is pinned to the packaged stage
(its default, and a rule refuses any other value). The worker's SQS event source is derived
from BATCH_QUEUE_NAME when chalice imports app.py; the build fails if it does not
name the queue this template creates.

Usage: python infra/finalize.py dist/sam.yaml STAGE
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

WORKER = "ProcessGiftBatches"
STREAMS = "EventsFromStreams"
DELIVERER = "DeliverWebhooks"
FEEDBACK = "DeliveryFeedback"
SENDER = "SendDeliveries"
FUNCTIONS = ("APIHandler", WORKER, "SweepGiftBatches", STREAMS, DELIVERER, FEEDBACK,
             "SweepDeliveries", SENDER)
# the tables whose streams make events (chalicelib.store.tables.STREAMED)
STREAMED_TABLES = ("GiftsTable", "SpinsTable", "BatchesTable", "CampaignsTable",
                   "CampaignShardsTable", "RecipientRecordsTable", "DeliveriesTable")


class _PlainDumper(yaml.SafeDumper):
    """Writes shared nodes out in full: no YAML anchors or aliases in the template."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def problems(template: dict, stage: str) -> list[str]:
    """What is wrong with a packaged template for `stage` (empty when nothing is)."""
    found = []
    resources = template["Resources"]
    for name in FUNCTIONS:
        if name not in resources:
            found.append(f"{name}: chalice no longer generates this function")
            continue
        variables = resources[name]["Properties"]["Environment"]["Variables"]
        if variables.get("STAGE") != stage:
            found.append(f"{name}: STAGE is {variables.get('STAGE')!r}, packaged for {stage!r}")
        if variables.get("BATCH_QUEUE_URL") != {"Ref": "BatchQueue"}:
            found.append(f"{name}: BATCH_QUEUE_URL does not reference BatchQueue")
    found += _source_problems(resources, WORKER, "SQS", f"rewards-{stage}-batches",
                              "BATCH_QUEUE_NAME")
    found += _event_problems(resources, stage)
    return found


def _source_problems(resources: dict, function: str, kind: str, name: str,
                     variable: str) -> list[str]:
    """`function` is fed by exactly the queue or topic `name` (set by `variable` when
    packaging), as chalice wires it from the settings it read."""
    events = resources.get(function, {}).get("Properties", {}).get("Events", {})
    field, what = ("Queue", "queue") if kind == "SQS" else ("Topic", "topic")
    arns = [e["Properties"][field] for e in events.values() if e.get("Type") == kind]
    if not arns or any(not str(arn.get("Fn::Sub", "")).endswith(f":{name}") for arn in arns):
        return [f"{function}: {kind} event source {arns} is not the {what} {name} "
                f"(set {variable}={name} when packaging)"]
    return []


def _event_problems(resources: dict, stage: str) -> list[str]:
    """The stream consumer reads every streamed table (not chalice's placeholder), the
    deliverer the stage's webhook queue and the sender its send queue."""
    found = []
    events = resources.get(STREAMS, {}).get("Properties", {}).get("Events", {})
    streams = sorted(str(e["Properties"].get("Stream")) for e in events.values()
                     if e.get("Type") == "DynamoDB")
    wanted = sorted(str({"Fn::GetAtt": [t, "StreamArn"]}) for t in STREAMED_TABLES)
    if streams != wanted:
        found.append(f"{STREAMS}: DynamoDB event sources {streams} are not the streams of "
                     f"{', '.join(STREAMED_TABLES)}")
    found += _source_problems(resources, DELIVERER, "SQS", f"rewards-{stage}-webhooks",
                              "WEBHOOK_QUEUE_NAME")
    found += _source_problems(resources, FEEDBACK, "SNS", f"rewards-{stage}-delivery-feedback",
                              "DELIVERY_FEEDBACK_TOPIC")
    found += _source_problems(resources, SENDER, "SQS", f"rewards-{stage}-sends",
                              "SEND_QUEUE_NAME")
    return found


def finalize(path: Path, stage: str) -> list[str]:
    template = yaml.safe_load(path.read_text())
    found = problems(template, stage)
    if not found:
        template["Parameters"]["Stage"]["Default"] = stage
        template.setdefault("Rules", {})["PackagedStage"] = {"Assertions": [{
            "Assert": {"Fn::Equals": [{"Ref": "Stage"}, stage]},
            "AssertDescription": f"This template was packaged for stage {stage}: "
                                 f"deploy it with Stage={stage}"}]}
        path.write_text(yaml.dump(template, Dumper=_PlainDumper, sort_keys=False, width=100))
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    found = finalize(Path(argv[1]), argv[2])
    for problem in found:
        print(f"{argv[1]}: {problem}", file=sys.stderr)
    if not found:
        print(f"{argv[1]}: Stage pinned to {argv[2]}; queue and functions wired")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
