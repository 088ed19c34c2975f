"""One rule for what a list, an export or a log line may show of a player id, a
gift code or a credential (chalicelib/core/masking.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import codes, masking

ROUTES = ["/v1/webhook-endpoints", "/v1/campaigns/cmp_0123456789abcdefghijkl/prize-structure.csv",
          "/v1/campaigns/cmp_0123456789abcdefghijkl/results-report?format=html",
          "/v1/events?type=gift.issued&limit=50", "/v1/openapi.json"]


@pytest.mark.parametrize("path", ROUTES)
def test_a_log_line_without_secrets_is_left_as_it_is(path: str) -> None:
    line = f"GET {path} HTTP/1.1"
    assert masking.request_line(line) == line


@given(st.sampled_from(["/v1/gift/{}", "/v1/gfits/{}/redeem", "/v1/{}", "/gifts/{}/holds",
                        "/v1/gifts/{}", "/v1/x/{}?limit=3"]),
       st.sampled_from(["grouped", "bare", "lower", "typo"]))
def test_a_code_anywhere_in_a_path_is_masked_to_its_last_group(route: str, form: str) -> None:
    code = codes.generate()
    bare = code.replace("-", "")
    sent = {"grouped": code, "bare": bare, "lower": code.lower(),
            "typo": bare[:5] + ("0" if bare[5] != "0" else "1") + bare[6:]}[form]
    masked = masking.request_line(f"POST {route.format(sent)} HTTP/1.1")
    assert bare[:12] not in masked.upper().replace("-", "")
    assert "****-****-****-" in masked


@given(st.text(alphabet=st.characters(categories=("L", "N"), max_codepoint=127),
               min_size=1, max_size=30))
def test_a_token_in_the_query_is_hidden_whatever_it_looks_like(token: str) -> None:
    masked = masking.request_line(f"GET /v1/widget/demo.html?lang=vi&token={token} HTTP/1.1")
    assert masked == "GET /v1/widget/demo.html?lang=vi&token=*** HTTP/1.1"


def test_a_jwt_or_a_key_is_hidden_wherever_it_is() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGF5ZXIifQ.c2lnbmF0dXJlLWJ5dGVz"
    line = masking.request_line(f"GET /v1/x/{jwt}?next=rk_live0123456789abcdef HTTP/1.1")
    assert jwt.split(".")[1] not in line and "0123456789abcdef" not in line


@pytest.mark.parametrize(("player", "masked"), [
    ("zalo:84901234567", "zal**********567"), ("p-1", "***"), ("bob1234", "bo***34"),
    ("an.nguyen@example.com", "an.***************com")])
def test_player_ids_keep_a_few_characters_at_each_end(player: str, masked: str) -> None:
    assert masking.player_id(player) == masked


def test_a_client_seed_masks_the_player_id_inside_it() -> None:
    assert masking.client_seed("16:zalo:84901234567:lucky", "zalo:84901234567") == \
        "16:zal**********567:lucky"


def test_a_gift_pages_token_is_hidden_in_a_log_line() -> None:
    token = "AQJsMTxjoGb3PhvX0ktW3e6vQ4Wc5NBS9A-AAAAAH6jvm3xQ2Nkhkq6QyF9Q_Zw"
    assert masking.request_line(f"GET /g/{token}?lang=en HTTP/1.1") == \
        "GET /g/***?lang=en HTTP/1.1"
    assert token not in masking.request_line(f"/api/g/{token}")
