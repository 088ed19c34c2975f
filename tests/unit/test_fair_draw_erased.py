"""The verifier on spins whose players were erased on request (issue 21): what is left
of a sound spin verifies; what is left of a tampered one does not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import fair_draw

SEED = "ab" * 32

weights = st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=6).filter(
    lambda w: sum(w) > 0)
players = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4, unique=True)


def _spins(ws: list[int], who: list[str]) -> tuple[list[dict], list[dict]]:
    segments = [{"id": f"s{i}", "weight": w} for i, w in enumerate(ws)]
    spins = []
    for p in who:
        for nonce in range(2):
            seed = fair_draw.client_seed_for(p, "x")
            d = fair_draw.draw(SEED, seed, nonce, segments)
            spins.append({"id": f"{p}-{nonce}", "player_id": p, "client_seed": seed,
                          "nonce": nonce, "roll": d.roll, "total_weight": d.total_weight,
                          "drawn_segment_id": d.segment_id})
    return segments, spins


def _erased(spin: dict) -> dict:
    return {**spin, "player_id": None, "client_seed": None, "erased": True}


@given(weights, players, st.data())
def test_erasing_any_players_leaves_a_sound_log_sound(ws, who, data):
    segments, spins = _spins(ws, who)
    gone = data.draw(st.sets(st.sampled_from(who)))
    published = [_erased(s) if s["player_id"] in gone else s for s in spins]
    assert fair_draw.verify(SEED, fair_draw.commitment(SEED), segments, published) == []


@given(weights, players, st.data())
def test_an_erased_spin_whose_roll_lands_elsewhere_is_reported(ws, who, data):
    segments, spins = _spins(ws, who)
    total = sum(ws)
    victim = data.draw(st.sampled_from(spins))
    other = data.draw(st.integers(min_value=0, max_value=total - 1))
    landed = fair_draw.pick(segments, other)["id"]
    published = [_erased({**s, "roll": other}) if s is victim else s for s in spins]
    problems = fair_draw.verify(SEED, fair_draw.commitment(SEED), segments, published)
    assert bool(problems) == (landed != victim["drawn_segment_id"])


def test_a_spin_without_its_client_seed_not_marked_erased_is_malformed():
    segments, spins = _spins([1, 1], ["p"])
    published = [{**spins[0], "client_seed": None}]
    (problem,) = fair_draw.verify(SEED, fair_draw.commitment(SEED), segments, published)
    assert "malformed client_seed" in problem


def test_an_erased_roll_off_the_wheel_is_reported():
    segments, spins = _spins([1, 1], ["p"])
    (problem,) = fair_draw.verify(SEED, fair_draw.commitment(SEED), segments,
                                  [_erased({**spins[0], "roll": 2})])
    assert "(erased): roll 2 is not below the total weight 2" in problem


@given(st.text(min_size=1, max_size=20), st.text(max_size=20),
       st.none() | st.integers(min_value=0, max_value=99))
def test_the_migration_rebuilds_every_v2_client_seed_from_the_player_and_own_seed(
        player, seed, pick):
    from chalicelib.bulk.legacy import own_seed

    recorded = fair_draw.client_seed_for(player, seed, pick)
    kept = own_seed(player, recorded, pick)
    assert kept is not None and fair_draw.client_seed_for(player, kept, pick) == recorded


@given(st.text(min_size=1, max_size=20), st.text(max_size=20))
def test_a_client_seed_naming_another_player_is_not_migrated(player, seed):
    from chalicelib.bulk.legacy import own_seed

    assert own_seed(player + "x", fair_draw.client_seed_for(player, seed), None) is None
