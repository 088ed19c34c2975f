"""When a message may go out: a campaign's send window (`delivery.send_window`, e.g.
08:00-21:00 in the campaign's time zone). Pure: no clock, no I/O, so the planner,
the sweeper and the tests agree on one rule.

Rules:
- `from` < `to`: open from `from` (inclusive) to `to` (exclusive) every local day;
- `from` > `to`: the window spans midnight (21:00-06:00: open in the evening and
  the early morning);
- `from` == `to`: open all day (a window of no length would never send);
- no window: always open.

A local opening that does not exist (a daylight-saving gap) opens at the first
instant after the gap; a repeated hour (the fall back) opens at its first pass.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def is_open(at: datetime, opens: str, closes: str, tz: str) -> bool:
    """Whether `at` (aware) is inside the window on the campaign's local clock."""
    lo, hi = _clock(opens), _clock(closes)
    if lo == hi:
        return True
    local = at.astimezone(ZoneInfo(tz)).time().replace(tzinfo=None)
    if lo < hi:
        return lo <= local < hi
    return local >= lo or local < hi


def _opening(day: datetime, lo: time, zone: ZoneInfo) -> datetime:
    """The instant the window opens on local date `day` (normalised through UTC, so
    a wall time inside a gap becomes the first real instant after it)."""
    naive = datetime(day.year, day.month, day.day, lo.hour, lo.minute)
    return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).astimezone(zone)


def next_open(at: datetime, window: tuple[str, str] | None, tz: str) -> datetime:
    """`at` itself when the window is open then (or there is none), else the next
    instant it opens. Aware in, aware out (in the campaign's zone)."""
    if window is None:
        return at
    opens, closes = window
    if is_open(at, opens, closes, tz):
        return at
    zone = ZoneInfo(tz)
    lo = _clock(opens)
    local = at.astimezone(zone)
    for days in range(3):  # closed now: it opens today or tomorrow (a gap: the day after)
        candidate = _opening(local + timedelta(days=days), lo, zone)
        if candidate > at:
            return candidate
    raise AssertionError("a daily window opens within three days")  # pragma: no cover
