"""The report's hour rows, counted by the money path in its own transaction."""

from __future__ import annotations

from datetime import datetime

from chalicelib.core import periods
from chalicelib.money import campaigns
from chalicelib.store.keys import redeemed_hour_key
from chalicelib.store.models import GiftModel, HourModel
from chalicelib.store.transactions import Txn

# ------------------------------------------------------------ counting (hot path)
# One helper call in each write transaction: the hour row of the shard the
# operation already writes, in the campaign's zone. 2 write units on a key family
# spread like the shards (`campaign-hours <cmp>#NN`), so the ceilings stay those of
# the shards (bench/partitions.py). Redemptions count on keys of their own
# (`<cmp>#NN#r`): spins, issues and redemptions at the contract's rates together
# (10,000 + 5,000 + 5,000/s) would put 1,250 units/s on one family of 32 keys.

HOUR = "hour"  # the transaction label of an hour row


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
    tz = campaigns.terms(gift.partner_id, gift.campaign_id).timezone  # cached per Lambda
    h = HourModel
    actions = [h.rn.add(1), h.ra.add(amount)]
    if gift.prize_seg is not None:
        seg = int(gift.prize_seg)
        actions += [getattr(h, f"c{seg}").add(1), getattr(h, f"a{seg}").add(amount)]
    _hour(txn, redeemed_hour_key(gift.shard_key), periods.hour_key(now, tz), actions)


def count_reversal(txn: Txn, gift: GiftModel, amount: int, now: datetime) -> None:
    """A reversal, in the hour it happens, on the redemption keys: the series nets it
    out of the amount redeemed, as the report's totals do; a won gift's prize counts
    that much less claimed (the money is back on the gift, unspent)."""
    tz = campaigns.terms(gift.partner_id, gift.campaign_id).timezone
    h = HourModel
    actions = [h.vn.add(1), h.va.add(amount)]
    if gift.prize_seg is not None:
        actions.append(getattr(h, f"a{int(gift.prize_seg)}").add(-amount))
    _hour(txn, redeemed_hour_key(gift.shard_key), periods.hour_key(now, tz), actions)
