"""bench.allin's charging rules, which the issue's figures rest on: an index entry is
written when the item enters, leaves or changes what the index projects, two when
its index key moves; keys fall into families by what they are shared by."""

from __future__ import annotations

from bench.allin import Family, Index, World, family, index_writes, item_size

KEYS = ["id"]


def item(**attrs: str) -> dict:
    return {k: {"S": v} for k, v in attrs.items()}


def by_partner(projection: str, include: list[str] | None = None) -> Index:
    return Index("by_partner", ["partner_shard", "created_key"], projection, include or [])


def test_an_item_entering_an_index_writes_one_entry_on_its_hash_key() -> None:
    new = item(id="e1", partner_shard="p#3", created_key="t#e1", data="x" * 2000)
    assert index_writes(by_partner("ALL"), KEYS, None, new) == [("p#3", item_size(new))]


def test_a_keys_only_index_ignores_a_change_of_any_other_attribute() -> None:
    old = item(id="e1", partner_shard="p#3", created_key="t#e1")
    new = {**old, "dispatched": {"N": "1"}}
    assert index_writes(by_partner("KEYS_ONLY"), KEYS, old, new) == []
    assert len(index_writes(by_partner("ALL"), KEYS, old, new)) == 1


def test_an_include_index_writes_only_when_an_included_attribute_changes() -> None:
    old = item(id="e1", partner_shard="p#3", created_key="t#e1", type="a", note="x")
    index = by_partner("INCLUDE", ["type"])
    assert index_writes(index, KEYS, old, {**old, "note": {"S": "y"}}) == []
    assert index_writes(index, KEYS, old, {**old, "type": {"S": "b"}})[0][0] == "p#3"


def test_an_index_key_that_moves_writes_the_removal_and_the_new_entry() -> None:
    old = item(id="e1", partner_shard="p#3", created_key="t#e1")
    new = {**old, "partner_shard": {"S": "p#5"}}
    assert [h for h, _ in index_writes(by_partner("KEYS_ONLY"), KEYS, old, new)] == \
        ["p#3", "p#5"]


def test_an_item_leaving_an_index_writes_its_removal() -> None:
    old = item(id="e1", partner_shard="p#3", created_key="t#e1")
    assert [h for h, _ in index_writes(by_partner("ALL"), KEYS, old, None)] == ["p#3"]
    sparse = {k: v for k, v in old.items() if k != "partner_shard"}
    assert index_writes(by_partner("ALL"), KEYS, old, sparse)[0][0] == "p#3"


def world() -> World:
    return World(api=None, partner="ptn_01HXAAAAAAAAAA", key_id="key_01HXBBBBBBBBBB",
                 endpoint="whe_01HXCCCCCCCCCC", campaigns={"win": "cmp_01HXDDDDDDDDDD"},
                 shards=32)


def test_shards_of_a_campaign_are_one_family_spread_over_the_shards_seen() -> None:
    w = world()
    fam = Family(family("campaign-shards cmp_01HXDDDDDDDDDD#07", w)[0])
    for n in range(32):
        name, slices = family(f"campaign-shards cmp_01HXDDDDDDDDDD#{n:02d}", w)
        assert name == fam.name == "campaign-shards <cmp>#N"
        fam.slices.add(slices)
        fam.units["issue"] += 2
    assert fam.spread == 32 and not fam.entity
    assert fam.hottest("issue", 32) == 2 / 32


def test_a_partner_wide_key_is_not_spread_and_an_idempotency_key_is_an_entity() -> None:
    w = world()
    assert family("webhook-deliveries whe_01HXCCCCCCCCCC", w)[0] == \
        "webhook-deliveries <endpoint>"
    assert family("events/by_partner ptn_01HXAAAAAAAAAA#5", w)[0] == \
        "events/by_partner <partner>#N"
    name = family("idempotency ptn_01HXAAAAAAAAAA#3f2b1c9e-8d7a-4b6c-9e0f-1a2b3c4d5e6f", w)[0]
    assert Family(name).entity
