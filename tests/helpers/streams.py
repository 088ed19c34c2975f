"""The DynamoDB Streams of moto's in-process tables, read as Lambda hands them over.

moto's in-process server answers DescribeStream "not implemented", but its tables
keep their stream records (`StreamShard.items`): `Streams.records()` returns those
written since the last call, shaped as the stream-triggered Lambda gets them
(`eventSourceARN`, an epoch `ApproximateCreationDateTime`), so a test drives the
consumer (`app.handle_stream_records`) with what the tables really streamed: every
INSERT, MODIFY and REMOVE with its old and new images, in order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class Streams:
    def __init__(self) -> None:
        self.read: dict[str, int] = {}
        self.skip_to_end()

    def _shards(self) -> list[tuple[str, Any]]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        from chalicelib.store import tables

        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
        out = []
        for model in tables.STREAMED:
            table = backend.tables.get(model.Meta.table_name)
            if table is not None and table.stream_shard is not None:
                out.append((model.Meta.table_name, table.stream_shard))
        return out

    def skip_to_end(self) -> None:
        """Forget what was written before (another test's records)."""
        for name, shard in self._shards():
            self.read[name] = len(shard.items)

    def records(self) -> list[dict[str, Any]]:
        out = []
        for name, shard in self._shards():
            items = shard.items[self.read.get(name, 0):]
            self.read[name] = self.read.get(name, 0) + len(items)
            for item in items:
                r = dict(item.record)
                images = dict(r["dynamodb"])
                stamp = images.get("ApproximateCreationDateTime")
                if isinstance(stamp, datetime):
                    if stamp.tzinfo is None:
                        stamp = stamp.replace(tzinfo=UTC)
                    images["ApproximateCreationDateTime"] = stamp.timestamp()
                r["dynamodb"] = images
                r["eventSourceARN"] = (f"arn:aws:dynamodb:us-east-1:123456789012:table/"
                                       f"{name}/stream/2026-01-01T00:00:00.000")
                out.append(r)
        return out

    def pump(self, rounds: int = 10) -> int:
        """Hand every new record to the consumer until no table streams anything new
        (planning writes deliveries, whose records the consumer then reads too)."""
        from app import handle_stream_records

        total = 0
        for _ in range(rounds):
            records = self.records()
            if not records:
                return total
            handle_stream_records(records)
            total += len(records)
        return total
