"""Request bodies: decoded and validated in one pass (msgspec), every problem named
by its field, so a client learns all it got wrong in one answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

from chalicelib import schemas
from chalicelib.core import errors

# ---------------------------------------------------------------- decoding


_AT = re.compile(r"^(?P<msg>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.S)


def _field_from(exc: msgspec.ValidationError, prefix: str = "") -> dict[str, str]:
    match = _AT.match(str(exc))
    message = schemas.readable(match.group("msg") if match else str(exc))
    path = (match.group("path") or "") if match else ""
    path = path[1:] if path.startswith(".") else path
    if match and match.group("key"):
        message = f"a key {message}"
    named = re.match(r"Object (missing required|contains unknown) field `([^`]+)`", message)
    if named:
        path = f"{path}.{named.group(2)}" if path else named.group(2)
        message = "is required" if named.group(1) == "missing required" else "is not a known field"
    if prefix:
        path = f"{prefix}{path}" if path.startswith("[") else (
            f"{prefix}.{path}" if path else prefix)
    return {"field": path, "message": message}


def _name_the_entry(error: dict[str, str], value: Any, kind: Any) -> dict[str, str]:
    """msgspec reports a bad map value as `metadata[...]`; name its key
    (`metadata.note`), so a partner knows which entry to fix."""
    if "[...]" not in error["field"] or not isinstance(value, dict):
        return error
    for key, entry in value.items():
        try:
            msgspec.convert({key: entry}, kind)
        except msgspec.ValidationError:
            return {**error, "field": error["field"].replace("[...]", f".{key}", 1)}
    return error


def _collect_errors(data: Any, target: Any, first: msgspec.ValidationError) -> list[dict]:
    """msgspec stops at the first error; partners want all of them at once."""
    if not isinstance(data, dict) or not isinstance(target, type) or \
            not issubclass(target, msgspec.Struct):
        return [_field_from(first)]
    found: list[dict] = []
    known = set()
    for f in msgspec.structs.fields(target):
        known.add(f.encode_name)
        if f.encode_name in data:
            try:
                msgspec.convert(data[f.encode_name], f.type)
            except msgspec.ValidationError as exc:
                found.append(_name_the_entry(_field_from(exc, f.encode_name),
                                             data[f.encode_name], f.type))
        elif f.required:
            found.append({"field": f.encode_name, "message": "is required"})
    found += [{"field": k, "message": "is not a known field"} for k in data if k not in known]
    return found or [_field_from(first)]


def decode_json(raw: bytes, target: Any,
                rules: Callable[[Any], list[dict]] | None = None) -> Any:
    """Decode and validate in one pass. On failure report every field at once: the
    type errors and, from `rules` (the domain's own checks), the rule errors of
    the fields whose types are right, so a partner fixes a body in one round trip."""
    if not raw.strip():
        raw = b"{}"
    try:
        raw.decode("utf-8")  # msgspec raises UnicodeDecodeError, not DecodeError, on bad bytes
    except UnicodeDecodeError as exc:
        raise errors.InvalidJson(f"The body is not valid UTF-8 ({exc.reason} at byte "
                                 f"{exc.start})") from exc
    try:
        body = msgspec.json.decode(raw, type=target)
    except msgspec.ValidationError as exc:
        try:
            data = msgspec.json.decode(raw)
        except (msgspec.DecodeError, RecursionError):  # e.g. 1e400: no plain value either
            raise errors.ValidationError([_field_from(exc)]) from exc
        found = _collect_errors(data, target, exc)
        if rules is not None and isinstance(data, dict):
            bad = {e["field"].split(".")[0].split("[")[0] for e in found}
            found += [e for e in _safe_rules(rules, data)
                      if e["field"].split(".")[0].split("[")[0] not in bad]
        raise errors.ValidationError(found) from exc
    except msgspec.DecodeError as exc:
        raise errors.InvalidJson(f"The body is not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise errors.InvalidJson("The body is nested too deeply") from exc
    return body  # a well-typed body meets its rules in the domain function


def _safe_rules(rules: Callable[[Any], list[dict]], data: dict) -> list[dict]:
    """Rules are written for well-typed bodies; on a body with type errors they
    report what they can and never fail the request."""
    try:
        return rules(data)
    except Exception:  # noqa: BLE001 - best effort beside the type errors already found
        return []
