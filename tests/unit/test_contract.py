"""The API's declarations checked without a request: every scope a route asks for is
one a key can hold, the page sizes the document allows are exactly those accepted,
and every body pattern ends a value where a reader of the OpenAPI document would."""

from __future__ import annotations

import re

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.edge import contract, openapi
from tests.helpers import ALL_SCOPES


def test_every_scope_a_route_requires_is_one_a_key_can_hold_and_the_reverse():
    """Scopes are declared once (schemas.Scope): a route asking for a typo would be
    closed to every key, and a scope no route asks for would be a dead grant.
    `players:read` opens no route: it decides whether the lists and exports of the
    routes above show player ids in clear (`auth.sees_players`)."""
    import app  # noqa: F401 - registers the routes
    from chalicelib.access import auth

    required = {scope for spec in contract.ROUTES for scope in spec.scopes}

    assert auth.PLAYERS_READ not in required
    assert required | {auth.PLAYERS_READ} == set(schemas.SCOPES) == set(ALL_SCOPES)


def test_every_page_size_the_document_allows_is_accepted_and_no_other():
    published = contract.LIMIT.schema

    def page_size(raw):
        req = contract.Req(spec=None, principal=None, raw_body=b"", content_type="",
                       query_params={"limit": raw} if raw is not None else {}, headers={})
        try:
            return req.limit
        except errors.ValidationError:
            return None

    assert page_size(None) == published["default"]
    for n in range(-2, published["maximum"] + 3):
        expected = n if published["minimum"] <= n <= published["maximum"] else None
        assert page_size(str(n)) == expected, n


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for child in node.values() for p in _patterns(child)]
    if isinstance(node, list):
        return [p for child in node for p in _patterns(child)]
    return []


def test_no_body_pattern_accepts_a_value_with_a_trailing_newline():
    """msgspec checks a body's patterns with Python's re.search; each must end the value
    where an ECMA-262 reader of the OpenAPI document would (schemas.END)."""
    import app  # noqa: F401 - registers the routes the document describes

    patterns = set(_patterns(openapi.document()["components"]["schemas"]))
    probes = ["a", "a@b.vn", "+84901234567", "gift.issued", "*", "vi", "08:00", "#1a2b3c",
              "https://a.vn/logo.png"]

    assert len(patterns) >= 6
    for pattern in patterns:
        matching = [probe for probe in probes if re.search(pattern, probe)]
        assert matching, pattern
        assert not [probe for probe in matching if re.search(pattern, probe + "\n")], pattern


def test_the_document_states_the_rules_issue_23_asked_for():
    """What a reader of /v1/openapi.json must find without reading the code: the one
    rule for reversals in the report's totals and series, when a campaign actually
    ended, the player's view of the campaign's status, both prize-structure totals,
    and the client seed as the draw really builds it."""
    import app  # noqa: F401 - registers the routes

    s = openapi.document()["components"]["schemas"]

    def description(schema: str, field: str) -> str:
        prop = s[schema]["properties"][field]
        return prop.get("description") or prop["anyOf"][0].get("description", "")

    for where in (description("Report", "series"), description("GiftFigures", "redeemed")):
        assert "net of reversals" in where and "`reversed`" in where, where
    assert "reversed" in s["SeriesPoint"]["required"]
    for schema in ("Campaign", "PrizeStructure", "ResultsReport", "FairnessInfo"):
        assert "ended_at" in s[schema]["required"], schema
    assert "early" in description("Campaign", "ended_at")
    assert {"status", "ends_at"} <= set(s["WheelView"]["required"])
    assert {"prizes_total", "budget_cap", "total_prize_value"} <= set(
        s["PrizeStructure"]["required"])
    assert "can exceed the budget" in description("PrizeStructure", "prizes_total")
    seed = description("SpinRequest", "client_seed")
    assert "<length of player_id in UTF-8 bytes>:<player_id>:<client_seed>" in seed
    assert "`<player_id>:<client_seed>`" not in seed
