"""The one transaction helper: labelled TransactWriteItems, cancellations read back by label."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.core import errors
from chalicelib.store.retry import RETRY, RetryPolicy, transient
from chalicelib.store.tables import connection

# --------------------------------------------------------------------- transactions


M = TypeVar("M", bound=Model)


class Cancelled(Exception):
    """A transaction was cancelled by conditions; `failed` maps op label -> old item."""

    def __init__(self, failed: dict[str, dict[str, Any] | None] | None = None) -> None:
        super().__init__(failed)
        self.failed: dict[str, dict[str, Any] | None] = failed if failed is not None else {}

    def __contains__(self, label: str) -> bool:
        return label in self.failed

    def old(self, label: str, model: type[M]) -> M | None:
        raw = self.failed.get(label)
        return model.from_raw_data(raw) if raw else None


class Txn:
    """One TransactWriteItems call with labelled operations.

    Why labels: PynamoDB sends checks, deletes, puts and updates grouped in that
    order, so cancellation reasons come back in that order, not ours. Each
    conditional op asks for ALL_OLD on failure so callers learn *why* without a read.
    """

    _ORDER = ("check", "delete", "put", "update")

    def __init__(self) -> None:
        self._ops: list[tuple[str, str, tuple, dict]] = []

    def put(self, label: str, item: Model, condition: Any = None) -> Txn:
        self._ops.append(("put", label, (item,), {"condition": condition,
                                                  "return_values": "ALL_OLD"}))
        return self

    def update(self, label: str, item: Model, actions: list, condition: Any = None) -> Txn:
        self._ops.append(("update", label, (item, actions),
                          {"condition": condition, "return_values": "ALL_OLD",
                           "add_version_condition": False}))
        return self

    def check(self, label: str, model: type[Model], hash_key: Any, condition: Any,
              range_key: Any = None) -> Txn:
        self._ops.append(("check", label, (model, hash_key),
                          {"range_key": range_key, "condition": condition}))
        return self

    def __len__(self) -> int:
        return len(self._ops)

    def commit(self, policy: RetryPolicy | None = None) -> None:
        """Send the transaction; conflicts and throttling are retried under `policy`.

        Retrying the whole transaction is safe: it either carries its idempotency
        record (a repeat is cancelled on it) or only holds conditional puts."""
        policy = policy or RETRY
        ordered = sorted(self._ops, key=lambda op: self._ORDER.index(op[0]))
        labels = [op[1] for op in ordered]
        for pause in policy.pauses():
            try:
                with TransactWrite(connection=connection()) as tx:
                    send: dict[str, Callable[..., None]] = {
                        "put": tx.save, "update": tx.update, "check": tx.condition_check,
                        "delete": tx.delete}
                    for kind, _label, args, kwargs in ordered:
                        send[kind](*args, **kwargs)
                return
            except TransactWriteError as exc:
                reasons = exc.cancellation_reasons or []
                codes = [r.code if r else None for r in reasons]
                if _REASON_CONDITION in codes:
                    raise Cancelled({labels[i]: r.raw_item for i, r in enumerate(reasons)
                                     if r and r.code == _REASON_CONDITION}) from exc
                if not transient(exc) or pause is None:
                    raise errors.ServiceUnavailable(
                        "The write conflicted with concurrent writes; retry with the same "
                        "Idempotency-Key") from exc
                time.sleep(pause)
_REASON_CONDITION = "ConditionalCheckFailed"  # a transaction's cancellation reason
