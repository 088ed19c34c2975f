"""The campaign report: counters that every write path keeps, summed over shards;
its time series (hour rows); the prize structure of a lucky-draw dossier.

A bounded number of reads whatever the campaign's size: the campaign item, one
BatchGetItem of its shards and one Query per shard for its day rows (one row per
expiry day; a Query page holds thousands). Expired gifts need no event:
outstanding gifts are counted per local expiry day (`open_n`/`open_amt`), so
"expired" is the sum of the days already past.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from . import budget, campaigns, errors, periods, schemas, wheel
from .batch_input import spreadsheet_cell
from .common import iso, parse_iso
from .store import CampaignModel, GiftModel, HourModel, Txn, fan_out


def _sum(days: dict[str, dict[str, int]], name: str, only: set[str] | None = None) -> int:
    return sum(row.get(name, 0) for day, row in days.items() if only is None or day in only)


def report(partner_id: str, campaign_id: str, now: datetime, granularity: str | None = None,
           from_text: str | None = None, to_text: str | None = None) -> schemas.Report:
    """With `granularity` (day | hour), also the time series over from..to: one more
    Query per shard, whatever the traffic (the window is capped)."""
    c = campaigns.get(partner_id, campaign_id)
    w = None
    if granularity is not None or from_text is not None or to_text is not None:
        w = window(c, granularity, from_text, to_text, now)
    f = budget.all_figures(c)
    today = now.astimezone(ZoneInfo(c.timezone)).date().isoformat()
    past = {day for day in f.days if day <= today}
    order = [s["id"] for s in (c.wheel or {}).get("segments", [])]
    issued_amount = _sum(f.days, "issued_amt")
    # holds and reversals (issue 12): redeemed is net of reversals; holds outstanding
    # are counted by the second they expire (see `holds.outstanding`)
    reversed_amount = _sum(f.days, "reversed_amt")
    redeemed_amount = _sum(f.days, "redeemed_amt") - reversed_amount
    from . import holds  # holds -> gifts -> reports: imported when first needed

    held_n, held_amount = holds.outstanding(c.id, int(c.shards), now)
    return schemas.Report(
        campaign_id=c.id, currency=c.currency, budget=campaigns.budget_out(f),
        gifts=schemas.GiftFigures(
            issued=schemas.CountAmount(count=_sum(f.days, "issued_n"), amount=issued_amount),
            redeemed=schemas.CountAmount(count=_sum(f.days, "redeemed_n"),
                                         amount=redeemed_amount),
            voided=schemas.CountAmount(count=_sum(f.days, "voided_n"),
                                       amount=_sum(f.days, "voided_amt")),
            expired=schemas.CountAmount(count=_sum(f.days, "open_n", past),
                                        amount=_sum(f.days, "open_amt", past)),
            reversed=schemas.CountAmount(count=_sum(f.days, "reversed_n"),
                                         amount=reversed_amount),
            held=schemas.CountAmount(count=held_n, amount=held_amount)),
        spins=schemas.SpinFigures(
            count=f.spins, wins=f.wins,
            by_segment=[schemas.SegmentCount(segment_id=s, count=f.by_segment.get(i, 0))
                        for i, s in enumerate(order)]),
        redemption_rate=round(redeemed_amount / issued_amount, 6) if issued_amount else 0.0,
        as_of=iso(now), timezone=c.timezone,
        granularity=w.granularity if w else None, series=series(c, w) if w else None)


# ------------------------------------------------------------ counting (hot path)
# One helper call in each write transaction: the hour row of the shard the
# operation already writes, in the campaign's zone. 2 write units on a key family
# spread like the shards (`campaign-hours <cmp>#NN`), so the ceilings stay those of
# the shards (bench/partitions.py). Redemptions count on keys of their own
# (`<cmp>#NN#r`): spins, issues and redemptions at the contract's rates together
# (10,000 + 5,000 + 5,000/s) would put 1,250 units/s on one family of 32 keys.

HOUR = "hour"  # the transaction label of an hour row
REDEEMED = "#r"  # the suffix of the hour rows redemptions count in


def _hour_keys(c: CampaignModel) -> list[str]:
    """Every hour-row key of a campaign: per shard, its own and its redemptions'."""
    keys = budget.shard_keys(c.id, int(c.shards))
    return keys + [key + REDEEMED for key in keys]


