"""Idempotency record keys (issue 21, finding 2): no two different (scope, key) pairs
share a record, whatever characters partner, campaign and player ids and keys hold,
so one caller can never read or pre-empt another's stored answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.store.idempotency import PlayerScope, legacy_key, record_key

# what each part may hold: ids as the API checks them, and the characters that
# made the old encoding ambiguous (`#`, digits and `:` of the length prefixes)
tricky = st.text(alphabet="ab#:01\x1f", max_size=6)
player_ids = st.one_of(tricky, st.text(min_size=1, max_size=12).filter(
    lambda s: not any(ord(c) < 32 for c in s)))
keys = st.one_of(st.text(alphabet="ab#:01", min_size=1, max_size=6),
                 st.text(alphabet=[chr(c) for c in range(0x20, 0x7F)], min_size=1,
                         max_size=12))
partners = st.sampled_from(["ptn_a", "ptn_b", "ptn_ab"])
campaigns = st.sampled_from(["cmp_a", "cmp_b", "cmp_ab"])
scopes = st.one_of(
    partners, st.just("admin"),
    st.builds(PlayerScope, partners, campaigns, player_ids, st.booleans()))


@given(scopes, keys, scopes, keys)
def test_two_different_scope_and_key_pairs_never_share_a_record_key(s1, k1, s2, k2):
    if (s1, k1) != (s2, k2):
        assert record_key(s1, k1) != record_key(s2, k2)


def test_the_reported_collision_is_gone():
    """Player `bob` with key `k#K` and player `bob#k` with key `K` met on one record."""
    bob = PlayerScope("ptn_a", "cmp_a", "bob", hashed=False)
    bob_k = PlayerScope("ptn_a", "cmp_a", "bob#k", hashed=False)
    assert record_key(bob, "k#K") != record_key(bob_k, "K")
    # the old keys met; so neither may be replayed from there as its own
    assert legacy_key(bob, "k#K") == ("ptn_a#cmp_a#bob#k#K", False)
    assert legacy_key(bob_k, "K") == ("ptn_a#cmp_a#bob#k#K", False)


def test_a_partners_record_key_is_what_it_was():
    """Partner requests keep their records across the deploy: nothing to migrate."""
    assert record_key("ptn_a", "order-1#x") == "ptn_a#order-1#x"
    assert legacy_key("ptn_a", "order-1") is None


@given(partners, campaigns, st.text(alphabet="ab:01", min_size=1, max_size=6),
       st.text(alphabet="ab:01", min_size=1, max_size=6))
def test_an_old_player_key_without_a_hash_sign_is_its_requests_alone(p, c, player, key):
    old, own = legacy_key(PlayerScope(p, c, player, hashed=False), key)
    assert own and old == f"{p}#{c}#{player}#{key}"
    assert legacy_key(PlayerScope(p, c, player, hashed=True), key) is None
