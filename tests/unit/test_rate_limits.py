"""How a key's rate limit is spread over slots, so one busy key stays under half
of a DynamoDB partition's write rate."""

from __future__ import annotations

from chalicelib.access import ratelimit


def test_a_busy_key_spreads_its_window_over_slots_under_half_a_partition():
    assert ratelimit.SLOT_RATE <= 500
    for limit in (1, 499, 500, 501, 5_000, 100_000):
        slots = max(1, -(-limit // ratelimit.SLOT_RATE))
        assert -(-limit // slots) <= ratelimit.SLOT_RATE
        assert slots * -(-limit // slots) >= limit
