"""The campaign report: one GetItem of counters that every write path keeps.

Expired gifts need no event: outstanding gifts are counted per local expiry day
(`open_count`/`open_amount`), so "expired" is the sum of the days already past.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from . import campaigns, schemas
from .common import iso
from .store import CampaignModel


def _num(value: object) -> int:
    return int(value or 0)


def expired_figures(c: CampaignModel, now: datetime) -> tuple[int, int]:
    today = now.astimezone(ZoneInfo(c.timezone)).date().isoformat()
    counts = c.open_count.as_dict() if c.open_count else {}
    amounts = c.open_amount.as_dict() if c.open_amount else {}
    past = [day for day in counts if day <= today]
    return sum(_num(counts[d]) for d in past), sum(_num(amounts.get(d)) for d in past)


def report(partner_id: str, campaign_id: str, now: datetime) -> schemas.Report:
    c = campaigns.get(partner_id, campaign_id)
    expired_count, expired_amount = expired_figures(c, now)
    by_segment = c.spins_by_segment.as_dict() if c.spins_by_segment else {}
    order = [s["id"] for s in (c.wheel or {}).get("segments", [])]
    issued_amount = _num(c.issued_amount)
    redeemed_amount = _num(c.redeemed_amount)
    return schemas.Report(
        campaign_id=c.id, currency=c.currency,
        budget=schemas.Budget(total=_num(c.budget_total), spent=_num(c.budget_spent),
                              remaining=_num(c.budget_remaining)),
        gifts=schemas.GiftFigures(
            issued=schemas.CountAmount(count=_num(c.issued_count), amount=issued_amount),
            redeemed=schemas.CountAmount(count=_num(c.redeemed_count), amount=redeemed_amount),
            voided=schemas.CountAmount(count=_num(c.voided_count), amount=_num(c.voided_amount)),
            expired=schemas.CountAmount(count=expired_count, amount=expired_amount)),
        spins=schemas.SpinFigures(
            count=_num(c.spins_count), wins=_num(c.spins_wins),
            by_segment=[schemas.SegmentCount(segment_id=s, count=_num(by_segment.get(s)))
                        for s in order]),
        redemption_rate=round(redeemed_amount / issued_amount, 6) if issued_amount else 0.0,
        as_of=iso(now))
