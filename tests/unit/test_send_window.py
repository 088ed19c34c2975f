"""The send window (`core.send_window`): a message due outside a campaign's local
hours waits for the next opening, and never longer. Property tests over windows of
every shape (spanning midnight, all day) in zones without daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core.send_window import is_open, next_open

ZONES = ("Asia/Ho_Chi_Minh", "UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu",
         "Pacific/Kiritimati", "America/Lima")
clock = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                        timezones=st.just(UTC))


@given(instants, clock, clock, st.sampled_from(ZONES))
def test_the_next_opening_is_open_not_before_the_instant_and_the_earliest(
        at: datetime, opens: str, closes: str, tz: str) -> None:
    got = next_open(at, (opens, closes), tz)
    assert got >= at
    assert is_open(got, opens, closes, tz)
    if is_open(at, opens, closes, tz):
        assert got == at
    else:  # nothing between was open: sampled every minute (a window's grain)
        step = at
        while step < got - timedelta(minutes=1):
            step += timedelta(minutes=1)
            assert not is_open(step, opens, closes, tz) or step >= got
        assert got - at <= timedelta(days=1)


@given(instants, st.sampled_from(ZONES))
def test_no_window_or_an_all_day_window_sends_at_once(at: datetime, tz: str) -> None:
    assert next_open(at, None, tz) == at
    assert next_open(at, ("08:00", "08:00"), tz) == at


def test_a_window_spanning_midnight_is_open_late_and_early_but_not_at_noon() -> None:
    tz = "Asia/Ho_Chi_Minh"  # UTC+7
    late = datetime(2027, 1, 30, 16, 0, tzinfo=UTC)  # 23:00 local
    early = datetime(2027, 1, 30, 22, 0, tzinfo=UTC)  # 05:00 local
    noon = datetime(2027, 1, 30, 5, 0, tzinfo=UTC)  # 12:00 local
    assert is_open(late, "21:00", "06:00", tz) and is_open(early, "21:00", "06:00", tz)
    assert not is_open(noon, "21:00", "06:00", tz)
    assert next_open(noon, ("21:00", "06:00"), tz) == datetime(2027, 1, 30, 14, 0, tzinfo=UTC)


def test_a_message_due_after_closing_waits_for_the_next_local_morning() -> None:
    at = datetime(2027, 1, 30, 15, 30, tzinfo=UTC)  # 22:30 in Ho Chi Minh City
    assert next_open(at, ("08:00", "21:00"), "Asia/Ho_Chi_Minh") == datetime(
        2027, 1, 31, 1, 0, tzinfo=UTC)
    assert next_open(at, ("08:00", "21:00"), "Asia/Ho_Chi_Minh").utcoffset() == \
        timedelta(hours=7)
