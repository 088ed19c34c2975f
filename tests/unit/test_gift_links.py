"""Gift links (money.gift_links): a token never holds the code, and any change to a
token, a byte of it or its version, makes it name nothing."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import codes, config, errors, vault
from chalicelib.money import gift_links
from chalicelib.store.models import GiftModel


def gift(code: str, link_v: int | None = None) -> GiftModel:
    return GiftModel(code_hash=vault.code_hash(code), link_v=link_v)


code_bytes = st.binary(min_size=16, max_size=16)


@given(code_bytes, st.integers(min_value=0, max_value=gift_links.MAX_VERSION))
def test_a_token_never_contains_the_code(raw: bytes, version: int) -> None:
    code = codes.generate_from_bytes(raw)
    token = gift_links.token(gift(code, version))
    for shown in (code, codes.format_code(code)):
        assert shown not in token and shown.lower() not in token.lower()
    assert gift_links.verified(token) == (vault.code_hash(code), version)


@given(code_bytes, st.data())
def test_tampering_with_any_byte_makes_the_token_name_nothing(raw: bytes,
                                                              data: st.DataObject) -> None:
    token = gift_links.token(gift(codes.generate_from_bytes(raw)))
    packed = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    at = data.draw(st.integers(min_value=0, max_value=len(packed) - 1))
    flip = data.draw(st.integers(min_value=1, max_value=255))
    packed[at] ^= flip
    forged = base64.urlsafe_b64encode(bytes(packed)).decode().rstrip("=")
    assert gift_links.verified(forged) is None
    with pytest.raises(errors.NotFound):
        gift_links.find(forged)  # refused before any read: no table is needed


def test_a_link_signed_by_an_older_key_still_verifies_and_a_dropped_one_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    g = gift(codes.generate())
    old = gift_links.token(g)
    monkeypatch.setenv("GIFT_LINK_KEYS", "g2:new-gift-link-secret-0123456789abcdef,"
                                         "g1:test-gift-link-secret-0123456789abcdef")
    config.reset()
    try:
        assert gift_links.verified(old) is not None
        assert gift_links.token(g) != old
        monkeypatch.setenv("GIFT_LINK_KEYS", "g2:new-gift-link-secret-0123456789abcdef")
        config.reset()
        assert gift_links.verified(old) is None
    finally:
        monkeypatch.undo()
        config.reset()


def test_a_rotated_version_makes_another_token() -> None:
    code = codes.generate()
    assert gift_links.token(gift(code)) == gift_links.token(gift(code, 0))
    assert gift_links.token(gift(code, 1)) != gift_links.token(gift(code, 0))


def test_a_base_url_that_would_not_open_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    for bad in ("ftp://x.vn", "https://x.vn/?a=1", "https://user@x.vn", "x.vn"):
        monkeypatch.setenv("GIFT_PAGE_BASE_URL", bad)
        with pytest.raises(config.InvalidSetting, match="GIFT_PAGE_BASE_URL"):
            config.validate_environment()
    monkeypatch.setenv("GIFT_PAGE_BASE_URL", "https://abc.execute-api.ap-southeast-1."
                                             "amazonaws.com/api/")
    config.validate_environment()
