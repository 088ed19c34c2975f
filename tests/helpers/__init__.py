"""What the test tiers share: one API client, one DynamoDB fault patch, the
contract's assertions, the service's clock, waiting on a condition, the `make run`
stack as a process, and moto's table streams as the stream Lambda gets them. Test
files import these from `tests.helpers` (and fixtures from the conftest files), never
from one another."""

from tests.helpers.assertions import ADMIN, ALL_SCOPES, assert_problem, fields, header, ok
from tests.helpers.client import PLAYER, WHEEL, Api, campaign_body, items_of, until_final
from tests.helpers.clocks import StoppedClock, iso
from tests.helpers.dynamo import (
    DynamoPatch,
    aws_error,
    clear_caches,
    count_data_calls,
    lost_answer,
    patch_dynamodb,
    patched_dynamodb,
    read_timeout,
    stored_gifts,
    stored_redemptions,
    throttled,
    unreachable,
)
from tests.helpers.jobs import recording_job
from tests.helpers.receivers import DripReceiver
from tests.helpers.stack import (
    ROOT,
    Stack,
    call,
    free_port,
    port_free,
    running_stack,
    screenshot_folder,
    stack_env,
)
from tests.helpers.streams import Streams
from tests.helpers.waiting import HANG, PATIENCE, wait_until

__all__ = [
    "ADMIN", "ALL_SCOPES", "HANG", "PATIENCE", "PLAYER", "ROOT", "WHEEL", "Api",
    "DripReceiver", "DynamoPatch", "Stack", "stack_env",
    "StoppedClock", "Streams", "assert_problem", "aws_error", "call", "campaign_body",
    "clear_caches",
    "count_data_calls", "fields", "free_port", "header", "items_of", "iso", "lost_answer",
    "ok", "patch_dynamodb", "patched_dynamodb", "port_free", "read_timeout",
    "recording_job", "running_stack", "screenshot_folder", "stored_gifts", "stored_redemptions",
    "throttled",
    "unreachable", "until_final", "wait_until",
]
