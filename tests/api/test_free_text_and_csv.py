"""What partners type and what spreadsheets read, through the HTTP surface: control
and bidi characters refused in every free-text field, the CSV header's cap (a huge
header is refused before any storage call), and formulas neutralised in CSV exports.
Answers under DynamoDB faults are in test_store; path values and security headers,
rules of the HTTP edge, in test_http."""

from __future__ import annotations

import uuid

import pytest

from chalicelib.schemas import EMAIL_MESSAGE, FORBIDDEN_TEXT_MESSAGE
from tests.helpers import ADMIN, assert_problem

# ------------------------------------- control and bidi characters in free text

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


@pytest.mark.parametrize("email", ["an.example.com", "an@example", "an @example.com",
                                   "a@b@example.com"])
def test_a_malformed_email_is_told_it_must_be_an_email_address(api, partner, campaign, email):
    r = api.issue(partner["key"], campaign["id"], recipient={"email": email})

    body = assert_problem(r, 422, "validation_error")
    assert body["errors"] == [{"field": "recipient.email", "message": EMAIL_MESSAGE}]


def test_a_trailing_newline_is_refused_like_any_control_character(api, partner, campaign):
    """Python's `$` also matches before a final newline; the free-text rule must not."""
    r = api.issue(partner["key"], campaign["id"], recipient={"reference": "crm-123\n"})

    body = assert_problem(r, 422, "validation_error")
    assert body["errors"] == [{"field": "recipient.reference", "message": FORBIDDEN_TEXT_MESSAGE}]


# ------------------------------------------------------- the CSV header is capped


def post_csv(api, partner: dict, campaign: dict, text: str):
    return api.call("POST", f"/v1/campaigns/{campaign['id']}/gift-batches",
                    raw=text.encode(), key=partner["key"], idem=str(uuid.uuid4()),
                    headers={"Content-Type": "text/csv"})


def test_csv_header_of_40000_columns_is_422_before_any_storage_call(
        api, partner, campaign, dynamodb_faults):
    # given a header of 40,000 columns, 80 KB (uncapped, it once took 20 s of CPU)
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


# ------------------------------------------- formulas behind whitespace in exports

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


