"""Events and webhooks under `make run`: what the stream-triggered Lambda and the
SQS delivery worker do when deployed, as two threads of devtools/serve.py.

- The stream worker polls the DynamoDB Streams of `tables.STREAMED` on the same
  endpoint the API uses (moto's server: DescribeStream, GetShardIterator,
  GetRecords), shapes each record as Lambda hands it over (`eventSourceARN`, epoch
  `ApproximateCreationDateTime`) and calls `events.handle_records`, the Lambda's
  own code.
- The delivery loop serves `local_queue.LOCAL_QUEUE` (`local_queue.run_local`), and
  the send loop `local_queue.SEND_QUEUE` (messages to recipients, `run_sends`).

Tests start the same threads around an in-process moto server.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

log = logging.getLogger("rewards.local_events")


class StreamPoller:
    def __init__(self, start_at: str = "LATEST") -> None:
        import boto3

        from chalicelib.core.config import settings
        from chalicelib.store import tables

        cfg = settings()
        self.dynamodb = boto3.client("dynamodb", endpoint_url=cfg.dynamodb_endpoint,
                                     region_name=cfg.region)
        self.streams = boto3.client("dynamodbstreams", endpoint_url=cfg.dynamodb_endpoint,
                                    region_name=cfg.region)
        self.tables = [m.Meta.table_name for m in tables.STREAMED]
        self.start_at = start_at
        self.iterators: dict[tuple[str, str], str | None] = {}  # (arn, shard) -> iterator

    def _discover(self) -> None:
        for table in self.tables:
            arn = self.dynamodb.describe_table(TableName=table)["Table"].get("LatestStreamArn")
            if not arn:
                continue
            shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
            for shard in shards:
                key = (arn, shard["ShardId"])
                if key not in self.iterators:
                    self.iterators[key] = self.streams.get_shard_iterator(
                        StreamArn=arn, ShardId=shard["ShardId"],
                        ShardIteratorType=self.start_at)["ShardIterator"]

    def poll(self) -> list[dict[str, Any]]:
        """Every record written since the last poll, in Lambda's shape."""
        if not self.iterators:
            self._discover()
        records = []
        for key, iterator in list(self.iterators.items()):
            if iterator is None:
                continue
            answer = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            self.iterators[key] = answer.get("NextShardIterator")
            for r in answer.get("Records", []):
                r = dict(r, eventSourceARN=key[0])
                stamp = r["dynamodb"].get("ApproximateCreationDateTime")
                if isinstance(stamp, datetime):
                    r["dynamodb"] = dict(r["dynamodb"],
                                         ApproximateCreationDateTime=stamp.timestamp())
                records.append(r)
        return records


def run_streams(stop: threading.Event, poller: StreamPoller, interval: float = 0.1) -> None:
    from app import handle_stream_records  # events, then deliveries: as the Lambda does

    while not stop.is_set():
        try:
            records = poller.poll()
            if records:
                handle_stream_records(records)
        except Exception:  # noqa: BLE001 - a dev loop logs and keeps going
            log.exception("events: stream poll failed")
            stop.wait(1.0)
        stop.wait(interval)


def start(stop: threading.Event, start_at: str = "LATEST") -> list[threading.Thread]:
    """Start both threads (daemon); they end when `stop` is set."""
    from devtools import local_queue

    local_queue.install()
    poller = StreamPoller(start_at)
    poller._discover()  # from now on: the seed's writes are not events
    threads = [threading.Thread(target=run_streams, args=(stop, poller), name="event-streams",
                                daemon=True),
               threading.Thread(target=local_queue.run_local, args=(stop,),
                                name="webhook-delivery", daemon=True),
               threading.Thread(target=local_queue.run_sends, args=(stop,),
                                name="recipient-sends", daemon=True)]
    for t in threads:
        t.start()
    time.sleep(0)
    return threads
