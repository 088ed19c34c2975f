"""The compact form of a sealed answer (issue 26): deflated, sealed with AES-GCM as
raw bytes, bound to its record; and an answer stored with parts left out is
rebuilt exactly from what re-derives them."""

from __future__ import annotations

import json
import random
import string
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chalicelib.core import errors, vault
from chalicelib.store import idempotency

BOUND = st.text(st.characters(codec="ascii", min_codepoint=0x20, max_codepoint=0x7E),
                min_size=1, max_size=300)


@given(st.text(max_size=5_000), BOUND)
def test_a_compact_seal_opens_to_exactly_the_text_it_sealed(text, bound_to):
    assert vault.open_compact(vault.seal_compact(text, bound_to), bound_to) == text


@given(st.text(max_size=500), BOUND, BOUND)
def test_a_compact_seal_opens_only_where_it_is_bound(text, bound_to, elsewhere):
    assume(elsewhere != bound_to)
    sealed = vault.seal_compact(text, bound_to)
    with pytest.raises(errors.ServiceUnavailable):
        vault.open_compact(sealed, elsewhere)


@given(st.text(min_size=1, max_size=500), BOUND, st.integers(0, 10_000), st.integers(0, 255))
def test_a_compact_seal_with_any_byte_changed_does_not_open(text, bound_to, at, flip):
    sealed = bytearray(vault.seal_compact(text, bound_to))
    at %= len(sealed)
    sealed[at] ^= flip or 1
    with pytest.raises(errors.ServiceUnavailable):
        vault.open_compact(bytes(sealed), bound_to)


def test_a_json_answer_sealed_compactly_is_smaller_than_its_text():
    answer = json.dumps({"gift": {"id": "gft_i5v0abb3yu7qvd6j1d027c", "status": "active",
                                  "recipient": None, "metadata": None, "voided_at": None},
                         "redemption": {"id": "red_92fc4wpw4wh9485ediu1c4", "location": None}})
    assert len(vault.seal_compact(answer, "ptn_1#key")) < len(answer)
    assert len(vault.seal_compact(answer, "ptn_1#key")) < len(vault.seal(answer, "ptn_1#key"))


# -------------------------------------------------------- parts read again

PARTS: dict[str, dict[str, str]] = {}
"""What the test source's reader re-derives, by key (a stand-in for a gift's table)."""


@idempotency.rederives("test-item")
def _read(key: str) -> dict[str, str]:
    return PARTS.get(key, {})


NAMES = st.sampled_from(["recipient", "metadata", "wheel", "note"])
VALUES = st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=400), max_size=6)


def _claim(key: str) -> idempotency.Claim:
    return idempotency.claim(key, "ptn_test", "POST", "/v1/things", {}, b"{}",
                             "application/json", datetime(2027, 1, 1, tzinfo=UTC))


KEYS = st.text(st.characters(codec="ascii", min_codepoint=0x21, max_codepoint=0x7E),
              min_size=1, max_size=40)


@given(st.dictionaries(NAMES, VALUES, min_size=1), st.text(max_size=300), KEYS)
def test_an_answer_stored_with_parts_left_out_replays_exactly(members, tail, key):
    # given an answer whose members are parts an item holds
    body = _json({"id": "thing_1", **members, "tail": tail})
    parts = {name: _json(value) for name, value in members.items()}
    PARTS[key] = parts
    claim = _claim(key)

    # when it is stored (parts left out only if it would not fit) and replayed
    record = claim.record(201, body, again=idempotency.Rederive("test-item", key, parts))
    with pytest.raises(idempotency.Replay) as replay:
        idempotency.from_record(claim, record)

    # then the replay is the answer itself, and what is stored fits if leaving out can
    assert (replay.value.status, replay.value.body) == (201, body)
    assert replay.value.headers == idempotency.DEFAULT_HEADERS
    if record.r is not None:
        assert idempotency.size(record) < idempotency.size(claim.record(201, body))


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _large_answer() -> tuple[str, dict[str, str]]:
    """An answer of 3 KB of text that does not compress, in two parts."""
    rng = random.Random(7)
    members = {name: "".join(rng.choices(string.ascii_letters, k=1_500))
               for name in ("note", "metadata")}
    return _json({"id": "thing_1", **members}), {k: _json(v) for k, v in members.items()}


def test_a_large_answer_is_stored_under_the_limit_without_its_parts():
    body, parts = _large_answer()
    claim = _claim("large")

    record = claim.record(200, body, again=idempotency.Rederive("test-item", "large", parts))

    assert idempotency.size(record) < idempotency.RECORD_LIMIT
    assert record.r == "test-item:large"
    assert idempotency.size(claim.record(200, body)) > 2 * idempotency.RECORD_LIMIT


def test_a_part_that_cannot_be_read_again_is_a_503_not_a_wrong_answer():
    body, parts = _large_answer()
    claim = _claim("gone")
    record = claim.record(200, body, again=idempotency.Rederive("test-item", "gone", parts))
    PARTS.pop("gone", None)  # the item it would be read from is gone

    with pytest.raises(errors.ServiceUnavailable):
        idempotency.from_record(claim, record)
