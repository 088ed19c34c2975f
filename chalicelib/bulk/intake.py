"""A batch's input (JSON items or a CSV file) turned into rows, and the CSV cell
guard for exports: the text side of bulk issuance, apart from the batch writer.

Why a module of its own: parsing is pure, untrusted-input code (no AWS, no
storage) that must stay linear in the size of what a partner sends, whatever its
shape; the writer (`batches`) is about transactions and resumption. Every limit
is checked before any storage call."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from typing import Any

import msgspec

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.core.clock import iso

Row = dict[str, Any]  # {"amount": int, "recipient": {...} | None}

MAX_REPORTED_ERRORS = 100
CSV_COLUMNS = ("amount", "reference", "phone", "email", "deliver_at")
# A header names at most these five columns, so a longer one is a mistake or an
# attack (40,000 columns once cost 20 s of CPU): refused before any row is read.
MAX_HEADER_COLUMNS = 16
MAX_HEADER_CHARACTERS = 512

_AMOUNT = re.compile(r"[0-9]{1,13}")
_PHONE_NOISE = re.compile(r"[\s().-]")


# ------------------------------------------------------------------ requests


def parse_request(body: schemas.BatchCreate | None, raw: bytes, content_type: str) -> list[Row]:
    """The rows of a batch request, from CSV (`text/csv`) or the decoded JSON body."""
    if content_type == "text/csv":
        return parse_csv(raw)
    assert body is not None  # the route decodes JSON bodies against BatchCreate
    rows: list[Row] = []
    problems: list[dict[str, str]] = []
    for i, item in enumerate(body.items):
        recipient = {k: v for k, v in msgspec.structs.asdict(item.recipient).items()
                     if v is not None} if item.recipient else {}
        if item.reference is not None:
            if recipient.get("reference") not in (None, item.reference):
                problems.append({"field": f"items[{i}].reference",
                                 "message": "differs from recipient.reference; send one"})
            recipient["reference"] = item.reference
        row: Row = {"amount": item.amount, "recipient": recipient or None}
        if item.deliver_at is not None:
            row["deliver_at"] = iso(item.deliver_at)
        rows.append(row)
    if problems:
        raise errors.ValidationError(problems[:MAX_REPORTED_ERRORS])
    return rows


def _convert(value: str, field: str) -> str | None:
    """Validate one recipient field with the same rules as the JSON schema."""
    try:
        msgspec.convert({field: value}, schemas.Recipient)
    except msgspec.ValidationError as exc:
        return schemas.readable(str(exc).split(" - at ")[0])
    return None


def _header_problems(record: list[str], raw_length: int) -> tuple[list[str], list[str]]:
    """(header, problems) of the first non-empty record, in time linear in its size."""
    if len(record) > MAX_HEADER_COLUMNS or raw_length > MAX_HEADER_CHARACTERS:
        return [], [f"the header row has {len(record)} column(s) and {raw_length} "
                    f"character(s); at most {MAX_HEADER_COLUMNS} columns and "
                    f"{MAX_HEADER_CHARACTERS} characters: name the columns amount "
                    "(required), reference, phone, email, deliver_at"]
    header = [cell.strip().lower() for cell in record]
    problems = []
    unknown = [c for c in header if c and c not in CSV_COLUMNS]
    twice = sorted(c for c, n in Counter(c for c in header if c).items() if n > 1)
    if "amount" not in header:
        problems.append("the first line must be a header row naming the columns: amount "
                        "(required), reference, phone, email, deliver_at")
    if unknown:
        shown = ", ".join(repr(c[:40]) for c in unknown)
        problems.append(f"unknown column(s) {shown}; allowed: " + ", ".join(CSV_COLUMNS))
    if twice:
        problems.append(f"column(s) named twice: {', '.join(twice)}")
    return header, problems


def parse_csv(raw: bytes) -> list[Row]:
    """Rows of a CSV with a header row (amount, reference, phone, email, deliver_at).
    Errors name `rows[N]` where N is the 1-based line number in the file (the header is line 1)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.field_error("body", "the CSV must be UTF-8 encoded") from None
    rows: list[Row] = []
    problems: list[dict[str, str]] = []
    header, line = _read_csv(text, rows, problems)
    if header is None and not problems:
        _problem(problems, 1, "", "the CSV is empty; send a header row and 1 to "
                 f"{schemas.MAX_BATCH_ITEMS} rows")
    elif not rows and not problems:
        _problem(problems, line + 1, "", "the CSV has a header but no rows")
    if problems:
        raise errors.ValidationError(
            problems[:MAX_REPORTED_ERRORS],
            detail=f"{len(problems)} problem(s) in the CSV (showing at most "
                   f"{MAX_REPORTED_ERRORS}); rows[N] is the 1-based line number in the file, "
                   "the header being line 1")
    return rows