def _hour(txn: Txn, key: str, hour: str, actions: list) -> None:
    txn.update(HOUR, HourModel(pk=key, hour=hour), actions)


def spin_tally(now: datetime, tz: str, last_hour: str | None) -> periods.Tally:
    """Where a spin counts; its `at` is the spin's stamp (see periods.tally)."""
    return periods.tally(now, tz, last_hour)


def count_spin(txn: Txn, key: str, tally: periods.Tally, win: bool, amount: int) -> None:
    """A spin (and, on a win, the gift it issues) in its hour row; a distinct player
    counts once per hour and once per day, as the player item's hour told."""
    h = HourModel
    actions = [h.sp.add(1)]
    if tally.first_hour:
        actions.append(h.ph.add(1))
    if tally.first_day:
        actions.append(h.pd.add(1))
    if win:
        actions += [h.wn.add(1), h.in_.add(1), h.ia.add(amount)]
    _hour(txn, key, tally.hour, actions)


def count_issue(txn: Txn, key: str, now: datetime, tz: str, count: int, amount: int) -> None:
    """Gifts issued by the API (singly or a batch's reservation)."""
    _hour(txn, key, periods.hour_key(now, tz), [HourModel.in_.add(count),
                                                HourModel.ia.add(amount)])


def count_redeem(txn: Txn, gift: GiftModel, amount: int, now: datetime) -> None:
    """A redemption, on the gift's shard; a won gift also counts for its prize."""
    tz = campaigns.fixed(gift.partner_id, gift.campaign_id).timezone  # cached per Lambda
    h = HourModel
    actions = [h.rn.add(1), h.ra.add(amount)]
    if gift.prize_seg is not None:
        seg = int(gift.prize_seg)
        actions += [getattr(h, f"c{seg}").add(1), getattr(h, f"a{seg}").add(amount)]
    _hour(txn, gift.shard_key + REDEEMED, periods.hour_key(now, tz), actions)


# ------------------------------------------------------------------ reading

FIELDS = ("sp", "wn", "ph", "pd", "in_", "ia", "rn", "ra")


def hour_rows(c: CampaignModel, lo: str | None, hi: str | None) -> list[HourModel]:
    """The hour rows of every shard with lo <= hour <= hi: two Queries per shard
    (its own rows and its redemptions'); callers sum rows, so a split hour adds up."""

    def fetch(key: str) -> list[HourModel]:
        condition = HourModel.hour.between(lo, hi) if lo and hi else None
        return list(HourModel.query(key, condition, consistent_read=True))

    return [row for rows in fan_out(fetch, _hour_keys(c)) for row in rows]


def _zero() -> dict[str, int]:
    return dict.fromkeys(FIELDS, 0)


def series(c: CampaignModel, w: periods.Window) -> list[schemas.SeriesPoint]:
    starts = w.starts(c.timezone)
    if not starts:
        return []
    sums = {s: _zero() for s in starts}
    last = periods.fmt(w.hi - periods.SECOND)
    for row in hour_rows(c, periods.fmt(starts[0]), last):
        slot = sums.get(periods.period_of(row.hour, w.granularity, c.timezone))
        if slot is None:
            continue
        for name in FIELDS:
            slot[name] += int(getattr(row, name) or 0)
    players = "ph" if w.granularity == "hour" else "pd"
    return [schemas.SeriesPoint(
        period_start=periods.local_iso(s, c.timezone),
        issued=schemas.CountAmount(count=v["in_"], amount=v["ia"]),
        redeemed=schemas.CountAmount(count=v["rn"], amount=v["ra"]),
        spins=v["sp"], wins=v["wn"], players=v[players]) for s, v in sums.items()]


