"""The security review's findings and the answers under DynamoDB faults (issue 11),
each through the HTTP surface: faults are injected at the DynamoDB client
(botocore's `BaseClient._make_api_call`), never by mocking domain functions."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from botocore.client import BaseClient
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from chalicelib import openapi
from chalicelib.schemas import FORBIDDEN_TEXT_MESSAGE
from tests.conftest import ADMIN, assert_problem, header, stored_gifts

# ------------------------------------------------------------------ fixtures


@pytest.fixture
def campaign(api, partner) -> dict:
    return api.campaign(partner["key"])


@pytest.fixture
def dynamodb_faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Plan]:
    """`dynamodb_faults["PutItem"] = make_error`: every later PutItem of any DynamoDB
    client raises `make_error()` instead of reaching the emulator; `calls` counts
    the operations that did reach it, but for the caller's API key and rate limit."""
    original = BaseClient._make_api_call
    plan = _Plan()

    def make_api_call(self: BaseClient, operation: str, params: dict) -> dict:
        if self.meta.service_model.service_name == "dynamodb":
            if operation in plan:
                raise plan[operation]()
            # the caller's own key (its lookup, its rate-limit count) is not the data
            # a malformed request must never reach
            if not params.get("TableName", "").endswith(("-api-keys", "-rate-limits")):
                plan.calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    yield plan


