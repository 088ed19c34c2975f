"""The campaign report: counters that every write path keeps, summed over shards;
its time series (hour rows); the prize structure of a lucky-draw dossier.

A bounded number of reads whatever the campaign's size: the campaign item, two
BatchGetItems of its shards (before and after the day rows: `figures`) and one
Query per shard for its day rows (one row per expiry day; a Query page holds
thousands); a series adds two Queries per shard for its hour rows and reads the
shards and day rows once more (the hour counts not rolled into rows yet:
`hour_rows`). Expired gifts need no event: outstanding gifts are counted per local
expiry day (`open_n`/`open_amt`, on the day rows and, for the day a shard's issues
now count in, on the shard: `money.tallies`), so "expired" is the sum of the days
already past."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from chalicelib import schemas
from chalicelib.core import errors, fair_draw, periods
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.spreadsheet import spreadsheet_cell
from chalicelib.money import budget_shards, campaigns, tallies
from chalicelib.play import guards
from chalicelib.store.keys import hour_keys, shard_keys
from chalicelib.store.models import CampaignModel, HourModel
from chalicelib.store.paging import fan_out


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
    f = figures(c)
    today = now.astimezone(ZoneInfo(c.timezone)).date().isoformat()
    past = {day for day in f.days if day <= today}
    order = [s["id"] for s in (c.wheel or {}).get("segments", [])]
    issued_amount = _sum(f.days, "issued_amt")
    # holds and reversals: redeemed is net of reversals, as in the series (one
    # rule: NET_OF_REVERSALS in schemas/insights.py); holds outstanding are counted
    # by the second they expire (see `holds.outstanding`)
    reversed_amount = _sum(f.days, "reversed_amt")
    redeemed_amount = _sum(f.days, "redeemed_amt") - reversed_amount
    from chalicelib.money import holds

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
        # a campaign without a wheel has no plays to refuse: no read
        plays_blocked=schemas.BlockedPlays(**guards.blocked_counts(
            c.id, shard_keys(c.id, int(c.shards)))) if c.wheel else schemas.BlockedPlays(
            0, 0, 0),
        granularity=w.granularity if w else None,
        series=series(c, w, tallies.pending_of(f.shard_items, f.day_items)) if w else None)


# ------------------------------------------------------------------ reading

FIELDS = ("sp", "wn", "ph", "pd", "in_", "ia", "rn", "ra", "vn", "va")


READS = 4  # attempts at a view of the hour counts (or day figures) that no roll cut in two


def figures(c: CampaignModel) -> budget_shards.Figures:
    """The campaign's figures, its day rows' with what its shards hold of them and
    have not rolled yet (`tallies.held_days`: single issues' and wins' counts, by
    expiry day).

    Exact while shards roll: the shards are read before the day rows (with them, in
    `all_figures`) and again after. A shard whose expiry day did not change between
    the two reads rolled nothing in between, so what it holds is in no row read;
    when one did, the three reads are made again. The figures that are no count
    (budget, spins) are the first read's, as `all_figures` gives them."""
    for _ in range(READS):
        f = budget_shards.all_figures(c)
        after = budget_shards.read_shards(c.id, int(c.shards))
        if not tallies.same_days(f.shard_items, after):
            continue
        days = {day: dict(row) for day, row in f.days.items()}
        for day, held in tallies.held_days(after).items():
            slot = days.setdefault(day, {})
            for name, n in held.items():
                slot[name] = slot.get(name, 0) + n
        return msgspec.structs.replace(f, days=days, shard_items=after)
    raise errors.ServiceUnavailable("The campaign's figures are moving to a new day; "
                                    "retry in a moment")


def _holding(c: CampaignModel) -> dict[str, tallies.Pending]:
    return tallies.pending_of(*budget_shards.holders(c.id, int(c.shards)))


def hour_rows(c: CampaignModel, lo: str | None, hi: str | None,
              held: dict[str, tallies.Pending] | None = None) -> list[HourModel]:
    """The hour rows of every shard with lo <= hour <= hi: two Queries per shard
    (its own rows and its redemptions'), and as rows too, the counts of the hour now
    running that the shards and day rows hold (`money.tallies`); callers sum rows,
    so a split hour adds up.

    Exact while moves roll their holders' counts into the rows: the holders are read
    before the rows (`held`, when the caller just read them) and after. A holder whose
    hour did not change between the two reads rolled nothing in between, so what it
    holds is not in the rows read; when one did, the three reads are made again."""

    def fetch(key: str) -> list[HourModel]:
        condition = HourModel.hour.between(lo, hi) if lo and hi else None
        return list(HourModel.query(key, condition, consistent_read=True))

    for _ in range(READS):
        before = held if held is not None else _holding(c)
        held = None
        rows = [row for rows in fan_out(fetch, hour_keys(c.id, int(c.shards)))
                for row in rows]
        after = _holding(c)
        if all(before[k].hour == p.hour for k, p in after.items() if k in before):
            return rows + [_as_row(p) for p in after.values()
                           if (lo is None or lo <= p.hour) and (hi is None or p.hour <= hi)]
    raise errors.ServiceUnavailable("The campaign's figures are moving to a new hour; "
                                    "retry in a moment")


def _as_row(p: tallies.Pending) -> HourModel:
    row = HourModel(pk=p.row_key, hour=p.hour)
    for name, n in p.counts.items():
        setattr(row, "in_" if name == "in" else name, n)
    return row


