"""Periods in a campaign's time zone: pure date logic, no AWS (property-tested).

An hour bucket is a local wall-clock hour at one UTC offset. Its key is the UTC
instant it starts, as `YYYY-MM-DDTHH:MM:SSZ` (sortable; a DynamoDB range key).
Zones off whole UTC hours (+05:45 Kathmandu, +12:45 Chatham) start their hours at
:15 or :45 UTC, so a local day is always a whole number of buckets and a day's
figures are the sum of its hours. A repeated hour (clocks back) is two buckets;
an hour cut by a change of offset starts at the change.

Also: the requested window of a series (`from`/`to`, capped), one spin's tally
(first of its player in this hour or day?), and the Vietnamese number and date
formats of the printable results report.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Literal, TypeGuard
from zoneinfo import ZoneInfo

from msgspec import Struct

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MAX_HOURS_DAYS = 31  # an hourly series spans at most this many days
MAX_DAYS = 400
Granularity = Literal["day", "hour"]
GRANULARITIES: tuple[Granularity, ...] = ("day", "hour")


def fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(key: str) -> datetime:
    return datetime.strptime(key, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _offset(moment: datetime, zone: ZoneInfo) -> timedelta | None:
    return moment.astimezone(zone).utcoffset()


def hour_start(moment: datetime, tz: str | ZoneInfo) -> datetime:
    """The UTC instant the local hour holding `moment` began (whole seconds)."""
    zone = _zone(tz)
    t = moment.astimezone(UTC).replace(microsecond=0)
    local = t.astimezone(zone)
    start = t - timedelta(minutes=local.minute, seconds=local.second)
    offset = local.utcoffset()
    if _offset(start, zone) == offset:
        return start
    # the offset changed within this wall-clock hour: the bucket starts at the change
    lo, hi = start, t  # offset(lo) differs, offset(hi) is t's
    while hi - lo > SECOND:
        mid = lo + (hi - lo) // 2
        mid = mid.replace(microsecond=0)
        if _offset(mid, zone) == offset:
            hi = mid
        else:
            lo = mid
    return hi


def hour_key(moment: datetime, tz: str | ZoneInfo) -> str:
    return fmt(hour_start(moment, tz))


def local_day(key_or_moment: str | datetime, tz: str | ZoneInfo) -> str:
    moment = parse(key_or_moment) if isinstance(key_or_moment, str) else key_or_moment
    return moment.astimezone(_zone(tz)).date().isoformat()


def next_hour(start: datetime, tz: str | ZoneInfo) -> datetime:
    """Where the bucket starting at `start` ends (the next bucket's start)."""
    zone = _zone(tz)
    end = hour_start(start + HOUR, zone)
    while (inner := hour_start(end - SECOND, zone)) != start:
        end = inner
    return end


def day_start(day: date, tz: str | ZoneInfo) -> datetime:
    """The first instant (UTC) of a local date, even where midnight is skipped."""
    zone = _zone(tz)
    guess = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    # walk back while the instant before is still the same local date (a skipped or
    # repeated midnight), then forward while it is the day before
    lo = guess - timedelta(hours=3)
    hi = guess + timedelta(hours=3)
    while hi - lo > SECOND:
        mid = (lo + (hi - lo) // 2).replace(microsecond=0)
        if mid.astimezone(zone).date() >= day:
            hi = mid
        else:
            lo = mid
    return hi


def day_floor(moment: datetime, tz: str | ZoneInfo) -> datetime:
    return day_start(moment.astimezone(_zone(tz)).date(), tz)


def period_starts(lo: datetime, hi: datetime, granularity: str,
                  tz: str | ZoneInfo) -> list[datetime]:
    """Every bucket start in [floor(lo), hi), in order (UTC instants)."""
    zone = _zone(tz)
    out: list[datetime] = []
    if granularity == "hour":
        t = hour_start(lo, zone)
        while t < hi:
            out.append(t)
            t = next_hour(t, zone)
        return out
    d = lo.astimezone(zone).date()
    t = day_start(d, zone)
    while t < hi:
        out.append(t)
        d += timedelta(days=1)
        t = day_start(d, zone)
    return out


def period_of(key: str, granularity: str, tz: str | ZoneInfo) -> datetime:
    """The period start (UTC) an hour row's key falls in."""
    moment = parse(key)
    return moment if granularity == "hour" else day_floor(moment, tz)


def local_iso(moment: datetime, tz: str | ZoneInfo) -> str:
    """`2027-01-28T00:00:00+07:00`: a period start as the campaign's zone shows it."""
    return moment.astimezone(_zone(tz)).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------- windows


class BadWindow(ValueError):
    """A malformed or too long window (the API answers 422 on `field`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})")


FIRST_YEAR, LAST_YEAR = 2000, 2199  # what a series may ask about (campaigns are within)


def _bound(text: str, field: str, tz: ZoneInfo, end: bool) -> datetime:
    """A date is a whole local day (`to` includes it); an instant must carry its offset."""
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR if text[:4].isdigit() else False:
        raise BadWindow(field, f"must be within the years {FIRST_YEAR} to {LAST_YEAR}")
    if _DATE.fullmatch(text):
        try:
            d = date.fromisoformat(text)
        except ValueError:
            raise BadWindow(field, "is not a valid date") from None
        return day_start(d + timedelta(days=1) if end else d, tz)
    if _INSTANT.fullmatch(text):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            raise BadWindow(field, "is not a valid time") from None
    raise BadWindow(field, "must be a date (YYYY-MM-DD, local) or a time with its offset "
                           "(2027-01-28T09:00:00+07:00)")


class Window(Struct, frozen=True):
    granularity: Granularity
    lo: datetime  # the first period's start (UTC)
    hi: datetime  # exclusive

    def starts(self, tz: str | ZoneInfo) -> list[datetime]:
        return period_starts(self.lo, self.hi, self.granularity, tz)


def _is_granularity(value: str | None) -> TypeGuard[Granularity]:
    return value in GRANULARITIES


def window(granularity: str | None, from_text: str | None, to_text: str | None,
           tz: str, starts_at: datetime, ends_at: datetime, now: datetime) -> Window:
    """The periods a series covers. Defaults: from the campaign's start to now (or
    its end); a long default is cut to its last MAX_* days; an explicit window
    longer than that is refused (422), so one report stays a bounded read."""
    if not _is_granularity(granularity):
        raise BadWindow("granularity", "must be day or hour")
    zone = ZoneInfo(tz)
    hi = _bound(to_text, "to", zone, end=True) if to_text else min(now, ends_at)
    lo = _bound(from_text, "from", zone, end=False) if from_text else starts_at
    floor = hour_start if granularity == "hour" else day_floor
    lo = floor(lo, zone)
    if hi <= lo:
        if from_text and to_text:
            raise BadWindow("to", "must be after from")
        return Window(granularity, lo, lo)  # nothing yet (a scheduled campaign)
    cap = timedelta(days=MAX_HOURS_DAYS if granularity == "hour" else MAX_DAYS)
    if hi - lo > cap + HOUR:  # an hour of slack for a day that has 25
        if from_text:
            raise BadWindow("from", f"a {granularity} series spans at most "
                                    f"{cap.days} days")
        lo = floor(hi - cap, zone)
        if hi - lo > cap + HOUR:
            lo = floor(hi - cap + HOUR, zone)
    return Window(granularity, lo, hi)


# ----------------------------------------------------------------- spin tally


class Tally(Struct, frozen=True):
    """Where one spin counts: its hour row, its stamp, and whether it is its
    player's first spin in that hour / local day."""

    at: datetime
    hour: str
    first_hour: bool
    first_day: bool


def tally(now: datetime, tz: str | ZoneInfo, last_hour: str | None) -> Tally:
    """`last_hour`: the hour key of the player's previous spin (the player item
    holds it; the spin's write is conditioned on that item's exact spin count, so
    it is current). A spin stamped before it (two spins of one player racing
    across an hour) is stamped at that hour's start, so a player's hours only move
    forward and "first in this hour/day" is exact."""
    zone = _zone(tz)
    at = now.astimezone(UTC).replace(microsecond=0)
    key = hour_key(at, zone)
    if last_hour is not None and key < last_hour:
        at, key = parse(last_hour), last_hour
    first_hour = last_hour is None or last_hour < key
    first_day = last_hour is None or local_day(last_hour, zone) < local_day(key, zone)
    return Tally(at, key, first_hour, first_day)


# -------------------------------------------------------------- Vietnamese


def vn_number(n: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese thousands separator)."""
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", ".")


def vn_money(n: int) -> str:
    return f"{vn_number(n)}\u00a0đ"


def vn_date(moment: datetime | date, tz: str | ZoneInfo | None = None) -> str:
    """dd/mm/yyyy, of the local date when given an instant and a zone."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(_zone(tz)).date() if tz else moment.date()
    return moment.strftime("%d/%m/%Y")