class _Plan(dict):
    """Operation name -> exception factory, and the operations that got through."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []


def lost_answer() -> Exception:
    """The write may have happened; the answer never came back (no response at all)."""
    return ConnectionClosedError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def read_timeout() -> Exception:
    return ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def unreachable() -> Exception:
    return EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def throttled() -> Exception:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                       "TransactWriteItems")


def assert_retryable(response) -> dict:
    body = assert_problem(response, 503, "service_unavailable")
    assert header(response, "Retry-After") == "1"
    return body


# -------------------------------------------------- faults: 503, never a 500


@pytest.mark.parametrize("fault", [lost_answer, read_timeout, unreachable, throttled])
def test_gift_issue_whose_transaction_answer_is_lost_is_503_with_retry_after(
        api, partner, campaign, dynamodb_faults, fault):
    # given DynamoDB that takes the transaction but whose answer never arrives
    dynamodb_faults["TransactWriteItems"] = fault

    # when
    r = api.issue(partner["key"], campaign["id"], idem="lost-1")

    # then: retryable with the same key, and the retry works once DynamoDB answers
    assert_retryable(r)
    del dynamodb_faults["TransactWriteItems"]
    retry = api.issue(partner["key"], campaign["id"], idem="lost-1")
    assert retry.status_code == 201, retry.body


def test_redeem_whose_answer_is_lost_is_503_and_the_retry_redeems_once(
        api, partner, campaign, dynamodb_faults):
    code = api.issue(partner["key"], campaign["id"], 30_000).json_body["code"]
    dynamodb_faults["TransactWriteItems"] = lost_answer

    r = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000}, key=partner["key"],
                 idem="till-1")

    assert_retryable(r)
    del dynamodb_faults["TransactWriteItems"]
    retry = api.call("POST", f"/v1/gifts/{code}/redeem", {"amount": 10_000},
                     key=partner["key"], idem="till-1")
    assert retry.status_code == 200, retry.body
    assert retry.json_body["gift"]["balance"] == 20_000


@pytest.mark.parametrize("fault", [lost_answer, read_timeout])
def test_batch_whose_idempotency_claim_answer_is_lost_is_503_not_500(
        api, partner, campaign, dynamodb_faults, fault):
    # given the batch's claim (a conditional PutItem) loses its answer
    dynamodb_faults["PutItem"] = fault

    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                 {"items": [{"amount": 1_000}]}, key=partner["key"], idem="batch-lost")

    assert_retryable(r)


def test_business_error_that_cannot_be_remembered_is_503_not_500(
        api, partner, dynamodb_faults):
    # given a campaign whose budget cannot cover the gift, so the 409 must be remembered
    small = api.campaign(partner["key"], budget=10)
    dynamodb_faults["PutItem"] = lost_answer

    r = api.issue(partner["key"], small["id"], 50_000, idem="too-big")

    assert_retryable(r)


def test_partner_creation_with_a_lost_answer_is_503(api, dynamodb_faults):
    dynamodb_faults["TransactWriteItems"] = lost_answer

    r = api.call("POST", "/v1/admin/partners", {"name": "Acme"},
                 headers={**ADMIN, "Idempotency-Key": str(uuid.uuid4())})

    assert_retryable(r)


def test_revocation_with_a_lost_answer_is_503(api, partner, dynamodb_faults):
    dynamodb_faults["UpdateItem"] = lost_answer

    r = api.call("DELETE", f"/v1/admin/partners/{partner['id']}/api-keys/{partner['key_id']}",
                 headers=ADMIN)

    assert_retryable(r)


def test_api_key_lookup_during_an_outage_is_503_with_retry_after(api, partner,
                                                                 dynamodb_faults):
    from chalicelib import auth

    auth.clear_cache()
    dynamodb_faults["GetItem"] = unreachable

    assert_retryable(api.call("GET", "/v1/campaigns", key=partner["key"]))


def test_every_5xx_answer_carries_retry_after(api, partner, campaign, dynamodb_faults):
    for operation in ("GetItem", "Query", "TransactWriteItems", "PutItem"):
        dynamodb_faults[operation] = lost_answer
    requests = [
        api.issue(partner["key"], campaign["id"]),
        api.call("GET", f"/v1/campaigns/{campaign['id']}", key=partner["key"]),
        api.call("GET", f"/v1/campaigns/{campaign['id']}/report", key=partner["key"]),
        api.call("POST", "/v1/admin/partners", {"name": "x"}, headers=ADMIN),
    ]

    for r in requests:
        assert r.status_code >= 500, r.body
        assert header(r, "Retry-After") == "1", r.body


# ------------------------------------- finding 8: empty or absurd path ids: 404


PATH_ROUTES = [
    ("POST", "/v1/admin/partners/{x}/api-keys", "admin"),
    ("DELETE", "/v1/admin/partners/{x}/api-keys/key_abc", "admin"),
    ("DELETE", "/v1/admin/partners/ptn_abc/api-keys/{x}", "admin"),
    ("GET", "/v1/campaigns/{x}", "key"),
    ("PATCH", "/v1/campaigns/{x}", "key"),
    ("POST", "/v1/campaigns/{x}/budget-topups", "key"),
    ("POST", "/v1/campaigns/{x}/gifts", "key"),
    ("GET", "/v1/campaigns/{x}/gifts", "key"),
    ("GET", "/v1/gifts/{x}", "key"),
    ("POST", "/v1/gifts/{x}/redeem", "key"),
    ("POST", "/v1/gifts/{x}/void", "key"),
    ("GET", "/v1/campaigns/{x}/report", "key"),
    ("POST", "/v1/campaigns/{x}/player-tokens", "key"),
    ("GET", "/v1/campaigns/{x}/fairness", None),
    ("GET", "/v1/campaigns/{x}/spins", "key"),
    ("POST", "/v1/campaigns/{x}/gift-batches", "key"),
    ("GET", "/v1/gift-batches/{x}", "key"),
    ("GET", "/v1/gift-batches/{x}/gifts", "key"),
    ("GET", "/v1/gift-batches/{x}/gifts.csv", "key"),
]


def test_api_key_creation_for_an_empty_partner_id_is_404_not_503(api, dynamodb_faults):
    r = api.call("POST", "/v1/admin/partners//api-keys", {}, headers=ADMIN)

    assert_problem(r, 404, "not_found")
    assert dynamodb_faults.calls == []


@pytest.mark.parametrize("value", ["%20", "%00", "x" * 300, "ptn_%E2%80%AE", "cmp_a%2Fb"])
@pytest.mark.parametrize("method, path, caller", PATH_ROUTES)
def test_absurd_path_ids_are_404_before_any_storage_call(api, partner, dynamodb_faults,
                                                         method, path, caller, value):
    # given credentials checked already (their lookup is the only storage call allowed)
    headers = ADMIN if caller == "admin" else (
        {"Authorization": f"Bearer {partner['key']}"} if caller else {})
    api.call("GET", "/v1/campaigns", key=partner["key"])
    dynamodb_faults.calls.clear()

    # when
    r = api.call(method, path.replace("{x}", value), {} if method != "GET" else None,
                 headers=headers, idem=str(uuid.uuid4()))

    # then (a code that is printable text keeps its own contract: 422 invalid_code)
    if path.startswith("/v1/gifts/") and r.status_code == 422:
        assert_problem(r, 422, "invalid_code")
    else:
        assert_problem(r, 404, "not_found")
    assert dynamodb_faults.calls == []


# an empty last segment is another route (`GET /v1/campaigns/` lists, `PATCH` there is 405)
_ROUTED_ELSEWHERE = {("GET", "/v1/campaigns/{x}"), ("PATCH", "/v1/campaigns/{x}"),
                     ("DELETE", "/v1/admin/partners/ptn_abc/api-keys/{x}")}


@pytest.mark.parametrize("method, path, caller", [
    route for route in PATH_ROUTES if route[:2] not in _ROUTED_ELSEWHERE])
def test_empty_path_ids_are_404_before_any_storage_call(api, partner, dynamodb_faults,
                                                        method, path, caller):
    headers = ADMIN if caller == "admin" else (
        {"Authorization": f"Bearer {partner['key']}"} if caller else {})
    api.call("GET", "/v1/campaigns", key=partner["key"])
    dynamodb_faults.calls.clear()

    r = api.call(method, path.replace("{x}", ""), {} if method != "GET" else None,
                 headers=headers, idem=str(uuid.uuid4()))

    assert_problem(r, 404, "not_found")
    assert dynamodb_faults.calls == []


# ---------------------------------------------- finding 6: security headers


def _security(r) -> tuple[str | None, str | None, str | None]:
    return (header(r, "Cache-Control"), header(r, "X-Content-Type-Options"),
            header(r, "Content-Security-Policy"))


def test_api_key_creation_is_no_store_and_nosniff(api):
    p = api.call("POST", "/v1/admin/partners", {"name": "Acme"}, headers=ADMIN).json_body

    r = api.call("POST", f"/v1/admin/partners/{p['id']}/api-keys", {}, headers=ADMIN)

    assert r.status_code == 201
    cache, sniff, policy = _security(r)
    assert cache == "no-store" and sniff == "nosniff"
    assert "frame-ancestors 'none'" in policy


def test_answers_carrying_codes_are_no_store_replays_included(api, partner, campaign):
    first = api.issue(partner["key"], campaign["id"], idem="same")
    replay = api.issue(partner["key"], campaign["id"], idem="same")
    code = first.json_body["code"]
    lookup = api.call("GET", f"/v1/gifts/{code}", key=partner["key"])
    batch = api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                     {"items": [{"amount": 1_000}]}, key=partner["key"], idem="b-1")
    batch_id = batch.json_body["id"]
    answers = [
        first, replay, lookup, batch,
        api.call("GET", f"/v1/gift-batches/{batch_id}/gifts", key=partner["key"]),
        api.call("GET", f"/v1/gift-batches/{batch_id}/gifts.csv", key=partner["key"]),
        api.call("GET", f"/v1/gifts/not-a-code-{code}", key=partner["key"]),
    ]

    assert header(replay, "Idempotent-Replayed") == "true"
    for r in answers:
        assert r.status_code < 500, r.body
        assert _security(r)[:2] == ("no-store", "nosniff"), (r.status_code, r.headers)


def test_player_tokens_and_spins_are_no_store(api, partner):
    wheel = {"segments": [{"id": "win", "label": "Win", "weight": 1, "prize": {"amount": 1_000}},
                          {"id": "none", "label": "None", "weight": 0}],
             "fallback_segment_id": "none"}
    c = api.campaign(partner["key"], wheel=wheel)
    minted = api.call("POST", f"/v1/campaigns/{c['id']}/player-tokens", {"player_id": "p1"},
                      key=partner["key"])
    spin = api.call("POST", "/v1/play/spins", {}, key=minted.json_body["token"], idem="s-1")
    won = api.call("GET", "/v1/play/gifts", key=minted.json_body["token"])

    for r in (minted, spin, won):
        assert r.status_code in (200, 201), r.body
        assert _security(r)[:2] == ("no-store", "nosniff")


def test_unknown_route_and_public_answers_are_nosniff(api, campaign):
    for path in ("/v1/nothing-here", "/v1/health", "/v1/openapi.json",
                 f"/v1/campaigns/{campaign['id']}/fairness", "/v1/widget/wheel.js"):
        r = api.call("GET", path)

        assert header(r, "X-Content-Type-Options") == "nosniff", path


def test_widget_script_keeps_its_public_cache(api):
    r = api.call("GET", "/v1/widget/wheel.js")

    assert header(r, "Cache-Control") == "public, max-age=300"


def test_demo_page_runs_scripts_of_its_own_origin_only_and_cannot_be_framed(api):
    r = api.call("GET", "/v1/widget/demo.html")

    assert r.status_code == 200
    policy = header(r, "Content-Security-Policy")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert b"<script>" not in r.body  # no inline script to allow
    assert header(r, "X-Content-Type-Options") == "nosniff"


# ------------------------- finding 9: control and bidi characters in free text

BAD_CHARACTERS = ["\x00", "\x1b", "\x85", "\u202e", "\u2066", "\u200f", "\u061c"]


def _free_text_requests(api, partner: dict, campaign: dict, code: str, bad: str) -> list:
    """(response, field the error must name) for every free-text field."""
    key = partner["key"]
    cid = campaign["id"]

    def issue(body: dict) -> object:
        return api.call("POST", f"/v1/campaigns/{cid}/gifts", {"amount": 1_000, **body},
                        key=key, idem=str(uuid.uuid4()))

    wheel = {"segments": [{"id": "a", "label": f"big{bad}", "weight": 1}],
             "fallback_segment_id": "a"}
    return [
        (api.call("POST", "/v1/admin/partners", {"name": f"Acme{bad}"}, headers=ADMIN),
         "name"),
        (api.call("POST", f"/v1/admin/partners/{partner['id']}/api-keys",
                  {"label": f"pos{bad}"}, headers=ADMIN), "label"),
        (api.call("POST", "/v1/campaigns", {"name": f"Tet{bad}", "currency": "VND",
                                            "budget": 1, "ends_at": "2030-01-01T00:00:00Z"},
                  key=key), "name"),
        (api.call("POST", "/v1/campaigns", {"name": "Tet", "currency": "VND", "budget": 1,
                                            "ends_at": "2030-01-01T00:00:00Z", "wheel": wheel},
                  key=key), "wheel.segments[0].label"),
        (api.call("PATCH", f"/v1/campaigns/{cid}", {"name": f"x{bad}"}, key=key), "name"),
        (issue({"recipient": {"reference": f"crm-123{bad}4321"}}), "recipient.reference"),
        (issue({"recipient": {"name": f"An{bad}"}}), "recipient.name"),
        (issue({"recipient": {"email": f"a{bad}@b.vn"}}), "recipient.email"),
        (issue({"metadata": {"note": f"x{bad}y"}}), "metadata.note"),
        (issue({"metadata": {f"no{bad}te": "x"}}), "metadata"),
        (api.call("POST", f"/v1/gifts/{code}/redeem", {"location": f"store{bad}"}, key=key,
                  idem=str(uuid.uuid4())), "location"),
        (api.call("POST", f"/v1/gifts/{code}/void", {"reason": f"oops{bad}"}, key=key,
                  idem=str(uuid.uuid4())), "reason"),
        (api.call("POST", f"/v1/campaigns/{cid}/player-tokens", {"player_id": f"p{bad}1"},
                  key=key), "player_id"),
        (api.call("POST", f"/v1/campaigns/{cid}/gift-batches",
                  {"items": [{"amount": 1, "reference": f"row{bad}1"}]}, key=key,
                  idem=str(uuid.uuid4())), "items[0].reference"),
        (api.call("POST", f"/v1/campaigns/{cid}/gift-batches",
                  raw=f"amount,reference\n1,row{bad}1\n".encode(), key=key,
                  idem=str(uuid.uuid4()), headers={"Content-Type": "text/csv"}),
         "rows[2].reference"),
    ]


@pytest.mark.parametrize("bad", BAD_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in BAD_CHARACTERS])
def test_control_and_bidi_characters_are_refused_in_every_free_text_field(
        api, partner, campaign, bad):
    code = api.issue(partner["key"], campaign["id"], 10_000).json_body["code"]

    for r, field in _free_text_requests(api, partner, campaign, code, bad):
        body = assert_problem(r, 422, "validation_error")
        assert field in [e["field"] for e in body["errors"]], (field, body)
        named = next(e for e in body["errors"] if e["field"] == field)
        assert "control characters" in named["message"], body


def test_ordinary_unicode_text_is_still_accepted(api, partner, campaign):
    r = api.issue(partner["key"], campaign["id"],
                  recipient={"reference": "Nguyễn Văn A – đơn 12", "name": "Trần Thị B"},
                  metadata={"ghi chú": "Chúc mừng năm mới 🎉", "empty": ""})

    assert r.status_code == 201, r.body
    assert r.json_body["metadata"]["ghi chú"] == "Chúc mừng năm mới 🎉"


def test_a_trailing_newline_is_refused_like_any_control_character(api, partner, campaign):
    """Python's `$` also matches before a final newline; the free-text rule must not."""
    r = api.issue(partner["key"], campaign["id"], recipient={"reference": "crm-123\n"})

    body = assert_problem(r, 422, "validation_error")
    assert body["errors"] == [{"field": "recipient.reference", "message": FORBIDDEN_TEXT_MESSAGE}]


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
    probes = ["a", "a@b.vn", "+84901234567", "gift.issued", "*"]

    assert len(patterns) >= 6
    for pattern in patterns:
        matching = [probe for probe in probes if re.search(pattern, probe)]
        assert matching, pattern
        assert not [probe for probe in matching if re.search(pattern, probe + "\n")], pattern


