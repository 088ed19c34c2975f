"""Each API key's own rate limit, so one partner cannot use a whole stage's quota.

Why in the application: API Gateway's usage plans want a second key in
`x-api-key` (or the partner's secret copied into API Gateway) and are best
effort by AWS's own word (infra/README.md weighs them); the stage's throttling
stays as the outer guard. Counted in DynamoDB, in fixed one-second windows: each
request adds 1 to the item `key_id#second#slot`, conditioned on the slot being
under its share of the limit, so the count is atomic across every Lambda. A busy
key's window is spread over slots of at most SLOT_RATE requests a second each, so
no item takes more than half a partition's write units; with several slots the
limit is approximate (a burst may be refused a little early), never exceeded.
Cost: one UpdateItem (1 write unit) per request with an API key.
"""

from __future__ import annotations

import logging
import math
import random
from datetime import UTC, datetime

from pynamodb.exceptions import UpdateError

from chalicelib.core import errors
from chalicelib.core.clock import timestamp
from chalicelib.core.config import settings
from chalicelib.store.models import RateModel
from chalicelib.store.retry import condition_failed

log = logging.getLogger("rewards.ratelimit")
SLOT_RATE = 500
KEEP_SECONDS = 120  # windows are read only in their second; TTL tidies them up


def limit_for(key_limit: int | None) -> int:
    return key_limit or settings().api_key_rate_limit


def admit(key_id: str, key_limit: int | None, now: float | None = None) -> None:
    """Count this request against the key's limit, or raise 429 `rate_limited`."""
    limit = limit_for(key_limit)
    if not limit:
        return
    now = timestamp() if now is None else now
    second = int(now)
    slots = max(1, math.ceil(limit / SLOT_RATE))
    share = math.ceil(limit / slots)
    item = RateModel(pk=f"{key_id}#{second}#{random.randrange(slots)}")
    try:
        item.update(actions=[RateModel.n.add(1), RateModel.expires_at.set(
                        datetime.fromtimestamp(second + KEEP_SECONDS, UTC))],
                    condition=RateModel.n.does_not_exist() | (RateModel.n < share))
    except UpdateError as exc:
        if not condition_failed(exc):
            # fail open: a limiter that cannot count must not refuse what the
            # request's own storage call will answer anyway (503 if DynamoDB is down)
            log.warning("rate limit not counted for %s: %s", key_id, errors.aws_code(exc))
            return
        raise errors.RateLimited(
            f"This API key may make {limit} requests a second; retry after a second",
            headers={"Retry-After": "1"}, extra={"limit": limit}) from None
