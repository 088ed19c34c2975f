"""The HTTP edge's own rules (`chalicelib.http`), the same on every route: unknown
routes and methods, body size, content types and decoding, path values (percent-
decoded once, checked before any storage call), security headers, request ids,
unexpected errors, and where the rate limit counts."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from chalicelib.money import campaigns
from tests.helpers import ADMIN, assert_problem, header

# --------------------------------------------------- unknown routes and methods


def test_unknown_path_is_a_404_problem(api, partner):
    r = api.call("GET", "/v1/nothing-here", key=partner["key"])

    assert_problem(r, 404, "not_found")


@pytest.mark.parametrize("method, path", [
    ("DELETE", "/v1/campaigns"),
    ("PUT", "/v1/campaigns"),
    ("POST", "/v1/health"),
    ("DELETE", "/v1/openapi.json"),
    ("GET", "/v1/admin/partners"),
    ("PUT", "/v1/campaigns/cmp_x"),
])
def test_wrong_method_on_a_known_route_is_405_problem(api, partner, method, path):
    r = api.call(method, path, key=partner["key"])

    assert_problem(r, 405, "method_not_allowed")
    assert header(r, "Allow")


# ----------------------------------------- bodies: size, content type, decoding


def test_body_over_64_kib_is_413(api, partner):
    raw = json.dumps({"name": "x" * (64 * 1024)})

    r = api.call("POST", "/v1/campaigns", raw=raw, key=partner["key"])

    assert_problem(r, 413, "payload_too_large")


def test_body_of_exactly_64_kib_is_not_413(api, partner):
    base = '{"name": "", "currency": "VND", "budget": 1, "ends_at": "2030-01-01T00:00:00Z"}'
    raw = base + " " * (64 * 1024 - len(base))

    r = api.call("POST", "/v1/campaigns", raw=raw, key=partner["key"])

    assert_problem(r, 422, "validation_error")


def test_oversized_body_is_413_on_an_idempotent_route_too(api, partner, campaign):
    raw = '{"amount": 1' + " " * (65 * 1024) + "}"

    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/budget-topups", raw=raw,
                 key=partner["key"], idem="big")

    assert_problem(r, 413, "payload_too_large")


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/xml", "text/csv",
])
def test_non_json_content_type_on_a_json_route_is_415(api, partner, content_type):
    body = json.dumps({"name": "x", "currency": "VND", "budget": 1,
                       "ends_at": "2030-01-01T00:00:00Z"})

    r = api.call("POST", "/v1/campaigns", raw=body, key=partner["key"],
                 headers={"Content-Type": content_type})

    assert_problem(r, 415, "unsupported_media_type")
    assert api.call("GET", "/v1/campaigns", key=partner["key"]).json_body["data"] == []


def test_json_content_type_with_charset_is_accepted(api, partner, campaign):
    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/budget-topups", raw='{"amount": 1}',
                 key=partner["key"], idem="charset",
                 headers={"Content-Type": "application/json; charset=utf-8"})

    assert r.status_code == 201


def test_text_plain_top_up_is_415_and_changes_nothing(api, partner, campaign):
    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/budget-topups", raw='{"amount": 1}',
                 key=partner["key"], idem="plain", headers={"Content-Type": "text/plain"})

    assert_problem(r, 415, "unsupported_media_type")
    after = api.call("GET", f"/v1/campaigns/{campaign['id']}", key=partner["key"]).json_body
    assert after["budget"]["total"] == campaign["budget"]["total"]


@pytest.mark.parametrize("raw, status, code", [
    ("{bad", 400, "invalid_json"),
    ('{"name": "x",}', 400, "invalid_json"),
    ("{'name': 'x'}", 400, "invalid_json"),
    ('{"name": "x"', 400, "invalid_json"),
    ("\x00\x01", 400, "invalid_json"),
    ('{"budget": NaN}', 400, "invalid_json"),
    ("[1, 2]", 422, "validation_error"),
    ("[]", 422, "validation_error"),
    ('"a string"', 422, "validation_error"),
    ("42", 422, "validation_error"),
    ("null", 422, "validation_error"),
    ("true", 422, "validation_error"),
])
def test_malformed_json_body_is_a_problem(api, partner, raw, status, code):
    r = api.call("POST", "/v1/campaigns", raw=raw, key=partner["key"])

    assert_problem(r, status, code)


def test_invalid_utf8_body_is_400_invalid_json(api, partner):
    r = api.call("POST", "/v1/campaigns", raw=b"\xff\xfe{}", key=partner["key"])

    assert_problem(r, 400, "invalid_json")


@pytest.mark.parametrize("raw", [b'{"name": "caf\xe9"}', b'{"name": "x", "m": "\xff\xfe"}'])
def test_invalid_utf8_inside_a_json_string_is_400_invalid_json(api, raw):
    r = api.call("POST", "/v1/admin/partners", raw=raw,
                 headers={"Authorization": "Bearer test-admin-token"})

    assert_problem(r, 400, "invalid_json")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_empty_body_labelled_as_a_form_redeems_the_whole_balance(api, partner, campaign,
                                                                 content_type):
    # given a gift, and a till that posts no body the way `curl -d ''` does
    code = api.issue(partner["key"], campaign["id"], 30_000).json_body["code"]

    # when
    r = api.call("POST", f"/v1/gifts/{code}/redeem", raw="", key=partner["key"],
                 idem=str(uuid.uuid4()), headers={"Content-Type": content_type})

    # then it means "no amount": the whole balance
    assert r.status_code == 200, r.body
    assert r.json_body["redemption"]["amount"] == 30_000
    assert r.json_body["gift"]["balance"] == 0


def test_empty_body_labelled_as_a_form_on_a_create_route_is_422_not_500(api, partner):
    r = api.call("POST", "/v1/campaigns", raw="", key=partner["key"],
                 headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert_problem(r, 422, "validation_error")


def test_json_array_body_is_422_validation_error_at_the_root(api, partner):
    r = api.call("POST", "/v1/campaigns", raw='[{"name": "x"}]', key=partner["key"])

    problem = assert_problem(r, 422, "validation_error")
    assert problem["errors"][0]["field"] == ""


def test_validation_problem_lists_field_errors(api, partner):
    r = api.call("POST", "/v1/campaigns", {"budget": "x"}, key=partner["key"])

    problem = assert_problem(r, 422, "validation_error")
    assert problem["errors"]
    assert all(set(e) == {"field", "message"} for e in problem["errors"])


def test_number_out_of_range_is_not_a_500(api, partner):
    raw = '{"name": "x", "currency": "VND", "budget": 1e400, "ends_at": "2030-01-01T00:00:00Z"}'

    r = api.call("POST", "/v1/campaigns", raw=raw, key=partner["key"])

    assert r.status_code in (400, 422)
    assert_problem(r, r.status_code)


@pytest.mark.parametrize("raw", [
    "[" * 30_000 + "]" * 30_000,
    '{"wheel": ' + '{"a": ' * 6_000 + "1" + "}" * 6_000 + "}",
])
def test_deeply_nested_json_is_not_a_500(api, partner, raw):
    r = api.call("POST", "/v1/campaigns", raw=raw, key=partner["key"])

    assert r.status_code in (400, 422)
    assert_problem(r, r.status_code)


# ------------------------------------------------------------------ path values


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


# an empty last segment is another route (`GET /v1/campaigns/` lists, `PATCH` there is 405)
_ROUTED_ELSEWHERE = {("GET", "/v1/campaigns/{x}"), ("PATCH", "/v1/campaigns/{x}"),
                     ("DELETE", "/v1/admin/partners/ptn_abc/api-keys/{x}")}


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


def test_a_path_value_is_percent_decoded_once(api, partner, campaign):
    # API Gateway decodes path values and the local server does not: the edge decodes
    # them itself, once, so both see the same value
    once = campaign["id"].replace("_", "%5F")
    twice = campaign["id"].replace("_", "%255F")

    r = api.call("GET", f"/v1/campaigns/{once}", key=partner["key"])

    assert r.status_code == 200, r.body
    assert r.json_body["id"] == campaign["id"]
    assert_problem(api.call("GET", f"/v1/campaigns/{twice}", key=partner["key"]), 404,
                   "not_found")


# ------------------------------------------------------------- security headers


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


# ------------------------------------------------ request ids and unexpected errors


def test_every_answer_carries_its_own_request_id(api, partner, campaign):
    topup = f"/v1/campaigns/{campaign['id']}/budget-topups"
    answers = [
        api.call("GET", f"/v1/campaigns/{campaign['id']}", key=partner["key"]),
        api.call("GET", "/v1/campaigns/cmp_missing", key=partner["key"]),
        api.call("GET", "/v1/campaigns"),
        api.call("POST", topup, {"amount": 1}, key=partner["key"], idem="request-id"),
        api.call("POST", topup, {"amount": 1}, key=partner["key"], idem="request-id"),
    ]

    assert [r.status_code for r in answers] == [200, 404, 401, 201, 201]
    assert header(answers[-1], "Idempotent-Replayed") == "true"
    ids = [header(r, "X-Request-Id") for r in answers]
    assert all(ids) and len(set(ids)) == len(ids), ids


def test_an_unexpected_error_is_a_500_problem_that_names_its_request_id(api, partner,
                                                                         monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("injected: a bug with a secret in its message")
    monkeypatch.setattr(campaigns, "list_page", broken)

    r = api.call("GET", "/v1/campaigns", key=partner["key"])

    body = assert_problem(r, 500, "internal_error")
    assert header(r, "X-Request-Id") in body["detail"]
    assert b"secret" not in r.body


def test_a_failure_while_reading_a_storage_error_is_a_503_not_a_500(api, partner,
                                                                     monkeypatch):
    # given code that fails on the storage error it was inspecting
    def fails_on_a_storage_error(*args, **kwargs):
        error = ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "Query")
        raise AttributeError("cause_response_code") from error
    monkeypatch.setattr(campaigns, "list_page", fails_on_a_storage_error)

    # when
    r = api.call("GET", "/v1/campaigns", key=partner["key"])

    # then the request failed because DynamoDB did: retryable
    assert_problem(r, 503, "service_unavailable")
    assert header(r, "Retry-After") == "1"


# ------------------------------------------------------------------- rate limit


def test_a_key_over_its_limit_is_refused_before_its_body_is_read(api, partner,
                                                                  stopped_clock):
    # given a key allowed two requests a second
    made = api.call("POST", f"/v1/admin/partners/{partner['id']}/api-keys",
                    {"rate_limit": 2}, headers=ADMIN)
    key = made.json_body["key"]

    # when it sends three malformed bodies within one second
    answers = [api.call("POST", "/v1/campaigns", raw="{bad", key=key) for _ in range(3)]

    # then the first two are read (and refused), the third is not read at all
    assert [r.status_code for r in answers[:2]] == [400, 400]
    assert_problem(answers[2], 429, "rate_limited")
