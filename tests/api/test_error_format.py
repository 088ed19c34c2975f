"""The error format on every path (RFC 9457 problem+json, never a 500 or a stack
trace for a malformed request), the service routes, and the OpenAPI document.
How the HTTP edge decodes bodies and answers unknown routes is in test_http."""

from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.core import errors
from chalicelib.edge import contract
from tests.helpers import assert_problem, header

# ---------------------------------------------- every error is a problem


def _error_requests(campaign_id: str, key: str) -> list[tuple[str, str, dict]]:
    bearer = {"Authorization": f"Bearer {key}"}
    return [
        ("GET", "/v1/campaigns", {}),
        ("GET", "/v1/campaigns", {"Authorization": "Bearer rk_nope"}),
        ("POST", "/v1/admin/partners", {"Authorization": "Bearer nope"}),
        ("GET", "/v1/campaigns/cmp_missing", bearer),
        ("GET", "/v1/campaigns/%00", bearer),
        ("GET", "/v1/campaigns?limit=0", bearer),
        ("GET", "/v1/campaigns?cursor=%FF%FE", bearer),
        ("GET", f"/v1/campaigns/{campaign_id}/gifts?status=lost", bearer),
        ("GET", "/v1/gifts/not-a-code", bearer),
        ("GET", "/v1/gifts/" + "A" * 500, bearer),
        ("GET", "/v1/gifts/%F0%9F%8E%81", bearer),
        ("POST", f"/v1/campaigns/{campaign_id}/budget-topups", bearer),
        ("POST", "/v1/gifts/not-a-code/redeem", {**bearer, "Idempotency-Key": "r"}),
        ("DELETE", "/v1/admin/partners/ptn_x/api-keys/key_y",
         {"Authorization": "Bearer test-admin-token"}),
    ]


def test_every_error_answer_is_a_problem_and_never_a_500(api, partner, campaign):
    for method, path, headers in _error_requests(campaign["id"], partner["key"]):
        r = api.call(method, path, headers=headers)

        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.body)
        assert_problem(r, r.status_code)


@pytest.mark.parametrize("body", [
    {"amount": {"nested": [1, 2, {"deep": None}]}},
    {"amount": 1, "amount_2": 2},
    {"amount": "1" * 5000},
    {"amount": -(10**40)},
    {"amount": 1, "\u0000": "nul"},
    {"amount": [None] * 1000},
])
def test_strange_bodies_on_an_idempotent_route_are_problems(api, partner, campaign, body):
    r = api.call("POST", f"/v1/campaigns/{campaign['id']}/budget-topups", body,
                 key=partner["key"], idem=str(uuid.uuid4()))

    assert r.status_code == 422, r.body
    assert_problem(r, 422, "validation_error")


# ------------------------------------------------------------------ service


def test_health_is_ok_without_auth(api):
    r = api.call("GET", "/v1/health")

    assert r.status_code == 200
    assert r.json_body == {"status": "ok"}
    assert header(r, "Content-Type").startswith("application/json")


def test_openapi_document_is_openapi_3_1(api):
    r = api.call("GET", "/v1/openapi.json")

    assert r.status_code == 200
    assert header(r, "Content-Type").startswith("application/json")
    assert r.json_body["openapi"] == "3.1.0"


def test_openapi_document_lists_every_registered_route_with_its_method(api):
    doc = api.call("GET", "/v1/openapi.json").json_body

    assert contract.ROUTES
    missing = [f"{s.method} {s.path}" for s in contract.ROUTES
               if s.method.lower() not in doc["paths"].get(s.path, {})]
    assert missing == []