# --------------------------------------------- finding 3: the CSV header is capped


def post_csv(api, partner: dict, campaign: dict, text: str):
    return api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                    raw=text.encode(), key=partner["key"], idem=str(uuid.uuid4()),
                    headers={"Content-Type": "text/csv"})


def test_csv_header_of_40000_columns_is_422_before_any_storage_call(
        api, partner, campaign, dynamodb_faults):
    # given the review's header: 40,000 columns, 80 KB (it once took 20 s of CPU)
    header_row = ",".join(["a"] * 40_000)
    api.call("GET", "/v1/campaigns", key=partner["key"])  # the key is cached
    dynamodb_faults.calls.clear()

    # when
    r = post_csv(api, partner, campaign, header_row + "\n1\n")

    # then
    body = assert_problem(r, 422, "validation_error")
    assert body["errors"][0]["field"] == "rows[1]"
    assert "at most 16 columns" in body["errors"][0]["message"]
    assert dynamodb_faults.calls == []


@pytest.mark.parametrize("header_row", [
    ",".join(["amount"] + [f"c{i}" for i in range(16)]),  # 17 columns
    "amount,reference," + "x" * 600,  # one absurd column name
])
def test_csv_header_over_the_cap_is_422_with_a_clear_message(api, partner, campaign,
                                                             header_row):
    r = post_csv(api, partner, campaign, header_row + "\n1000,a\n")

    body = assert_problem(r, 422, "validation_error")
    assert len(body["errors"]) == 1
    assert "at most 16 columns and 512 characters" in body["errors"][0]["message"]