def window(c: CampaignModel, granularity: str | None, from_text: str | None,
           to_text: str | None, now: datetime) -> periods.Window:
    try:
        return periods.window(granularity, from_text, to_text, c.timezone,
                              parse_iso(c.starts_at), parse_iso(c.ends_at), now)
    except periods.BadWindow as bad:
        raise errors.field_error(bad.field, str(bad)) from None


SERIES_COLUMNS = ("period_start", "issued_count", "issued_amount", "redeemed_count",
                  "redeemed_amount", "spins", "wins", "players")


def series_csv(partner_id: str, campaign_id: str, granularity: str | None,
               from_text: str | None, to_text: str | None, now: datetime) -> str:
    c = campaigns.get(partner_id, campaign_id)
    points = series(c, window(c, granularity or "day", from_text, to_text, now))
    return to_csv(SERIES_COLUMNS, ([p.period_start, p.issued.count, p.issued.amount,
                                    p.redeemed.count, p.redeemed.amount, p.spins, p.wins,
                                    p.players] for p in points))


def to_csv(header: tuple[str, ...], rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


# ------------------------------------------------------------ prize structure


def prize_structure(partner_id: str, campaign_id: str) -> schemas.PrizeStructure:
    """What a lucky-draw registration dossier lists: each prize, its value, how
    many can be won (its stock, else as many as the budget pays: `budget`), their
    total value and the published odds; a prize's count is also bounded by the
    budget, so the total prize value is at most the budget."""
    c = campaigns.get(partner_id, campaign_id)
    segments = (c.wheel or {}).get("segments", [])
    if not segments:
        raise errors.CampaignHasNoWheel(f"Campaign {campaign_id} was created without a wheel")
    budget_total = int(c.budget_total)
    odds = {o["id"]: o["probability"] for o in wheel.probabilities(segments)}
    total_weight = wheel.total_weight(segments)
    prizes = []
    for s in segments:
        amount = int((s.get("prize") or {}).get("amount") or 0)
        if not amount:
            continue
        by_budget = budget_total // amount
        stock = s.get("inventory")
        quantity = by_budget if stock is None else min(int(stock), by_budget)
        prizes.append(schemas.PrizeLine(
            segment_id=s["id"], label=s["label"], value=amount, quantity=quantity,
            quantity_basis="budget" if stock is None or by_budget < int(stock) else "stock",
            stock=stock, total_value=quantity * amount, weight=int(s["weight"]),
            probability=odds[s["id"]]))
    zone = ZoneInfo(c.timezone)
    return schemas.PrizeStructure(
        campaign_id=c.id, name=c.name, currency=c.currency, timezone=c.timezone,
        starts_at=c.starts_at, ends_at=c.ends_at,
        starts_local=parse_iso(c.starts_at).astimezone(zone).isoformat(),
        ends_local=parse_iso(c.ends_at).astimezone(zone).isoformat(),
        budget=budget_total, total_weight=total_weight,
        fallback_segment_id=(c.wheel or {}).get("fallback_segment_id"),
        prizes=prizes, total_prize_value=min(budget_total, sum(p.total_value for p in prizes)),
        seed_commitment=c.seed_commitment)


PRIZE_COLUMNS = ("segment_id", "label", "value", "quantity", "quantity_basis", "total_value",
                 "probability", "weight", "total_weight")


def prize_structure_csv(partner_id: str, campaign_id: str) -> str:
    p = prize_structure(partner_id, campaign_id)
    rows = [[x.segment_id, x.label, x.value, x.quantity, x.quantity_basis, x.total_value,
             f"{x.probability:.6f}", x.weight, p.total_weight] for x in p.prizes]
    rows.append(["total", "", "", "", "", p.total_prize_value, "", "", ""])
    return to_csv(PRIZE_COLUMNS, rows)