def _zero() -> dict[str, int]:
    return dict.fromkeys(FIELDS, 0)


def series(c: CampaignModel, w: periods.Window,
           held: dict[str, tallies.Pending] | None = None) -> list[schemas.SeriesPoint]:
    """`held`: the hour counts not rolled yet, as the caller just read them."""
    starts = w.starts(c.timezone)
    if not starts:
        return []
    sums = {s: _zero() for s in starts}
    last = periods.fmt(w.hi - periods.SECOND)
    for row in hour_rows(c, periods.fmt(starts[0]), last, held):
        slot = sums.get(periods.period_of(row.hour, w.granularity, c.timezone))
        if slot is None:
            continue
        for name in FIELDS:
            slot[name] += int(getattr(row, name) or 0)
    players = "ph" if w.granularity == "hour" else "pd"
    return [schemas.SeriesPoint(
        period_start=periods.local_iso(s, c.timezone),
        issued=schemas.CountAmount(count=v["in_"], amount=v["ia"]),
        redeemed=schemas.CountAmount(count=v["rn"], amount=v["ra"] - v["va"]),
        reversed=schemas.CountAmount(count=v["vn"], amount=v["va"]),
        spins=v["sp"], wins=v["wn"], players=v[players]) for s, v in sums.items()]


def window(c: CampaignModel, granularity: str | None, from_text: str | None,
           to_text: str | None, now: datetime) -> periods.Window:
    try:
        return periods.window(granularity, from_text, to_text, c.timezone,
                              parse_iso(c.starts_at), parse_iso(c.ends_at), now)
    except periods.BadWindow as bad:
        raise errors.field_error(bad.field, str(bad)) from None


SERIES_COLUMNS = ("period_start", "issued_count", "issued_amount", "redeemed_count",
                  "redeemed_amount", "spins", "wins", "players", "reversed_count",
                  "reversed_amount")


def series_csv(partner_id: str, campaign_id: str, granularity: str | None,
               from_text: str | None, to_text: str | None, now: datetime) -> str:
    c = campaigns.get(partner_id, campaign_id)
    points = series(c, window(c, granularity or "day", from_text, to_text, now))
    return to_csv(SERIES_COLUMNS, ([p.period_start, p.issued.count, p.issued.amount,
                                    p.redeemed.count, p.redeemed.amount, p.spins, p.wins,
                                    p.players, p.reversed.count, p.reversed.amount]
                                   for p in points))


def to_csv(header: tuple[str, ...], rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


# ------------------------------------------------------------ prize structure


def prize_structure(partner_id: str, campaign_id: str, now: datetime
                    ) -> schemas.PrizeStructure:
    """What a lucky-draw registration dossier lists: each prize, its value, how
    many can be won (its stock, else as many as the budget pays: `budget_shards`), their
    total value and the published odds; a prize's count is also bounded by the
    budget, so the rows together may exceed it: the answer gives both figures,
    named (`prizes_total`, `budget_cap`), and the lesser as the total prize value."""
    c = campaigns.get(partner_id, campaign_id)
    segments = (c.wheel or {}).get("segments", [])
    if not segments:
        raise errors.CampaignHasNoWheel(f"Campaign {campaign_id} was created without a wheel")
    budget_total = int(c.budget_total)
    odds = {o["id"]: o["probability"] for o in fair_draw.probabilities(segments)}
    total_weight = fair_draw.total_weight(segments)
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
    ended = campaigns.ended_at(c, now)
    rows_total = sum(p.total_value for p in prizes)
    return schemas.PrizeStructure(
        campaign_id=c.id, name=c.name, currency=c.currency, timezone=c.timezone,
        starts_at=c.starts_at, ends_at=c.ends_at,
        starts_local=parse_iso(c.starts_at).astimezone(zone).isoformat(),
        ends_local=parse_iso(c.ends_at).astimezone(zone).isoformat(),
        ended_at=ended, ended_local=parse_iso(ended).astimezone(zone).isoformat() if ended
        else None,
        budget=budget_total, total_weight=total_weight,
        fallback_segment_id=(c.wheel or {}).get("fallback_segment_id"),
        prizes=prizes, total_prize_value=min(budget_total, rows_total),
        seed_commitment=c.seed_commitment, prizes_total=rows_total, budget_cap=budget_total,
        capped_by_budget=rows_total > budget_total)


PRIZE_COLUMNS = ("segment_id", "label", "value", "quantity", "quantity_basis", "total_value",
                 "probability", "weight", "total_weight")


def prize_structure_csv(partner_id: str, campaign_id: str, now: datetime) -> str:
    p = prize_structure(partner_id, campaign_id, now)
    rows = [[x.segment_id, x.label, x.value, x.quantity, x.quantity_basis, x.total_value,
             f"{x.probability:.6f}", x.weight, p.total_weight] for x in p.prizes]
    rows.append(["prizes_total", "the rows summed", "", "", "", p.prizes_total, "", "", ""])
    rows.append(["budget_cap", "the budget: all prizes together never pay more", "", "", "",
                 p.budget_cap, "", "", ""])
    rows.append(["total", "the lesser of prizes_total and budget_cap", "", "", "",
                 p.total_prize_value, "", "", ""])
    return to_csv(PRIZE_COLUMNS, rows)