def test_csv_header_naming_every_column_twice_is_reported_once_per_name(api, partner,
                                                                        campaign):
    r = post_csv(api, partner, campaign, "amount,amount,reference,reference\n1,1,a,a\n")

    body = assert_problem(r, 422, "validation_error")
    assert "column(s) named twice: amount, reference" in body["errors"][0]["message"]


def test_csv_row_with_100000_stray_values_is_one_problem(api, partner, campaign):
    r = post_csv(api, partner, campaign, "amount\n1000," + ",".join(["x"] * 100_000) + "\n")

    body = assert_problem(r, 422, "validation_error")
    assert len(body["errors"]) == 1
    assert "(100000 such values)" in body["errors"][0]["message"]


def test_csv_of_the_contract_still_issues(api, partner, campaign):
    r = post_csv(api, partner, campaign,
                 "Amount, Reference ,phone,email\n1000,row-1,+84 901 234 567,a@b.vn\n2000,,,\n")

    assert r.status_code == 201, r.body
    assert r.json_body["count"] == 2 and r.json_body["total_amount"] == 3000


# ----------------------------- finding 7: formulas behind whitespace in exports

FORMULAS = [" =1+1", "\u00a0=2+2", "\u3000+SUM(A1:A9)", "\u2003-1+1", "\ufeff@SUM(A1)",
            "\u200b=HYPERLINK(\"x\")", "\uff1d1+1", "=1+1"]  # (a tab is refused at input)


