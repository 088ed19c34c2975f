"""Behaviour of the gift code format (chalicelib/codes.py)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import codes
from chalicelib.core.codes import (
    ALPHABET,
    ENTROPY_BITS,
    InvalidCode,
    format_code,
    generate,
    generate_from_bytes,
    is_valid,
    mask,
    normalize,
)

DISPLAY_RE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")
FIXED = normalize(generate_from_bytes(b"fixed test seed"))


def weighted_sum(canonical: str) -> int:
    """Independent restatement of the check rule, not reusing module internals."""
    return sum((i + 1) * ALPHABET.index(s) for i, s in enumerate(canonical)) % 31


def with_check(payload: str) -> str:
    """Append the check symbol found by brute force against the rule above."""
    (check,) = [c for c in ALPHABET if weighted_sum(payload + c) == 0]
    return payload + check


canonical_codes = st.binary(min_size=0, max_size=64).map(
    lambda data: normalize(generate_from_bytes(data))
)


# --- constants -------------------------------------------------------------


def test_alphabet_has_31_distinct_symbols_without_lookalikes() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("OILUZ") & set(ALPHABET)


def test_entropy_is_at_least_70_bits() -> None:
    assert isinstance(ENTROPY_BITS, float)
    assert ENTROPY_BITS >= 70
    assert ENTROPY_BITS == pytest.approx(74.3, abs=0.05)


# --- generation --------------------------------------------------------------


def test_generated_codes_use_only_the_alphabet_and_group_in_fours() -> None:
    for _ in range(200):
        assert DISPLAY_RE.match(generate())


def test_generated_code_round_trips_through_normalize() -> None:
    for _ in range(200):
        code = generate()
        canonical = normalize(code)
        assert weighted_sum(canonical) == 0
        assert format_code(canonical) == code


def test_generated_codes_are_not_repeated() -> None:
    assert len({generate() for _ in range(1000)}) == 1000


@given(st.binary(max_size=100))
def test_derived_code_is_deterministic_and_valid(data: bytes) -> None:
    code = generate_from_bytes(data)
    assert code == generate_from_bytes(data)
    assert DISPLAY_RE.match(code)
    assert is_valid(code)
    assert weighted_sum(normalize(code)) == 0


def test_different_inputs_derive_different_codes() -> None:
    assert generate_from_bytes(b"a" * 32) != generate_from_bytes(b"b" * 32)


def test_derivation_skips_biased_bytes_instead_of_reducing_them() -> None:
    # 248..255 would bias symbols 0..7 if reduced mod 31; they must be skipped.
    data = bytes([248, 255, 1, 250, 2]) + bytes(range(3, 16))
    assert normalize(generate_from_bytes(data))[:15] == ALPHABET[1:16]


def test_derivation_extends_input_that_runs_out() -> None:
    for data in (b"", b"\xff" * 32, b"\x05" * 3):
        code = generate_from_bytes(data)
        assert is_valid(code)
        assert code == generate_from_bytes(data)
    assert normalize(generate_from_bytes(b"\x05" * 3))[:3] == "555"


def test_derived_symbols_are_roughly_uniform() -> None:
    counts: Counter[str] = Counter()
    n_codes = 4000
    for i in range(n_codes):
        seed = hashlib.sha256(b"uniformity" + i.to_bytes(4, "big")).digest()
        counts.update(normalize(generate_from_bytes(seed))[:15])
    expected = n_codes * 15 / 31  # ~1935 per symbol; sd ~43
    assert set(counts) == set(ALPHABET)
    for symbol in ALPHABET:
        assert abs(counts[symbol] - expected) < 0.1 * expected, symbol


# --- typo detection ------------------------------------------------------------


def test_every_single_symbol_substitution_is_caught_exhaustively() -> None:
    for position in range(16):
        for symbol in ALPHABET:
            if symbol == FIXED[position]:
                continue
            typo = FIXED[:position] + symbol + FIXED[position + 1 :]
            assert not is_valid(typo), (position, symbol)


def test_every_adjacent_transposition_is_caught_exhaustively() -> None:
    # Every position (including payload/check swaps) x every ordered symbol pair.
    for position in range(15):
        for a in ALPHABET:
            for b in ALPHABET:
                payload = list(FIXED[:15])
                payload[position] = a
                if position < 14:
                    payload[position + 1] = b
                code = with_check("".join(payload))
                x, y = code[position], code[position + 1]
                if x == y:
                    continue
                swapped = code[:position] + y + x + code[position + 2 :]
                assert not is_valid(swapped), (position, x, y)


@given(canonical_codes, st.integers(0, 15), st.integers(1, 30))
def test_every_single_symbol_substitution_is_caught(
    code: str, position: int, shift: int
) -> None:
    new_symbol = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    typo = code[:position] + new_symbol + code[position + 1 :]
    assert typo != code
    assert not is_valid(typo)
    with pytest.raises(InvalidCode):
        normalize(format_code(typo))


@given(canonical_codes, st.integers(0, 14))
def test_every_adjacent_transposition_is_caught(code: str, position: int) -> None:
    a, b = code[position], code[position + 1]
    if a == b:  # make the two neighbours distinct, keeping the code valid
        code = normalize(
            generate_from_bytes(code.encode() + position.to_bytes(1, "big"))
        )
        a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert not is_valid(swapped)


# --- forgiving input ----------------------------------------------------------


def test_lowercase_spaces_and_hyphens_are_accepted() -> None:
    code = format_code(FIXED)
    variants = [
        code.lower(),
        FIXED,
        FIXED.lower(),
        " ".join(code.split("-")),
        f"  {code}\t\n",
        code.replace("-", "_"),
        code.replace("-", "."),
        " - ".join(FIXED),
    ]
    for variant in variants:
        assert normalize(variant) == FIXED, variant
        assert is_valid(variant)


def test_lookalikes_map_to_canonical_symbols() -> None:
    typed_payload = "O1I2L3Z4U5o6i7l"  # every look-alike, upper and lower case
    canonical_payload = "01121324V506171"
    valid = with_check(canonical_payload)
    assert normalize(typed_payload + valid[-1]) == valid


@pytest.mark.parametrize("lookalike, canonical", list(zip("OILZUoilzu", "0112V0112V")))
def test_each_lookalike_is_read_as_its_canonical_symbol(
    lookalike: str, canonical: str
) -> None:
    position = 7
    valid = with_check(FIXED[:position] + canonical + FIXED[position + 1 : 15])
    typed = valid[:position] + lookalike + valid[position + 1 :]
    assert normalize(typed) == valid


@pytest.mark.parametrize("raw", ["", "ABCD", FIXED[:-1], FIXED + "0", FIXED * 2])
def test_wrong_length_is_invalid(raw: str) -> None:
    assert not is_valid(raw)
    with pytest.raises(InvalidCode, match="16 characters"):
        normalize(raw)


@pytest.mark.parametrize("bad", ["!", "*", "é", "#"])
def test_symbols_outside_the_alphabet_are_invalid(bad: str) -> None:
    raw = FIXED[:5] + bad + FIXED[6:]
    with pytest.raises(InvalidCode, match="cannot contain"):
        normalize(raw)


def test_wrong_check_symbol_says_typo() -> None:
    wrong = FIXED[:15] + ALPHABET[(ALPHABET.index(FIXED[15]) + 1) % 31]
    with pytest.raises(InvalidCode, match="typo"):
        normalize(wrong)


def test_absurdly_long_input_is_rejected_early() -> None:
    with pytest.raises(InvalidCode):
        normalize(FIXED + " " * 1000)


def test_invalid_code_is_a_value_error() -> None:
    assert issubclass(InvalidCode, ValueError)


# --- display -----------------------------------------------------------------


def test_format_code_groups_in_fours() -> None:
    assert format_code("7KQ2M9XD4TRW8HNC") == "7KQ2-M9XD-4TRW-8HNC"


def test_mask_keeps_only_the_last_group() -> None:
    code = format_code(FIXED)
    expected = f"****-****-****-{FIXED[-4:]}"
    assert mask(code) == expected
    assert mask(FIXED.lower()) == expected
    assert FIXED[:12] not in mask(code)


@given(st.text(max_size=40))
def test_mask_never_raises_and_never_leaks_junk(raw: str) -> None:
    masked = mask(raw)
    assert re.fullmatch(rf"\*{{4}}-\*{{4}}-\*{{4}}-(\*{{4}}|[{ALPHABET}]{{4}})", masked)


@given(st.text(max_size=40))
def test_a_logged_path_never_holds_a_whole_code(noise):
    code = codes.format_code(codes.generate())
    line = f"POST /v1/gifts/{code}/redeem?x={noise} HTTP/1.1"
    masked = codes.mask_in_path(line)
    assert codes.normalize(code) not in masked.replace("-", "")
    assert code not in masked
