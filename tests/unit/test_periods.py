"""Pure period logic: every instant, every zone (hypothesis draws both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import periods

INSTANTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31),
                        timezones=st.just(UTC))
ZONES = st.timezones()
AWKWARD = st.sampled_from(["Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham",
                           "America/St_Johns", "Asia/Ho_Chi_Minh", "Europe/London",
                           "America/New_York", "Pacific/Apia", "America/Sao_Paulo",
                           "Asia/Kolkata", "UTC"]).map(ZoneInfo)


@given(t=INSTANTS, zone=st.one_of(ZONES, AWKWARD))
def test_an_hour_bucket_holds_its_instant_and_keeps_its_local_hour(t, zone):
    start = periods.hour_start(t, zone)
    whole = t.replace(microsecond=0)
    assert start <= whole < start + timedelta(hours=1)
    assert periods.hour_start(start, zone) == start  # stable
    a, b = start.astimezone(zone), whole.astimezone(zone)
    assert (a.date(), a.hour, a.utcoffset()) == (b.date(), b.hour, b.utcoffset())
    assert periods.local_day(periods.hour_key(t, zone), zone) == b.date().isoformat()
    end = periods.next_hour(start, zone)
    assert start < whole + timedelta(seconds=1) <= end + timedelta(seconds=1)
    assert end <= start + timedelta(hours=1)
    assert periods.hour_start(end - timedelta(seconds=1), zone) == start
    assert periods.hour_start(end, zone) == end


@given(t=INSTANTS, zone=st.one_of(ZONES, AWKWARD), f=st.floats(0, 1))
def test_a_bucket_is_an_interval(t, zone, f):
    whole = t.replace(microsecond=0)
    start = periods.hour_start(whole, zone)
    inner = start + timedelta(seconds=int((whole - start).total_seconds() * f))
    assert periods.hour_start(inner, zone) == start


@given(t=INSTANTS, zone=st.one_of(ZONES, AWKWARD), hours=st.integers(1, 80))
def test_periods_tile_the_window_and_days_are_sums_of_hours(t, zone, hours):
    lo, hi = t, t + timedelta(hours=hours)
    hour_starts = periods.period_starts(lo, hi, "hour", zone)
    day_starts = periods.period_starts(lo, hi, "day", zone)
    assert hour_starts == sorted(set(hour_starts)) and day_starts == sorted(set(day_starts))
    for a, b in zip(hour_starts, hour_starts[1:], strict=False):
        assert periods.next_hour(a, zone) == b  # contiguous: no gap, no overlap
    assert hour_starts[0] == periods.hour_start(lo, zone) and hour_starts[-1] < hi
    for h in hour_starts:  # each hour lies in exactly one listed day, its local date
        day = periods.period_of(periods.fmt(h), "day", zone)
        assert day.astimezone(zone).date() == h.astimezone(zone).date()
        assert day <= h
        assert day in day_starts or day < day_starts[0] == periods.day_floor(lo, zone)
    for d in day_starts:
        assert periods.day_start(d.astimezone(zone).date(), zone) == d
        assert (d - timedelta(seconds=1)).astimezone(zone).date() < d.astimezone(zone).date()


@given(d=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       zone=st.one_of(ZONES, AWKWARD))
def test_a_day_starts_at_its_first_local_instant(d, zone):
    s = periods.day_start(d, zone)
    assert s.astimezone(zone).date() == d or d.isoformat() == "2011-12-30"  # Apia skipped it
    assert (s - timedelta(seconds=1)).astimezone(zone).date() < d


@given(now=INSTANTS, zone=st.one_of(ZONES, AWKWARD),
       previous=st.one_of(st.none(), st.timedeltas(timedelta(hours=-3), timedelta(days=3))))
def test_a_spin_tally_moves_forward_and_counts_firsts_exactly(now, zone, previous):
    last = None if previous is None else periods.hour_key(now - previous, zone)
    t = periods.tally(now, zone, last)
    assert t.hour == periods.hour_key(t.at, zone)
    if last is None:
        assert t.first_hour and t.first_day
        return
    assert t.hour >= last  # a player's hours never go back
    assert t.first_hour == (t.hour != last)
    assert t.first_day == (periods.local_day(t.hour, zone) != periods.local_day(last, zone))
    if t.hour == last or t.at != now.replace(microsecond=0):
        assert abs(t.at - now) < timedelta(hours=4)


@given(n=st.integers(-10**15, 10**15))
def test_vietnamese_numbers_group_by_dots(n):
    text = periods.vn_number(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip("-").split(".")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def test_vietnamese_formats():
    assert periods.vn_money(1_234_500) == "1.234.500\u00a0đ"
    assert periods.vn_date(datetime(2027, 2, 1, 18, 0, tzinfo=UTC), "Asia/Ho_Chi_Minh") \
        == "02/02/2027"


NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
START = datetime(2027, 1, 1, 3, tzinfo=UTC)
END = datetime(2027, 6, 1, tzinfo=UTC)


def test_windows_default_cap_and_refuse():
    w = periods.window("day", None, None, "Asia/Ho_Chi_Minh", START, END, NOW)
    assert w.lo == datetime(2026, 12, 31, 17, tzinfo=UTC) and w.hi == NOW
    w = periods.window("hour", None, None, "Asia/Ho_Chi_Minh", START, END, NOW)
    assert len(w.starts("Asia/Ho_Chi_Minh")) <= 31 * 24 + 1
    w = periods.window("day", "2027-01-10", "2027-01-12", "Asia/Kathmandu", START, END, NOW)
    days = w.starts("Asia/Kathmandu")
    assert [periods.local_iso(d, "Asia/Kathmandu") for d in days] == [
        "2027-01-10T00:00:00+05:45", "2027-01-11T00:00:00+05:45", "2027-01-12T00:00:00+05:45"]
    for bad in (("week", None, None), ("day", "2027-1-1", None), ("day", "2027-02-30", None)):
        with pytest.raises(periods.BadWindow):
            periods.window(*bad, "UTC", START, END, NOW)
    with pytest.raises(periods.BadWindow) as e:
        periods.window("hour", "2027-01-01", "2027-02-15", "UTC", START, END, NOW)
    assert e.value.field == "from"
    with pytest.raises(periods.BadWindow) as e:
        periods.window("day", "2027-02-01", "2027-01-01", "UTC", START, END, NOW)
    assert e.value.field == "to"
    scheduled = periods.window("day", None, None, "UTC", NOW + timedelta(days=1), END, NOW)
    assert scheduled.starts("UTC") == []


BOUNDS = st.one_of(
    st.none(), st.text(max_size=30),
    st.dates().map(date.isoformat),
    st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("Asia/Kathmandu")])).map(
        lambda d: d.replace(microsecond=0).isoformat()))


@given(granularity=st.sampled_from(["day", "hour", "week", None]), lo=BOUNDS, hi=BOUNDS,
       zone=AWKWARD, now=INSTANTS)
def test_any_window_request_is_a_capped_window_or_a_refusal(granularity, lo, hi, zone, now):
    tz = zone.key
    try:
        w = periods.window(granularity, lo, hi, tz, START, END, now)
    except periods.BadWindow as bad:
        assert bad.field in ("granularity", "from", "to") and str(bad)
        return
    starts = w.starts(tz)
    assert w.lo <= w.hi
    limit = (periods.MAX_HOURS_DAYS * 25 if granularity == "hour" else periods.MAX_DAYS + 1)
    assert len(starts) <= limit
    assert starts == sorted(set(starts)) and all(w.lo <= s < w.hi for s in starts)
