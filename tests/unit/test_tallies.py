"""The pure parts of the counts carried on shards (`money.tallies`): what a report adds
of the day rows' figures, and how it tells a roll from an add between two reads."""

from __future__ import annotations

from chalicelib.money import tallies
from chalicelib.store.models import GiftModel, ShardModel
from chalicelib.store.transactions import Cancelled


def shard(n: int, day: str | None, gifts: int = 0, amount: int = 0,
          version: int = 0) -> ShardModel:
    return ShardModel(pk=f"cmp_x#{n:02}", xd=day, xn=gifts or None, xa=amount or None,
                      xv=version or None)


def test_held_days_sums_the_shards_by_expiry_day_as_issued_and_open_alike():
    held = tallies.held_days([shard(0, "2027-02-01", 2, 30_000), shard(1, "2027-02-01", 1, 5),
                              shard(2, "2027-02-02", 4, 400), shard(3, None),
                              shard(4, "2027-01-31")])  # rolled and started on nothing
    assert held == {"2027-02-01": {"issued_n": 3, "issued_amt": 30_005, "open_n": 3,
                                   "open_amt": 30_005},
                    "2027-02-02": {"issued_n": 4, "issued_amt": 400, "open_n": 4,
                                   "open_amt": 400}}


def test_an_add_between_two_reads_is_no_roll_but_a_new_expiry_day_is():
    before = [shard(0, "2027-02-01", 1, 10, 1), shard(1, None)]
    assert tallies.same_days(before, [shard(0, "2027-02-01", 5, 50, 5), shard(1, None)])
    # a shard's first held counts: nothing of it was in any row
    assert tallies.same_days(before, [shard(0, "2027-02-01", 1, 10, 1),
                                      shard(1, "2027-02-01", 1, 10, 1)])
    assert not tallies.same_days(before, [shard(0, "2027-02-02", 1, 10, 1), shard(1, None)])


def test_a_shard_seen_on_another_expiry_day_is_refused_for_the_day_alone():
    """A refused win whose hour still matched the shard but whose expiry day did not:
    tried again rolling the day, the hour as it was seen."""
    hour = "2027-02-01T10:00:00Z"
    old = ShardModel(pk="cmp_x#00", th=hour, tv=3, xd="2027-02-02", xv=2, xn=2, xa=20)
    refusal = Cancelled({"shard": old.serialize(null_check=False)})
    gift = GiftModel(code_hash="h", expiry_day="2027-02-03", amount=10)
    again = tallies.refused_shard(refusal, "shard", hour, [gift], tallies.OnShard())
    assert again == tallies.OnShard(None, tallies.Seen("2027-02-02", 2, {"n": 2, "a": 20}))
    # no gift: the day was not counted, so only the hour could have refused it
    assert tallies.refused_shard(refusal, "shard", hour, [], tallies.OnShard()) is None