def _problem(problems: list[dict[str, str]], line: int, column: str, message: str) -> None:
    field = f"rows[{line}].{column}" if column else f"rows[{line}]"
    problems.append({"field": field, "message": f"line {line}: {message}"})


def _read_csv(text: str, rows: list[Row],
              problems: list[dict[str, str]]) -> tuple[list[str] | None, int]:
    """Fill `rows` and `problems` from the records of `text`; return the header (None
    if there was no non-empty record) and the last line read. It stops at a bad
    header, at one row too many or at MAX_REPORTED_ERRORS problems, so the work stays
    bounded whatever a partner sends; a malformed CSV is one more problem, not an
    exception."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    line = 0
    try:
        for record in reader:
            # A record may span lines (a quoted newline): errors name its first line.
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                length = sum(len(cell) for cell in record) + len(record)
                header, found = _header_problems(record, length)
                for message in found:
                    _problem(problems, start, "", message)
                if problems:
                    break
                continue
            if len(rows) >= schemas.MAX_BATCH_ITEMS:
                _problem(problems, start, "", f"a batch has at most {schemas.MAX_BATCH_ITEMS} rows")
                break
            row, found_in_row = _csv_row(header, record)
            for column, message in found_in_row:
                _problem(problems, start, column, message)
            if row is not None:
                rows.append(row)
            if len(problems) >= MAX_REPORTED_ERRORS:
                break
    except csv.Error as exc:
        _problem(problems, reader.line_num or line + 1, "", f"the CSV is malformed ({exc})")
    return header, line


def _csv_row(header: list[str], record: list[str]) -> tuple[Row | None, list[tuple[str, str]]]:
    """(row, problems as (column, message)) of one data record. The row is None when
    its amount or a recipient field is refused; a value under no header is reported
    but does not drop the row, as the row's own columns are still sound."""
    cells = {name: cell.strip() for name, cell in zip(header, record, strict=False) if name}
    problems: list[tuple[str, str]] = []
    strays = [cell.strip() for position, cell in enumerate(record) if cell.strip()
              and (position >= len(header) or not header[position])]
    if strays:  # one problem per row, however wide the row
        problems.append(("", f"value {strays[0][:20]!r} is in a column with no header"
                         + (f" ({len(strays)} such values)" if len(strays) > 1 else "")))
    row_ok = True
    amount = cells.get("amount", "")
    if not amount:
        problems.append(("amount", "amount is required"))
        row_ok = False
    elif not _AMOUNT.fullmatch(amount) or not 1 <= int(amount) <= schemas.MAX_AMOUNT:
        problems.append(("amount", "amount must be a whole number of minor units from 1 "
                         f"to {schemas.MAX_AMOUNT}, without separators or decimals"))
        row_ok = False
    recipient: dict[str, str] = {}
    for column in ("reference", "phone", "email"):
        value = cells.get(column, "")
        if column == "phone":
            value = _PHONE_NOISE.sub("", value)
        if not value:
            continue
        refused = _convert(value, column)
        if refused:
            problems.append((column, f"{column} {refused[0].lower()}{refused[1:]}"))
            row_ok = False
        recipient[column] = value
    deliver_at = cells.get("deliver_at", "")
    when = None
    if deliver_at:
        try:
            when = datetime.fromisoformat(deliver_at.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            problems.append(("deliver_at", "deliver_at must be an RFC 3339 instant with its "
                                           "offset (2027-01-28T08:00:00+07:00)"))
            row_ok = False
    if not row_ok:
        return None, problems
    row: Row = {"amount": int(amount), "recipient": recipient or None}
    if when is not None:
        row["deliver_at"] = iso(when)
    return row, problems
