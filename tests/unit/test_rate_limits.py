"""How a key's rate limit is split into slots and how large a lease an instance
takes: a busy key stays under half a DynamoDB partition's write rate, and a quiet
instance holds little of the limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.access import ratelimit


def test_a_busy_key_spreads_its_window_over_slots_under_half_a_partition():
    assert ratelimit.SLOT_RATE <= 500
    for limit in (1, 3, 499, 500, 501, 1_000, 1_201, 5_000, 100_000):
        caps = ratelimit.slot_caps(limit)
        assert max(caps) <= ratelimit.SLOT_RATE
        assert min(caps) >= 1
        assert sum(caps) == limit  # the slots between them never admit more


def _lease(previous: int = 0, used: int = 0, fraction_left: float = 1.0,
           smallest: int = 10, room: int = 500) -> int:
    return ratelimit.lease_size(previous=previous, used=used, fraction_left=fraction_left,
                                smallest=smallest, room=room)


def test_a_lease_covers_the_previous_seconds_pace_with_a_margin():
    assert _lease(previous=100) == 125
    assert _lease(previous=100, fraction_left=0.5) == 63  # half the second is left


def test_a_quiet_instance_leases_only_the_smallest_block():
    assert _lease(previous=0) == 10
    assert _lease(previous=1) == 10
    assert ratelimit.min_lease(1_000) == 10
    assert ratelimit.min_lease(300) == 3
    assert ratelimit.min_lease(3) == 1  # a small limit is not taken by one instance


def test_a_burst_doubles_its_lease_so_it_needs_few_writes():
    leases, used = [], 0
    while used < 1_000:
        size = _lease(used=used, room=10_000)
        leases.append(size)
        used += size
    assert leases == [10, 10, 20, 40, 80, 160, 320, 640]


def test_a_lease_never_takes_more_than_the_slot_holds():
    assert _lease(previous=10_000) == 500
    assert _lease(previous=10_000, room=7) == 7
    assert _lease(used=300, room=1) == 1


# ------------------------------------------------------------- player keys and headers


@given(st.text(max_size=40), st.text(max_size=40))
def test_two_players_never_share_a_limiter_key(a: str, b: str) -> None:
    """Player ids may hold `#` (the rate table's separator) and `%`."""
    assert (ratelimit.player_key("cmp_1", a) == ratelimit.player_key("cmp_1", b)) == (a == b)
    assert "#" not in ratelimit.player_key("cmp_1", a).split("#", 1)[1]


def test_a_player_whose_id_looks_like_a_window_stays_apart() -> None:
    assert ratelimit.player_key("cmp_1", "a#1") != ratelimit.player_key("cmp_1", "a") + "#1"
    assert ratelimit.player_key("cmp_1", "x") != ratelimit.campaign_key("cmp_1")


def test_the_fields_list_each_policy_as_a_structured_field_item() -> None:
    decisions = [ratelimit.Decision(10, 7, 1, "player"), ratelimit.Decision(100, -1, 1,
                                                                            "campaign")]
    assert ratelimit.headers(decisions) == {
        "RateLimit-Policy": '"player";q=10;w=1, "campaign";q=100;w=1',
        "RateLimit": '"player";r=7;t=1, "campaign";r=0;t=1'}
    assert ratelimit.headers([]) == {}