def test_openapi_document_documents_the_contract_routes(api):
    doc = api.call("GET", "/v1/openapi.json").json_body
    paths = doc["paths"]

    for path, method in [
        ("/v1/health", "get"), ("/v1/openapi.json", "get"),
        ("/v1/admin/partners", "post"), ("/v1/admin/partners/{partner_id}/api-keys", "post"),
        ("/v1/admin/partners/{partner_id}/api-keys/{key_id}", "delete"),
        ("/v1/campaigns", "post"), ("/v1/campaigns", "get"),
        ("/v1/campaigns/{campaign_id}", "get"), ("/v1/campaigns/{campaign_id}", "patch"),
        ("/v1/campaigns/{campaign_id}/budget-topups", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
    topup = paths["/v1/campaigns/{campaign_id}/budget-topups"]["post"]
    idem = [p for p in topup["parameters"] if p["name"] == "Idempotency-Key"]
    assert idem and idem[0]["in"] == "header" and idem[0]["required"] is True
    assert "application/problem+json" in topup["responses"]["422"]["content"]


def test_openapi_documents_errors_as_problems_and_successes_as_json(api):
    doc = api.call("GET", "/v1/openapi.json").json_body

    wrong = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            for status, response in op["responses"].items():
                if "$ref" in response:  # a shared answer, e.g. 429 rate_limited
                    name = response["$ref"].removeprefix("#/components/responses/")
                    response = doc["components"]["responses"][name]
                content = response.get("content", {})
                is_problem = "application/problem+json" in content
                if (path, status) == ("/g/{token}", "404"):  # a page for a person
                    is_problem = "text/html" in content
                if status.startswith(("4", "5")) != is_problem:
                    wrong.append(f"{method.upper()} {path} {status}")
    assert wrong == []


def _error_classes() -> set[type]:
    found, todo = set(), [errors.DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_routes_list_only_domain_error_classes(api):
    wrong = []
    for spec in contract.ROUTES:
        for entry in spec.errors:
            error = entry.error if isinstance(entry, contract.When) else entry
            if not (isinstance(error, type) and issubclass(error, errors.DomainError)):
                wrong.append(f"{spec.method} {spec.path}: {entry!r}")
    assert wrong == []


def test_every_error_class_is_declared_in_errors_with_a_code_of_its_own(api):
    classes = _error_classes()  # the api fixture has imported every route's module

    assert {c.__module__ for c in classes} == {errors.__name__}
    by_code: dict[str, list[str]] = {}
    for c in classes:
        by_code.setdefault(c.code, []).append(c.__name__)
    assert {code: names for code, names in by_code.items() if len(names) > 1} == {}


def test_openapi_documents_each_listed_error_under_its_status_with_its_code(api):
    doc = api.call("GET", "/v1/openapi.json").json_body

    missing = []
    for spec in contract.ROUTES:
        responses = doc["paths"][spec.path][spec.method.lower()]["responses"]
        for entry in spec.errors:
            error = entry.error if isinstance(entry, contract.When) else entry
            text = responses.get(str(error.status), {}).get("description", "")
            if f"`{error.code}`" not in text:
                missing.append(f"{spec.method} {spec.path} {error.status} {error.code}")
        for status, _ in spec.other_success:
            content = responses.get(str(status), {}).get("content", {})
            if spec.produces not in content:
                missing.append(f"{spec.method} {spec.path} {status}")
    assert missing == []


def test_openapi_document_is_a_valid_openapi_document(api):
    validator = pytest.importorskip("openapi_spec_validator")
    doc = api.call("GET", "/v1/openapi.json").json_body

    validator.validate(doc)


def _validator_for(doc: dict, name: str):
    jsonschema = pytest.importorskip("jsonschema")
    # `#/components/schemas/...` refs resolve against the root, so give the
    # schema the document's components as a sibling key
    schema = {**doc["components"]["schemas"][name], "components": doc["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_created_campaign_validates_against_the_documented_schema(api, partner):
    # given
    doc = api.call("GET", "/v1/openapi.json").json_body
    wheel = {"segments": [
        {"id": "big", "label": "Big", "weight": 1, "prize": {"amount": 100_000},
         "inventory": 10},
        {"id": "none", "label": "Next time", "weight": 9, "prize": None}],
        "fallback_segment_id": "none", "limits": {"spins_per_player": 3}}

    # when
    plain = api.campaign(partner["key"])
    with_wheel = api.campaign(partner["key"], wheel=wheel)
    page = api.call("GET", "/v1/campaigns", key=partner["key"]).json_body

    # then
    campaign_validator = _validator_for(doc, "Campaign")
    for body in (plain, with_wheel):
        errors = [e.message for e in campaign_validator.iter_errors(body)]
        assert errors == []
    assert [e.message for e in _validator_for(doc, "CampaignPage").iter_errors(page)] == []


def test_problem_bodies_validate_against_the_documented_problem_schema(api, partner):
    doc = api.call("GET", "/v1/openapi.json").json_body
    validator = _validator_for(doc, "Problem")

    for r in (api.call("GET", "/v1/campaigns"),
              api.call("POST", "/v1/campaigns", {"budget": "x"}, key=partner["key"]),
              api.call("DELETE", "/v1/campaigns", key=partner["key"])):
        assert [e.message for e in validator.iter_errors(json.loads(r.body))] == []
