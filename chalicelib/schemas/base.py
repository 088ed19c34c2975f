"""What every shape shares: money bounds, the free-text rules, strict
decoding, problem+json and the encoder.

msgspec is used because it decodes and validates in one pass from bytes, and
imports in a fraction of pydantic's time (paid on every Lambda cold start)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from chalicelib.core import fair_draw

MAX_AMOUNT = 10**12
MAX_BUDGET = 10**15

Amount = Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description="Minor units of the currency")]
# msgspec matches patterns with Python's re.search, whose `$` also matches before a
# final newline ("abc\n"); END does not, in Python or in the ECMA-262 dialect that
# readers of the OpenAPI document use.
END = r"$(?!\n)"
# Free text is shown on tills, receipts, consoles and CSVs, so one rule refuses, in
# every free-text field: control characters (Unicode Cc: C0, DEL, C1; a NUL or ESC
# can end a string early or drive a terminal) and the bidirectional formatting
# characters (LRE..RLO U+202A-U+202E, isolates U+2066-U+2069, LRM/RLM, ALM), which
# make "crm-123<RLO>4321" read as another reference ("Trojan Source").
FORBIDDEN_TEXT = (r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                  r"\u2066-\u2069")
NO_CONTROL = rf"^[^{FORBIDDEN_TEXT}]+{END}"
NO_CONTROL_OR_EMPTY = rf"^[^{FORBIDDEN_TEXT}]*{END}"
FORBIDDEN_TEXT_MESSAGE = ("must not contain control characters (U+0000-U+001F, "
                          "U+007F-U+009F) or bidirectional formatting characters "
                          "(U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)")


EMAIL = rf"^[^@\s{FORBIDDEN_TEXT}]+@[^@\s{FORBIDDEN_TEXT}]+\.[^@\s{FORBIDDEN_TEXT}]+{END}"
EMAIL_MESSAGE = "must be an email address (name@example.com), without spaces or control characters"
SEGMENT_ID = rf"^[A-Za-z0-9_-]+{END}"
SEGMENT_ID_MESSAGE = "may only contain letters A-Z a-z, digits, '_' and '-'"


def readable(message: str) -> str:
    """msgspec names a failed pattern by its regex; the email, free-text and segment
    id rules get words."""
    if message.startswith("Expected `str` matching regex"):
        if "@" in message:  # before the free-text rule, whose characters it also refuses
            return EMAIL_MESSAGE
        if "u202a" in message:
            return FORBIDDEN_TEXT_MESSAGE
        if "A-Za-z0-9_-" in message:
            return SEGMENT_ID_MESSAGE
    return message


# One line of free text: 1..N characters, none of FORBIDDEN_TEXT. Written out per
# length, not made by a function, so that a type checker reads them as types.
Text100 = Annotated[str, Meta(min_length=1, max_length=100, pattern=NO_CONTROL)]
Text128 = Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL)]
Text200 = Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_CONTROL)]
SegmentLabel = Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_LABEL_LENGTH,
                                  pattern=NO_CONTROL)]
Name = Text200
Timestamp = Annotated[datetime, Meta(tz=True, description="RFC 3339, with a time zone")]
Scope = Literal["campaigns:read", "campaigns:write", "gifts:issue", "gifts:redeem",
                "reports:read", "players:mint", "players:read", "webhooks:manage"]
SCOPES: tuple[str, ...] = get_args(Scope)  # what a key may hold; auth grants from it
Currency = Literal["VND", "USD", "EUR", "GBP", "SGD", "THB", "IDR", "MYR", "PHP", "JPY",
                   "KRW", "AUD", "CNY", "HKD", "TWD", "INR"]
MetaKey = Annotated[str, Meta(min_length=1, max_length=40, pattern=NO_CONTROL)]
MetaValue = Annotated[str, Meta(max_length=500, pattern=NO_CONTROL_OR_EMPTY)]
Metadata = Annotated[dict[MetaKey, MetaValue], Meta(max_length=20,
                     description="Up to 20 string pairs, returned as given")]


class Strict(Struct, forbid_unknown_fields=True, omit_defaults=False):
    """Request bodies reject unknown fields: a typo must not pass silently."""


# ----------------------------------------------------------------- responses


class Out(Struct, omit_defaults=False):
    pass


class Health(Out):
    status: str


class SecretProblem(Out):
    setting: Annotated[str, Meta(description="The secret's name in the stage's SSM "
                                             "parameter (`code_data_keys_wrapped`, ...)")]
    problem: Annotated[str, Meta(description="What is wrong; never the value")]


class OperatorHealth(Out):
    status: Annotated[Literal["ok", "misconfigured"], Meta(description=(
        "`misconfigured` when a secret is missing or cannot be used: requests that need "
        "it fail until it is fixed"))]
    problems: list[SecretProblem]


class FieldError(Out):
    field: str
    message: str


class Problem(Out):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | UnsetType = UNSET


def encode(value: Any) -> bytes:
    return msgspec.json.encode(value)
