"""Make moto's DynamoDB behave like DynamoDB where our promises depend on it.

Why: moto's backend has no locking, so two threads can both pass a condition
before either writes, and its TransactWriteItems snapshots whole tables with
``deepcopy`` and restores them on failure, which (a) costs O(table size) per
transaction and (b) silently undoes writes other threads committed meanwhile.
DynamoDB serialises writes per item and applies a transaction atomically; this
patch gives the emulator those two properties with one lock and an item-level
undo log. It is dev/test only and never packaged for Lambda.

It can also show what moto lacks and hot items suffer from on DynamoDB: while a
transaction is in flight, any other transaction touching one of its items is
cancelled with `TransactionConflict`. `set_conflict_window(seconds)` (or the
environment variable MOTO_TXN_CONFLICT_MS) keeps each transaction's items busy
for that long after it applies, and the calling thread waits as long, the way a
transaction's round trip would; 0, the default, turns it off. And it lifts
moto's old limit of 25 items per TransactGetItems to DynamoDB's 100.
"""

from __future__ import annotations

import copy
import functools
import os
import threading
import time
from typing import Any

_LOCK = threading.RLock()
_BUSY: dict[tuple[str, str], float] = {}  # (table, key) -> when its transaction ends
_WINDOW = [float(os.environ.get("MOTO_TXN_CONFLICT_MS", "0") or 0) / 1000]
CONFLICTS = [0]  # transactions cancelled by an emulated conflict, for benchmarks


def set_conflict_window(seconds: float) -> None:
    """How long a transaction keeps its items busy (0: no conflicts, moto's way)."""
    _WINDOW[0] = seconds
    with _LOCK:
        _BUSY.clear()


def _marker(table_name: str, key: dict) -> tuple[str, str]:
    return (str(table_name), str(dict(sorted(key.items()))))


def _busy(markers: list[tuple[str, str]]) -> list[bool]:
    now = time.monotonic()
    return [_BUSY.get(m, 0) > now for m in markers]


def _hold(markers: list[tuple[str, str]]) -> None:
    until = time.monotonic() + _WINDOW[0]
    if len(_BUSY) > 100_000:
        now = time.monotonic()
        for m in [m for m, end in _BUSY.items() if end <= now]:
            del _BUSY[m]
    for m in markers:
        _BUSY[m] = until


def _op_key(backend: Any, op_type: str, op: dict) -> tuple[str, str]:
    table = backend.get_table(op["TableName"])
    if op_type == "Put":
        attrs = op["Item"]
        key = {table.hash_key_attr: attrs[table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = attrs[table.range_key_attr]
    else:
        key = op["Key"]
    return _marker(op["TableName"], key)

_LOCKED_METHODS = (
    "put_item",
    "update_item",
    "delete_item",
    "get_item",
    "query",
    "scan",
)


def _locked(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return fn(*args, **kwargs)

    return wrapper


# Stream records of the transaction in flight (events): DynamoDB streams only
# what a transaction committed, while moto records each write as it applies it
# and the undo log's own writes on rollback. Records wait here and are kept on
# commit, dropped on rollback. Thread-local; writes hold _LOCK anyway.
_PENDING = threading.local()


def _stream_add(original: Any) -> Any:
    @functools.wraps(original)
    def add(shard: Any, old: Any, new: Any) -> None:
        pending = getattr(_PENDING, "records", None)
        if pending is not None:
            pending.append((shard, copy.deepcopy(old), copy.deepcopy(new)))
            return
        original(shard, old, new)

    return add


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    _PENDING.records = []
    committed = False
    try:
        _transact_write_items_applied(self, transact_items)
        committed = True
    finally:
        records, _PENDING.records = _PENDING.records, None
        if committed:
            for shard, old, new in records:
                shard.add(old, new)


def _transact_write_items_applied(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()

    if _WINDOW[0]:
        markers = [_op_key(self, *next(iter(item.items()))) for item in transact_items]
        busy = _busy(markers)
        if any(busy):
            CONFLICTS[0] += 1
            raise TransactionCanceledException(
                [("TransactionConflict", "Transaction is ongoing for the item", None) if b
                 else (None, None, None) for b in busy])
        _hold(markers)

    undo: list[tuple[Any, Any, Any, Any]] = []  # (table, hash, range, old item)
    seen: set[tuple[str, str]] = set()
    errors: list[tuple[Any, Any, Any]] = []

    def rollback() -> None:
        for table, hash_value, range_value, old in reversed(undo):
            if table.get_item(hash_value, range_value) is not None:
                table.delete_item(hash_value, range_value)
            if old is not None:
                table.put_item(old.to_json()["Attributes"])

    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        original_item = None
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            table = self.get_table(table_name)
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = (str(table_name), str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)

            hash_value, range_value = self.get_keys_value(table, key)
            current = table.get_item(hash_value, range_value)
            condition = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            if condition is not None:
                check = get_filter_expression(condition, names, values)
                if not check.expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            if op_type != "ConditionCheck":
                undo.append((table, hash_value, range_value, copy.deepcopy(current)))
            if op_type == "Put":
                self.put_item(table_name, op["Item"], expression_attribute_names=names,
                              expression_attribute_values=values)
            elif op_type == "Delete":
                self.delete_item(table_name, key, expression_attribute_names=names,
                                 expression_attribute_values=values)
            elif op_type == "Update":
                self.update_item(table_name, key, update_expression=op["UpdateExpression"],
                                 expression_attribute_names=names,
                                 expression_attribute_values=values)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            rollback()
            raise
        except ConditionalCheckFailed as exc:
            errors.append(("ConditionalCheckFailed", str(exc.message), original_item))
        except Exception as exc:  # noqa: BLE001 - reported per item, as DynamoDB does
            errors.append((type(exc).__name__, str(exc), original_item))

    if any(code is not None for code, _, _ in errors):
        rollback()
        raise TransactionCanceledException(errors)


def _transact_get_items(original: Any) -> Any:
    """moto reads the items one by one; DynamoDB reads them as of one instant."""
    @functools.wraps(original)
    def wrapper(self: Any) -> Any:
        with _LOCK:
            if _WINDOW[0]:
                from moto.dynamodb.exceptions import TransactionCanceledException

                markers = [_marker(i["Get"]["TableName"], i["Get"]["Key"])
                           for i in self.body["TransactItems"]]
                busy = _busy(markers)
                if any(busy):
                    CONFLICTS[0] += 1
                    raise TransactionCanceledException(
                        [("TransactionConflict", "Transaction is ongoing for the item", None)
                         if b else (None, None, None) for b in busy])
            return original(self)

    return wrapper


def _round_trip(fn: Any) -> Any:
    """The caller waits out the window outside the lock, as for a real round trip."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        finally:
            if _WINDOW[0]:
                time.sleep(_WINDOW[0])

    return wrapper


def install() -> None:
    """Patch moto's DynamoDB backend class once per process."""
    from moto.dynamodb import responses
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import StreamShard

    if getattr(DynamoDBBackend, "_rewards_patched", False):
        return
    responses.TRANSACTION_MAX_ITEMS = 100  # DynamoDB's limit since 2022 (moto keeps 25)
    handler = responses.DynamoHandler
    handler.transact_get_items = _transact_get_items(handler.transact_get_items)
    for name in _LOCKED_METHODS:
        setattr(DynamoDBBackend, name, _locked(getattr(DynamoDBBackend, name)))
    DynamoDBBackend.transact_write_items = _round_trip(_locked(_transact_write_items))
    StreamShard.add = _stream_add(StreamShard.add)
    DynamoDBBackend._rewards_patched = True
