"""The Lambda's entry points: the API (the route blueprints of `chalicelib.routes`)
and the background handlers (the batch queue, the sweeper, the event streams, the
webhook queue). Each handler hands its input to one function in chalicelib."""

from __future__ import annotations

from chalice import Chalice
from chalice.app import CloudWatchEvent, DynamoDBEvent, SNSEvent, SQSEvent

from chalicelib import routes
from chalicelib.bulk import batches
from chalicelib.core.clock import now
from chalicelib.core.config import validate_environment, wiring
from chalicelib.delivery import events
from chalicelib.edge import http
from chalicelib.insights import exports
from chalicelib.money import campaigns
from chalicelib.outreach import deliveries
from chalicelib.store import jobs, tables

# key lists that cannot work stop the process here, naming the variable (a Lambda's
# init fails, `make run` and `chalice local` do not start)
validate_environment()

app = Chalice(app_name="rewards-api")
app.api.binary_types = []  # every body we take or give is text
http.install(app)
tables.bind()
for blueprint in routes.BLUEPRINTS:
    app.register_blueprint(blueprint)

# Deployed, infra/finalize.py points the events function at the streams of every
# table in tables.STREAMED, and wires the queues by these names.
WIRING = wiring()


JOBS = (batches.JOB, exports.JOB)
"""The background work the batch queue's consumer and the sweeper run (`jobs`)."""


@app.on_sqs_message(queue=WIRING.batch_queue, batch_size=1)
def process_gift_batches(event: SQSEvent) -> None:
    """Large batches and exports, in the background; a failure returns the message
    to the queue."""
    context = getattr(app, "lambda_context", None)
    left = context.get_remaining_time_in_millis() / 1000 if context else 25.0
    for record in event:
        jobs.handle_message(JOBS, record.body, max(1.0, left - 5.0))


@app.schedule("rate(5 minutes)")
def sweep_gift_batches(event: CloudWatchEvent) -> None:
    """Finish jobs whose queue message was lost (a crash between reserve and send),
    and mark ended the campaigns whose end has passed (their `campaign.ended` event)."""
    jobs.sweep(JOBS, max_seconds=20.0, min_age_seconds=120.0)
    campaigns.end_passed(now())


@app.on_dynamodb_record(stream_arn=WIRING.events_stream_arn, batch_size=100,
                        starting_position="TRIM_HORIZON", name="events_from_streams")
def events_from_streams(event: DynamoDBEvent) -> None:
    """Turn changes of the money tables into events, and plan and count deliveries to
    recipients (idempotent per record)."""
    handle_stream_records(event.to_dict().get("Records", []))


def handle_stream_records(records: list[dict]) -> None:
    """Everything made from a batch of stream records (the Lambda above; a thread of
    devtools/serve.py locally): events, then deliveries."""
    events.handle_records(records)
    deliveries.handle_records(records)


@app.schedule("rate(1 minute)")
def sweep_deliveries(event: CloudWatchEvent) -> None:
    """Queue the deliveries whose time (deliver_at, send window, reminder) has come,
    and those whose lease ran out (a lost message, a sender that died)."""
    deliveries.sweep(now())


@app.on_sqs_message(queue=WIRING.send_queue, batch_size=1, name="send_deliveries")
def send_deliveries(event: SQSEvent) -> None:
    """One message to a recipient per queue message, at the channel's rate (the
    function's reserved concurrency shares it), exactly once (`outreach.sender`)."""
    from chalicelib.outreach import sender  # only this function sends

    for record in event:
        sender.process_message(record.body)


@app.on_sqs_message(queue=WIRING.webhook_queue, batch_size=10, name="deliver_webhooks",
                    maximum_batching_window_in_seconds=1)
def deliver_webhooks(event: SQSEvent) -> dict:
    """A batch of delivery attempts, made at once and recorded together; failures are
    re-queued with backoff by the code itself. A message whose handling raised (a
    bug) is reported as failed (the event source's ReportBatchItemFailures, in
    infra/tables.yaml): only it is received again, then dead-lettered."""
    from chalicelib.delivery import sending  # only this function sends: not on an API cold start

    records = list(event)
    outcomes = sending.process_messages([record.body for record in records])
    return {"batchItemFailures": [
        {"itemIdentifier": record.to_dict()["messageId"]}
        for record, outcome in zip(records, outcomes, strict=True) if outcome == sending.ERROR]}


@app.on_sns_message(topic=WIRING.delivery_feedback_topic, name="delivery_feedback")
def delivery_feedback(event: SNSEvent) -> None:
    """What SES and SNS said after a send: bounces, complaints and deliveries (SES
    event publishing), and STOP / TU CHOI replies to SMS: suppressions, and the
    deliveries' statuses."""
    from chalicelib.outreach import feedback  # only this function reads feedback

    feedback.handle(event.message, apply=deliveries.apply_feedback,
                    partner_of=deliveries.partner_of)