def test_gifts_csv_quotes_formulas_hidden_behind_any_leading_space(api, partner, campaign):
    import csv
    import io

    # given a JSON batch whose references are formulas behind spaces a spreadsheet skips
    items = [{"amount": 1_000, "reference": value} for value in FORMULAS]
    items.append({"amount": 1_000, "reference": "plain ref"})
    batch = api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                     {"items": items}, key=partner["key"], idem="formulas")
    assert batch.status_code == 201, batch.body

    # when
    r = api.call("GET", f"/v1/gift-batches/{batch.json_body['id']}/gifts.csv",
                 key=partner["key"])

    # then every formula is neutralised with a leading quote, plain text is untouched
    assert r.status_code == 200, r.body
    rows = list(csv.DictReader(io.StringIO(r.body.decode())))
    references = [row["reference"] for row in rows]
    assert references == ["'" + value for value in FORMULAS] + ["plain ref"]


def test_a_throttle_that_clears_is_retried_within_the_request(api, partner, campaign,
                                                              dynamodb_faults):
    # given DynamoDB throttling the first two attempts of the transaction
    left = {"n": 2}

    def throttled_twice() -> Exception:
        left["n"] -= 1
        if left["n"] == 0:
            del dynamodb_faults["TransactWriteItems"]
        return throttled()
    dynamodb_faults["TransactWriteItems"] = throttled_twice

    # when a gift is issued
    r = api.issue(partner["key"], campaign["id"])

    # then the retry policy absorbs it: one gift, no 503
    assert r.status_code == 201, r.body
    assert left["n"] == 0
    assert len(stored_gifts(campaign_id=campaign["id"])) == 1
