"""The campaign report: counters that every write path keeps, summed over shards.

A bounded number of reads whatever the campaign's size: the campaign item, one
BatchGetItem of its shards and one Query per shard for its day rows (one row per
expiry day; a Query page holds thousands). Expired gifts need no event:
outstanding gifts are counted per local expiry day (`open_n`/`open_amt`), so
"expired" is the sum of the days already past.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from . import budget, campaigns, holds, schemas
from .common import iso


def _sum(days: dict[str, dict[str, int]], name: str, only: set[str] | None = None) -> int:
    return sum(row.get(name, 0) for day, row in days.items() if only is None or day in only)


def report(partner_id: str, campaign_id: str, now: datetime) -> schemas.Report:
    c = campaigns.get(partner_id, campaign_id)
    f = budget.all_figures(c)
    today = now.astimezone(ZoneInfo(c.timezone)).date().isoformat()
    past = {day for day in f.days if day <= today}
    order = [s["id"] for s in (c.wheel or {}).get("segments", [])]
    issued_amount = _sum(f.days, "issued_amt")
    # holds and reversals (issue 12): redeemed is net of reversals; holds outstanding
    # are counted by the second they expire (see `holds.outstanding`)
    reversed_amount = _sum(f.days, "reversed_amt")
    redeemed_amount = _sum(f.days, "redeemed_amt") - reversed_amount
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
        as_of=iso(now))
