"""All-in write units per money move, the hottest key of every table and index, the
load at the contract's rates, and the stream consumer's throughput.

Run: `make bench` (or `.venv/bin/python -W ignore -m bench.allin`). ALLIN_OPS
(200) spins that win, spins that lose, issues and redemptions; ALLIN_TILL_OPS
(half as many; 0 for none) holds, captures, releases, reversals and voids.

Why not bench.partitions: that one counts the request's own transaction. A money
move also makes stream records, which the stream consumer turns into events and
webhook deliveries, which a sender attempts and records; every one of those writes
lands on some partition key, and DynamoDB's limit (1,000 write units a second per
key) holds whoever writes it. So this bench runs the whole chain in one process:

- moto's server in a child process (the one moto mode that serves DynamoDB
  Streams; a child, so its CPU is not the consumer's), with devtools/moto_patch;
- the API in process (Chalice's test client), one partner, one webhook endpoint
  subscribed to every event (`"*"`) pointing at a loopback receiver answering 200;
- the stream consumer as a thread: devtools.local_events.StreamPoller's records,
  handed to `events.handle_records` in Lambda's shape (one table's records per
  batch, at most 100), and the webhook sender (devtools.local_queue.run_local);
- after each phase, a wait (with a deadline, never a sleep) until the consumer
  has polled empty streams after the phase's last request and every queued
  delivery has been attempted; only then does the phase label change.

Every DynamoDB call of the process goes through botocore's `_make_api_call`,
whatever thread makes it; the meter wraps it. A write is charged as DynamoDB
would: each item ceil(max(size before, size after) / 1 KB) write units, doubled in
a TransactWriteItems; a failed condition still pays for the item. Each global or
local index is charged from the item before and after, per its projection (ALL,
KEYS_ONLY, INCLUDE and its NonKeyAttributes): an entry written when the item
enters or leaves the index or changes a projected attribute, two when its index
key moves (the old entry's removal, the new one), ceil(entry / 1 KB) each, not
doubled. Reads are charged too: ceil(size / 4 KB) per item got (half when
eventually consistent), per Query/Scan page on what it evaluated. Each unit is
labelled with the phase, the role of the thread (request, consumer, sender:
threads inherit their creator's role, so the consumer's pools count as consumer),
the table or index and the partition key.

Keys are grouped into families: the campaign's id reads <cmp>, the partner's
<partner>, the API key's <key>, the webhook endpoint's <endpoint>; small numbers
between `#`s are a shard or slice (#N), spread over as many keys as the bench saw
values; ids, uuids, hashes and players are a key of their own per entity; an
epoch second or a date is a time bucket, one key shared by everything in it. A
family keyed by an entity (a gift, an idempotency key, a player) takes that
entity's own traffic, never the campaign's: it caps nothing. The others carry
their units/op divided by how many keys they spread over, at the contract's
rates, one campaign and one partner, then ten campaigns of one partner.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.local import ADMIN, environment  # noqa: E402

PREFIX = "rewards-allin"
N = int(os.environ.get("ALLIN_OPS", "200"))
TILL_N = int(os.environ.get("ALLIN_TILL_OPS", str(N // 2)))  # holds ... voids; 0: none
BATCH = 100  # records per handle_records call: the template's BatchSize
DEADLINE = 300.0  # seconds a phase's consumer and sender may take to go idle
LIMIT_WU = 1000  # a partition key's write units per second
RATES = {"spin_win": 5000, "spin_lose": 5000, "issue": 5000, "redeem": 5000}
DELIVERED_RATES = {"spin_win": 5000, "spin_lose": 5000, "deliver": 5000, "redeem": 5000}
"""The same rates with every issued gift delivered to its recipient (issue 25)."""
DELIVER = os.environ.get("ALLIN_DELIVERY", "1") != "0"
CAMPAIGNS_SPREAD = 10
KEY_RATE = RATES["issue"] + RATES["redeem"]

# The items a move cannot do without, in its one transaction: what it promised
# (idempotency record), the thing it made or changed (spin, gift, hold,
# redemption) and the money it moved (budget slice).
MINIMUM = {
    "spin_win": ("idempotency", "spin-log", "gifts", "campaign-shards"),
    "spin_lose": ("idempotency", "spin-log"),
    "issue": ("idempotency", "gifts", "campaign-shards"),
    "deliver": ("idempotency", "gifts", "campaign-shards"),
    "redeem": ("idempotency", "gifts", "gift-events"),  # the redemption is its history row
    "hold": ("idempotency", "gifts", "holds"),
    "capture": ("idempotency", "gifts", "holds"),
    "release": ("idempotency", "gifts", "holds"),
    "reverse": ("idempotency", "gifts", "redemptions"),
    "void": ("idempotency", "gifts", "campaign-shards"),
}
WIN_WHEEL = {"segments": [
    {"id": "win", "label": "10.000đ", "weight": 1, "prize": {"amount": 10_000}},
    {"id": "none", "label": "Chúc may mắn", "weight": 0, "prize": None}],
    "fallback_segment_id": "none"}
LOSE_WHEEL = {"segments": [
    {"id": "win", "label": "10.000đ", "weight": 0, "prize": {"amount": 10_000}},
    {"id": "none", "label": "Chúc may mắn", "weight": 1, "prize": None}],
    "fallback_segment_id": "none"}


# ------------------------------------------------------------------ sizes


def _size(value: dict) -> int:
    """DynamoDB's size of one attribute value (close enough for 1 KB rounding)."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return len(str(v).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _size(x) + 1 for k, x in v.items())
    if kind == "L":
        return 3 + sum(_size(x) + 1 for x in v)
    if kind == "SS":
        return sum(len(x.encode()) for x in v)
    if kind == "NS":
        return sum(len(str(x)) // 2 + 2 for x in v)
    if kind == "BS":
        return sum(len(x) for x in v)
    return 8


def item_size(item: dict | None) -> int:
    return sum(len(k.encode()) + _size(v) for k, v in (item or {}).items())


def kb(size: int, unit: int = 1024) -> int:
    return max(1, math.ceil(size / unit))


def _hash_text(value: dict) -> str:
    (_, v), = value.items()
    return v.decode(errors="replace") if isinstance(v, bytes) else str(v)


# ------------------------------------------------------------------ roles


def role() -> str:
    """Who is calling: the request (main thread), the consumer, the sender."""
    return getattr(threading.current_thread(), "_allin_role", None) or "request"


_thread_init = threading.Thread.__init__


def _inheriting_init(self: threading.Thread, *args: Any, **kwargs: Any) -> None:
    _thread_init(self, *args, **kwargs)
    self._allin_role = getattr(threading.current_thread(), "_allin_role", None)  # type: ignore[attr-defined]


def start_role(name: str, target: Callable[[], None]) -> threading.Thread:
    t = threading.Thread(target=target, name=f"allin-{name}", daemon=True)
    t._allin_role = name  # type: ignore[attr-defined]
    t.start()
    return t


# ------------------------------------------------------------------ the meter


@dataclass
class Index:
    name: str
    keys: list[str]
    projection: str
    include: list[str]


@dataclass
class Schema:
    keys: list[str]
    indexes: list[Index]


@dataclass
class Meter:
    """Every DynamoDB call of the process, charged in units and labelled."""

    mode: str = "off"  # "full" (writes read before and after), "reads", "off"
    phase: str = "setup"
    # (phase, role, "table" or "table/index", hash key) -> write units
    writes: Counter = field(default_factory=Counter)
    # (phase, role, "table" or "table/index") -> read units
    reads: Counter = field(default_factory=Counter)
    # (phase, role, operation) -> calls; failed conditions separately
    calls: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    # (phase, table) -> sizes of the items the request's own writes touched
    sizes: dict = field(default_factory=lambda: defaultdict(list))
    schemas: dict[str, Schema] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    # ---- plumbing

    def raw(self, client: Any, operation: str, params: dict) -> Any:
        self.local.inside = True
        try:
            return _original_call(client, operation, params)
        finally:
            self.local.inside = False

    def schema(self, client: Any, table: str) -> Schema:
        if table not in self.schemas:
            t = self.raw(client, "DescribeTable", {"TableName": table})["Table"]
            keys = [k["AttributeName"] for k in t["KeySchema"]]
            indexes = []
            for i in t.get("GlobalSecondaryIndexes", []) + t.get("LocalSecondaryIndexes", []):
                p = i.get("Projection", {})
                indexes.append(Index(i["IndexName"], [k["AttributeName"] for k in i["KeySchema"]],
                                     p.get("ProjectionType", "ALL"),
                                     list(p.get("NonKeyAttributes", []))))
            self.schemas[table] = Schema(keys, indexes)
        return self.schemas[table]

    @staticmethod
    def base(table: str) -> str:
        return table.removeprefix(PREFIX + "-")

    def _fetch(self, client: Any, keys: list[tuple[str, dict]]) -> list[dict | None]:
        """The items at `keys` now (one BatchGetItem per 100 distinct keys)."""
        found: dict[str, dict] = {}
        wanted: dict[str, tuple[str, dict]] = {}
        for table, key in keys:
            wanted[json.dumps([table, key], sort_keys=True, default=str)] = (table, key)
        names = list(wanted)
        for i in range(0, len(names), 100):
            request: dict[str, dict] = {}
            for n in names[i:i + 100]:
                table, key = wanted[n]
                request.setdefault(table, {"Keys": [], "ConsistentRead": True})["Keys"].append(key)
            while request:
                answer = self.raw(client, "BatchGetItem", {"RequestItems": request})
                for table, items in answer.get("Responses", {}).items():
                    for item in items:
                        key = {k: item[k] for k in self.schema(client, table).keys}
                        found[json.dumps([table, key], sort_keys=True, default=str)] = item
                request = answer.get("UnprocessedKeys") or {}
        return [found.get(json.dumps([t, k], sort_keys=True, default=str)) for t, k in keys]

    # ---- writes

    def _add(self, who: str, name: str, hash_value: str, units: float) -> None:
        with self.lock:
            self.writes[(self.phase, who, name, hash_value)] += units

    def _charge(self, client: Any, table: str, key: dict, old: dict | None, new: dict | None,
                factor: int, who: str, failed: bool) -> None:
        schema = self.schema(client, table)
        base = self.base(table)
        hash_value = _hash_text(key[schema.keys[0]])
        if failed:  # a failed condition pays for the item as it is, no index write
            self._add(who, base, hash_value, factor * kb(item_size(old)))
            return
        if old is None and new is None:
            return
        size = max(item_size(old), item_size(new))
        self._add(who, base, hash_value, factor * kb(size))
        if who == "request":
            with self.lock:
                self.sizes[(self.phase, base)].append(size)
        for index in schema.indexes:
            for hash_value, entry in index_writes(index, schema.keys, old, new):
                self._add(who, f"{base}/{index.name}", hash_value, kb(entry))

    def write(self, client: Any, operation: str, params: dict) -> Any:
        who = role()
        items: list[tuple[str, dict, dict | None, str]] = []  # table, key, new item or None, kind
        factor = 1
        if operation == "TransactWriteItems":
            factor = 2
            for op in params["TransactItems"]:
                (kind, body), = op.items()
                if kind == "ConditionCheck":
                    continue
                table = body["TableName"]
                key = body["Key"] if kind != "Put" else {
                    n: body["Item"][n] for n in self.schema(client, table).keys}
                items.append((table, key, body.get("Item"), kind))
        elif operation == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for r in requests:
                    if "PutRequest" in r:
                        item = r["PutRequest"]["Item"]
                        key = {n: item[n] for n in self.schema(client, table).keys}
                        items.append((table, key, item, "Put"))
                    else:
                        items.append((table, r["DeleteRequest"]["Key"], None, "Delete"))
        else:
            table = params["TableName"]
            kind = operation.removesuffix("Item")
            key = params.get("Key") or {n: params["Item"][n]
                                        for n in self.schema(client, table).keys}
            items.append((table, key, params.get("Item"), kind))
        keys = [(t, k) for t, k, _, _ in items]
        before = self._fetch(client, keys)
        failed = errored = False
        try:
            return _original_call(client, operation, params)
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
            failed = code in ("ConditionalCheckFailedException", "TransactionCanceledException")
            errored = not failed
            raise
        finally:
            with self.lock:
                self.calls[(self.phase, who, operation)] += 1
                if failed:
                    self.failed[(self.phase, who, operation)] += 1
            if errored:  # nothing was written, nothing is charged
                items, before = [], []
            after = before if failed else self._fetch(client, keys) if items else []
            for (table, key, _, _), old, new in zip(items, before, after, strict=True):
                self._charge(client, table, key, old, new, factor, who, failed)

    # ---- reads

    def read(self, client: Any, operation: str, params: dict) -> Any:
        who = role()
        answer = _original_call(client, operation, params)
        charges: list[tuple[str, float]] = []
        if operation == "GetItem":
            factor = 1.0 if params.get("ConsistentRead") else 0.5
            charges.append((self.base(params["TableName"]),
                            factor * kb(item_size(answer.get("Item")), 4096)))
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                factor = 1.0 if request.get("ConsistentRead") else 0.5
                got = answer.get("Responses", {}).get(table, [])
                missing = len(request["Keys"]) - len(got)
                units = sum(kb(item_size(i), 4096) for i in got) + max(0, missing)
                charges.append((self.base(table), factor * units))
        elif operation == "TransactGetItems":
            for op, got in zip(params["TransactItems"], answer.get("Responses", []), strict=False):
                charges.append((self.base(op["Get"]["TableName"]),
                                2.0 * kb(item_size(got.get("Item")), 4096)))
        elif operation in ("Query", "Scan"):
            factor = 1.0 if params.get("ConsistentRead") else 0.5
            items = answer.get("Items", [])
            returned = sum(item_size(i) for i in items)
            scanned, count = answer.get("ScannedCount", len(items)), answer.get("Count", len(items))
            evaluated = returned * scanned / count if count else 0
            name = self.base(params["TableName"]) + (
                f"/{params['IndexName']}" if params.get("IndexName") else "")
            charges.append((name, factor * kb(int(evaluated), 4096)))
        with self.lock:
            self.calls[(self.phase, who, operation)] += 1
            for name, units in charges:
                self.reads[(self.phase, who, name)] += units
        return answer


WRITES = ("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
READS = ("GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan")
METER = Meter()
TIMES: dict[str, tuple[float, float]] = {}  # phase -> (requests' seconds, until idle)
_original_call: Callable[..., Any] = lambda *a: None  # noqa: E731 - set by install()


def index_writes(index: Index, table_keys: list[str], old: dict | None, new: dict | None
                 ) -> list[tuple[str, int]]:
    """(index hash key, entry size) of every index entry a change writes."""
    def present(item: dict | None) -> bool:
        return item is not None and all(k in item for k in index.keys)

    def entry(item: dict) -> dict:
        if index.projection == "ALL":
            return item
        names = set(index.keys) | set(table_keys)
        if index.projection == "INCLUDE":
            names |= set(index.include)
        return {k: v for k, v in item.items() if k in names}

    was, now = present(old), present(new)
    if was and not now:
        assert old is not None
        return [(_hash_text(old[index.keys[0]]), item_size(entry(old)))]
    if now and not was:
        assert new is not None
        return [(_hash_text(new[index.keys[0]]), item_size(entry(new)))]
    if not (was and now):
        return []
    assert old is not None and new is not None
    if any(old[k] != new[k] for k in index.keys):
        return [(_hash_text(old[index.keys[0]]), item_size(entry(old))),
                (_hash_text(new[index.keys[0]]), item_size(entry(new)))]
    if entry(old) != entry(new):
        return [(_hash_text(new[index.keys[0]]),
                 max(item_size(entry(old)), item_size(entry(new))))]
    return []


def every_table() -> None:
    """Every table's schema, so that the report names those nothing wrote."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=os.environ["DYNAMODB_ENDPOINT"])
    for name in client.list_tables()["TableNames"]:
        if name.startswith(PREFIX + "-"):
            METER.schema(client, name)


def _metered(self: Any, operation: str, params: dict) -> Any:
    if METER.mode == "off" or getattr(METER.local, "inside", False) or \
            self.meta.service_model.service_name != "dynamodb":
        return _original_call(self, operation, params)
    if operation in WRITES:
        if METER.mode == "full":
            return METER.write(self, operation, params)
        with METER.lock:
            METER.calls[(METER.phase, role(), operation)] += 1
        return _original_call(self, operation, params)
    if operation in READS:
        return METER.read(self, operation, params)
    return _original_call(self, operation, params)


def install() -> None:
    global _original_call
    import botocore.client

    threading.Thread.__init__ = _inheriting_init  # type: ignore[method-assign]
    _original_call = botocore.client.BaseClient._make_api_call
    botocore.client.BaseClient._make_api_call = _metered  # type: ignore[method-assign]


# ------------------------------------------------------------------ the stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MOTO_SERVER = """
import sys, threading
sys.path.insert(0, {root!r})
from devtools import moto_patch
moto_patch.install()
from moto.server import ThreadedMotoServer
ThreadedMotoServer(ip_address="127.0.0.1", port={port}, verbose=False).start()
print("ready", flush=True)
threading.Event().wait()
"""


@dataclass
class Moto:
    proc: subprocess.Popen
    endpoint: str

    def cpu(self) -> float:
        """Seconds of CPU the server process has used."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def moto_server() -> Iterator[Moto]:
    """moto's server in a child process; its log shown if it ever answered 500."""
    port = free_port()
    script = MOTO_SERVER.format(root=str(ROOT), port=port)
    with tempfile.TemporaryDirectory(prefix="allin-") as tmp, \
            open(Path(tmp) / "moto.log", "w+") as log:
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=log, text=True)
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # blocks until the server listens (or dies)
            if "ready" not in line:
                raise RuntimeError("moto's server did not start")
            yield Moto(proc, f"http://127.0.0.1:{port}")
        finally:
            proc.kill()
            proc.wait(timeout=10)
            log.seek(0)
            text = log.read()
            if "Traceback" in text:
                print(f"moto's server failed {text.count('Traceback')} time(s); its log ends:",
                      *text.splitlines()[-40:], sep="\n", file=sys.stderr)


@dataclass
class Receiver:
    """A webhook receiver on loopback that answers 200 to everything."""

    hits: int = 0
    server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec.hits += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


def wait_until(test: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not true within {timeout} s: {what}")
        time.sleep(0.02)


class Consumer:
    """The stream consumer as Lambda runs it: each table's records in order, in
    batches of at most BATCH, through `events.handle_records`."""

    def __init__(self) -> None:
        from devtools.local_events import StreamPoller

        self.poller = StreamPoller("TRIM_HORIZON")
        self.poller._discover()
        self.stop = threading.Event()
        self.empty_at = 0.0  # when the last poll that found nothing started
        self.records: Counter = Counter()  # (phase, table) -> records handled
        self.errors: list[str] = []
        self.thread: threading.Thread | None = None

    @staticmethod
    def batches(records: list[dict]) -> list[list[dict]]:
        by_table: dict[str, list[dict]] = defaultdict(list)
        for r in records:
            by_table[r["eventSourceARN"]].append(r)
        return [rs[i:i + BATCH] for rs in by_table.values() for i in range(0, len(rs), BATCH)]

    def handle(self, batch: list[dict]) -> None:
        from app import handle_stream_records  # events, then deliveries: the Lambda's

        table = Meter.base(batch[0]["eventSourceARN"].split(":table/", 1)[1].split("/")[0])
        for attempt in range(3):  # as Lambda retries a failed batch
            try:
                handle_stream_records(batch)
                break
            except Exception as exc:  # noqa: BLE001 - shown in the report
                if attempt == 2:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
        self.records[(METER.phase, table)] += len(batch)

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            records = self.poller.poll()
            for batch in self.batches(records):
                self.handle(batch)
            if not records:
                self.empty_at = started
                self.stop.wait(0.05)

    def idle_since(self, mark: float) -> bool:
        """A poll that started after `mark` found no record."""
        return self.empty_at > mark

    def start(self) -> None:
        self.thread = start_role("consumer", self.run)

    def halt(self) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join(timeout=30)

    def drain(self) -> list[dict]:
        """Every record not polled yet (the thread stopped)."""
        out: list[dict] = []
        while True:
            got = self.poller.poll()
            if not got:
                return out
            out += got


class Sender:
    """devtools.local_queue's delivery loop, with a count of what it was given and
    what it finished, so that idle can be waited for."""

    def __init__(self) -> None:
        from chalicelib.delivery import sending
        from devtools import local_queue

        self.sent = 0
        self.done = 0
        self.outcomes: Counter = Counter()
        self.batches: Counter = Counter()  # messages per batch -> batches
        self.lock = threading.Lock()
        self.queue = local_queue.install()
        self.stop = threading.Event()
        original_send, original_process = self.queue.send, sending.process_batch

        def send(messages: list[dict]) -> None:
            with self.lock:
                self.sent += len(messages)
            original_send(messages)

        def process_batch(ms: list[dict], *args: Any, **kwargs: Any) -> list[str]:
            try:
                outcomes = original_process(ms, *args, **kwargs)
                with self.lock:
                    self.outcomes.update(outcomes)
                    self.batches[len(ms)] += 1
                return outcomes
            finally:
                with self.lock:
                    self.done += len(ms)

        self.queue.send = send  # type: ignore[method-assign]
        sending.process_batch = process_batch  # type: ignore[assignment]
        self.thread = start_role("sender", lambda: local_queue.run_local(self.stop))

    def idle(self) -> bool:
        with self.lock:
            return self.sent == self.done

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


class Recipients:
    """Messages to recipients (issue 25): devtools.local_queue's send loop, as the
    send Lambda runs, with the other delivery helpers' templates, channel,
    suppression list and gift link replaced by bench stand-ins (the channel answers
    at once and keeps the provider ids, for the feedback that follows)."""

    def __init__(self) -> None:
        from chalicelib.outreach import channels, messages, sender
        from devtools import local_queue

        self.provider_ids: list[str] = []
        self.sent = 0
        self.done = 0
        self.outcomes: Counter = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()

        def send(partner_id: str, message: Any) -> Any:
            pid = f"prov-{uuid.uuid4()}"
            with self.lock:
                self.provider_ids.append(pid)
            return messages.Sent(provider_id=pid)

        # the real templates, gift links and suppression check; only the channels'
        # last step (SES, SNS, ZNS) is a stand-in (main() turns the outbox off)
        for channel in ("email", "sms", "zalo"):
            channels.SENDERS[channel] = send
        local_queue.install()
        queue, original_process = local_queue.SEND_QUEUE, sender.process
        original_send = queue.send

        def queued(ms: list[dict]) -> None:
            with self.lock:
                self.sent += len(ms)
            original_send(ms)

        def process(m: dict, *args: Any, **kwargs: Any) -> str:
            try:
                outcome = original_process(m, *args, **kwargs)
                with self.lock:
                    self.outcomes[outcome] += 1
                return outcome
            finally:
                with self.lock:
                    self.done += 1

        queue.send = queued  # type: ignore[method-assign]
        sender.process = process  # type: ignore[assignment]
        self.thread = start_role("sender", lambda: local_queue.run_sends(self.stop))

    def idle(self) -> bool:
        with self.lock:
            return self.sent == self.done

    def take_provider_ids(self) -> list[str]:
        with self.lock:
            out, self.provider_ids = self.provider_ids, []
        return out

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


RECIPIENTS: Recipients | None = None


def settle(consumer: Consumer, sender: Sender) -> None:
    """Until the consumer has polled empty streams after everything written so far
    and every queued delivery has been attempted, with nothing new handled or
    queued meanwhile (the sender's writes could make records, the consumer's
    deliveries)."""
    while True:
        seen = (sum(consumer.records.values()), sender.sent)
        mark = time.monotonic()
        wait_until(partial(consumer.idle_since, mark), DEADLINE, "the stream consumer idle")
        wait_until(sender.idle, DEADLINE, "every queued delivery attempted")
        if RECIPIENTS is not None:
            wait_until(RECIPIENTS.idle, DEADLINE, "every message to a recipient sent")
        if (sum(consumer.records.values()), sender.sent) == seen and (
                RECIPIENTS is None or RECIPIENTS.idle()):
            return


# ------------------------------------------------------------------ the workload


class Api:
    def __init__(self, http: Any) -> None:
        self.http = http
        self.key = ""

    def call(self, path: str, body: Any = None, key: str | None = None, status: int = 200,
             method: str = "POST") -> dict:
        headers = {"Authorization": f"Bearer {key or self.key}",
                   "Content-Type": "application/json"}
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        send = getattr(self.http, method.lower())
        r = send(path, headers=headers, body=json.dumps(body if body is not None else {})) \
            if method != "GET" else send(path, headers=headers)
        assert r.status_code == status, (path, r.status_code, r.body)
        return r.json_body


@dataclass
class World:
    api: Api
    partner: str
    key_id: str
    endpoint: str
    campaigns: dict[str, str]  # "win", "lose" -> id
    shards: int
    ops: Counter = field(default_factory=Counter)  # phase -> operations measured
    wins: Counter = field(default_factory=Counter)


def set_up(http: Any, receiver_url: str) -> World:
    from chalicelib.core import config

    api = Api(http)
    partner = http.post("/v1/admin/partners", headers=ADMIN,
                        body='{"name": "Bench"}').json_body["id"]
    # the key may make the contract's issues and redemptions (10,000/s): the rate
    # limiter spreads a busy key over as many counters as that takes
    made = http.post(f"/v1/admin/partners/{partner}/api-keys", headers=ADMIN,
                     body=json.dumps({"rate_limit": KEY_RATE})).json_body
    api.key = made["key"]
    key_id = made.get("id") or made.get("key_id") or ""
    hook = api.call("/v1/webhook-endpoints", {"url": receiver_url, "events": ["*"]}, status=201)
    campaigns = {}
    for name, wheel in (("win", WIN_WHEEL), ("lose", LOSE_WHEEL)):
        campaigns[name] = api.call("/v1/campaigns", {
            "name": f"Tết {name}", "currency": "VND", "budget": 10**13,
            "ends_at": "2099-01-01T00:00:00Z", "wheel": wheel}, status=201)["id"]
    if DELIVER:  # every gift issued with a phone goes out by SMS (issue 25)
        campaigns["deliver"] = api.call("/v1/campaigns", {
            "name": "Tết delivered", "currency": "VND", "budget": 10**13,
            "ends_at": "2099-01-01T00:00:00Z", "delivery": {"channels": ["sms"]}},
            status=201)["id"]
    shards = int(getattr(config.settings(), "campaign_shards", 1))
    return World(api, partner, key_id, hook["id"], campaigns, shards)


def warm(world: World) -> None:
    """Every budget slice charged once (its first charge refills it from the pool):
    the moves measured are warm ones."""
    for name in ("win", "deliver"):  # the "lose" one's spins never charge its budget
        cid = world.campaigns.get(name)
        for _ in range(world.shards * 4 if cid else 0):
            world.api.call(f"/v1/campaigns/{cid}/gifts", {"amount": 1}, status=201)


def tokens(world: World, campaign: str, n: int) -> list[str]:
    cid = world.campaigns[campaign]
    return [world.api.call(f"/v1/campaigns/{cid}/player-tokens",
                           {"player_id": f"zalo:84{uuid.uuid4().int % 10**9:09d}"},
                           status=201)["token"] for _ in range(n)]


def spin(world: World, token: str, phase: str) -> None:
    answer = world.api.call("/v1/play/spins", {}, key=token, status=201)
    if answer.get("prize"):
        world.wins[phase] += 1


@contextmanager
def phase(name: str, consumer: Consumer, sender: Sender) -> Iterator[None]:
    """Writes until the chain is idle again belong to `name`."""
    settle(consumer, sender)
    METER.phase, METER.mode = name, "full"
    started = time.perf_counter()
    try:
        yield
    finally:
        requests = time.perf_counter() - started
        settle(consumer, sender)
        METER.phase, METER.mode = "setup", "off"
        TIMES[name] = (requests, time.perf_counter() - started)


def run_phases(world: World, consumer: Consumer, sender: Sender) -> dict[str, list]:
    api, cid = world.api, world.campaigns["win"]
    made: dict[str, list] = {}
    win_tokens, lose_tokens = tokens(world, "win", N), tokens(world, "lose", N)
    for name, toks in (("spin_win", win_tokens), ("spin_lose", lose_tokens)):
        with phase(name, consumer, sender):
            for t in toks:
                spin(world, t, name)
            world.ops[name] += len(toks)
    with phase("issue", consumer, sender):
        made["codes"] = [api.call(f"/v1/campaigns/{cid}/gifts", {"amount": 50_000},
                                  status=201)["code"] for _ in range(N)]
        world.ops["issue"] += N
    if DELIVER and RECIPIENTS is not None:
        deliver = world.campaigns["deliver"]
        with phase("deliver", consumer, sender):
            for i in range(N):
                api.call(f"/v1/campaigns/{deliver}/gifts", {
                    "amount": 50_000, "recipient": {"phone": f"+8490{i:07d}"}}, status=201)
            world.ops["deliver"] += N
            settle(consumer, sender)  # planned, queued, sent; then the channel's feedback
            feedback(RECIPIENTS.take_provider_ids())
    with phase("redeem", consumer, sender):
        made["redemptions"] = [api.call(f"/v1/gifts/{c}/redeem", {"amount": 20_000}
                                        )["redemption"]["id"] for c in made["codes"]]
        world.ops["redeem"] += N
    if not TILL_N:
        return made
    codes, redemptions = made["codes"][:TILL_N], made["redemptions"][:TILL_N]
    # the longest holds: a busy machine may take longer than the default 300 s from a
    # hold to its capture or release, and an expired hold cannot be captured
    hold = {"amount": 5_000, "ttl_seconds": 3600}
    with phase("hold", consumer, sender):
        captures = [api.call(f"/v1/gifts/{c}/holds", hold, status=201)["id"] for c in codes]
        world.ops["hold"] += len(codes)
    releases = [api.call(f"/v1/gifts/{c}/holds", hold, status=201)["id"] for c in codes]
    for name, holds in (("capture", captures), ("release", releases)):
        with phase(name, consumer, sender):
            for h in holds:
                api.call(f"/v1/holds/{h}/{name}", {})
            world.ops[name] += len(holds)
    with phase("reverse", consumer, sender):
        for r in redemptions:
            api.call(f"/v1/redemptions/{r}/reversals", {"amount": 1_000}, status=201)
        world.ops["reverse"] += len(redemptions)
    to_void = [api.call(f"/v1/campaigns/{cid}/gifts", {"amount": 10_000}, status=201)["code"]
               for _ in range(TILL_N)]
    with phase("void", consumer, sender):
        for c in to_void:
            api.call(f"/v1/gifts/{c}/void", {})
        world.ops["void"] += len(to_void)
    return made


def feedback(provider_ids: list[str]) -> None:
    """What SES or SNS says later: every message delivered (the channels helper's
    feedback handler calls `apply_feedback`; here its role is "feedback")."""
    from chalicelib.outreach import deliveries, messages

    items = [messages.Feedback(provider_id=p, status="delivered") for p in provider_ids]
    t = start_role("feedback", lambda: print(
        f"  (feedback: {deliveries.apply_feedback(items)} of {len(items)} messages moved to "
        "delivered)"))
    t.join()


# ------------------------------------------------------------------ key families

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_ID = re.compile(r"\b[a-z]{2,6}_[0-9A-Za-z]{8,}")
_PLAYER = re.compile(r"\b[a-z]+:[0-9A-Za-z+]{4,}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?")
_EPOCH = re.compile(r"(?<![0-9])1\d{9}(?![0-9])")
_HASH = re.compile(r"[A-Za-z0-9+/=_.-]{20,}")  # a code's lookup hash, a digest
_SLICE = re.compile(r"#(\d{1,3})(?=#|$)")
ENTITY = ("<id>", "<uuid>", "<player>", "<hash>")


def family(key: str, world: World) -> tuple[str, str]:
    """(the key's family, the shard/slice numbers it had) for a `table hash` key."""
    table, _, value = key.partition(" ")
    for cid in world.campaigns.values():
        value = value.replace(cid, "<cmp>")
    for known, label in ((world.partner, "<partner>"), (world.key_id, "<key>"),
                         (world.endpoint, "<endpoint>")):
        if known:
            value = value.replace(known, label)
    value = _UUID.sub("<uuid>", value)
    value = _ID.sub("<id>", value)
    value = _PLAYER.sub("<player>", value)
    value = _TIME.sub("<time>", value)
    value = _EPOCH.sub("<second>", value)
    value = _HASH.sub("<hash>", value)
    slices = "#".join(_SLICE.findall(value))
    value = _SLICE.sub("#N", value)
    return f"{table} {value}", slices


@dataclass
class Family:
    name: str
    units: Counter = field(default_factory=Counter)  # phase -> units
    keys: dict[str, Counter] = field(default_factory=dict)  # phase -> key -> units
    slices: set[str] = field(default_factory=set)

    @property
    def entity(self) -> bool:
        return any(e in self.name for e in ENTITY)

    @property
    def spread(self) -> int:
        return max(1, len(self.slices)) if "#N" in self.name else 1

    def hottest(self, phase: str, ops: int) -> float:
        """Units per op on the family's hottest key: spread evenly over its slices;
        keyed by an entity, what an op puts on its own key (the mean over the
        phase's keys: the next op writes another key)."""
        if self.entity:
            keys = self.keys.get(phase, Counter())
            return sum(keys.values()) / len(keys) if keys else 0.0
        return self.units[phase] / ops / self.spread


def families(world: World) -> dict[str, Family]:
    out: dict[str, Family] = {}
    for (ph, _, name, hash_value), units in METER.writes.items():
        fam, slices = family(f"{name} {hash_value}", world)
        f = out.setdefault(fam, Family(fam))
        f.units[ph] += units
        f.keys.setdefault(ph, Counter())[hash_value] += units
        if slices:
            f.slices.add(slices)
    return out


# ------------------------------------------------------------------ reports


def measured(world: World) -> list[str]:
    return [p for p in ("spin_win", "spin_lose", "issue", "deliver", "redeem", "hold", "capture",
                        "release", "reverse", "void") if world.ops[p]]


def print_units(world: World) -> dict[str, float]:
    """Per op: write units by table/index and by role, total, and the minimum."""
    totals = {}
    print(f"\n== all-in write units per op ({N} of each; request = the API call, "
          "consumer = the stream consumer, sender = webhook deliveries)")
    for ph in measured(world):
        ops = world.ops[ph]
        by: dict[str, Counter] = defaultdict(Counter)
        for (p, who, name, _), units in METER.writes.items():
            if p == ph:
                by[name][who] += units
        total = sum(sum(c.values()) for c in by.values()) / ops
        totals[ph] = total
        wins = f", {world.wins[ph]}/{ops} won" if ph.startswith("spin") else ""
        requests, idle = TIMES.get(ph, (0.0, 0.0))
        print(f"\n{ph}: {total:.2f} WU/op all-in{wins} (requests {requests:.1f} s, "
              f"all idle {idle:.1f} s)")
        print(f"  {'table/index':34} {'request':>8} {'consumer':>9} {'sender':>7} "
              f"{'feedback':>8} {'total':>7}")
        roles = ("request", "consumer", "sender", "feedback")
        for name, c in sorted(by.items(), key=lambda kv: -sum(kv[1].values())):
            other = sum(v for k, v in c.items() if k not in roles)
            cells = " ".join(f"{c[r] / ops:{w}.2f}" for r, w in zip(roles, (8, 9, 7, 8),
                                                                     strict=True))
            extra = f"  (+{other / ops:.2f} other)" if other else ""
            print(f"  {name:34} {cells} {sum(c.values()) / ops:7.2f}{extra}")
        for who in roles:
            calls = {op: n for (p, w, op), n in METER.calls.items() if p == ph and w == who}
            failed = {op: n for (p, w, op), n in METER.failed.items() if p == ph and w == who}
            if calls:
                text = ", ".join(f"{n / ops:.2f} {op}" for op, n in sorted(calls.items()))
                if failed:
                    text += " (failed conditions: " + ", ".join(
                        f"{n / ops:.2f} {op}" for op, n in failed.items()) + ")"
                print(f"  calls/op by {who}: {text}")
        minimum(ph, ops)
    return totals


def minimum(ph: str, ops: int) -> None:
    parts, today, floor = [], 0.0, 0
    for table in MINIMUM.get(ph, ()):
        sizes = METER.sizes.get((ph, table))
        if not sizes:
            continue
        per_op = len(sizes) / ops
        mean = sum(sizes) / len(sizes)
        units = sum(2 * kb(s) for s in sizes) / ops
        today += units
        floor += 2 * round(per_op)
        parts.append(f"{table} {mean:,.0f} B ({units:.1f})")
    if parts:
        print(f"  physical minimum, one transaction: {' + '.join(parts)} = {today:.1f} WU "
              f"at today's sizes; {floor} WU with each item under 1 KB")


def print_hot(world: World, fams: dict[str, Family]) -> None:
    phases = measured(world)
    print("\n== hottest key of every table and index: write units per op on it "
          "(÷N: spread over N keys; entity: a key per gift, request or player, "
          "showing what an op puts on its own key, on average)")
    head = " ".join(f"{p[:9]:>9}" for p in phases)
    print(f"{'table/index and key family':58} {head}")
    by_table: dict[str, list[Family]] = defaultdict(list)
    for f in fams.values():
        by_table[f.name.split(" ", 1)[0]].append(f)
    for table in sorted(by_table):
        for f in sorted(by_table[table], key=lambda f: -max(
                f.hottest(p, world.ops[p]) for p in phases)):
            if not any(f.units[p] for p in phases):
                continue
            label = f.name + (" (entity)" if f.entity else f" (÷{f.spread})"
                              if f.spread > 1 else "")
            cells = " ".join(f"{f.hottest(p, world.ops[p]):9.3f}" for p in phases)
            print(f"{label[:58]:58} {cells}")
    names = [Meter.base(t) + suffix for t, schema in sorted(METER.schemas.items())
             for suffix in [""] + [f"/{i.name}" for i in schema.indexes]]
    untouched = [n for n in names if n not in by_table]
    if untouched:
        print("no writes in any phase: " + ", ".join(untouched))


def print_load(world: World, fams: dict[str, Family], rates: dict[str, int] = RATES,
               what: str = "issues") -> None:
    print("\n== load at the contract's rates (spins 10,000/s of which 5,000 win, "
          f"{what} 5,000/s, redemptions 5,000/s): WU/s on each family's hottest key")
    print(f"{'key family':58} {'1 campaign':>11} {'10 campaigns':>13}")
    rows = []
    for f in fams.values():
        if f.entity:
            continue
        one = sum(rate * f.hottest(p, world.ops[p]) for p, rate in rates.items()
                  if world.ops[p])
        if not one:
            continue
        ten = one / CAMPAIGNS_SPREAD if "<cmp>" in f.name else one
        rows.append((one, ten, f))
    for one, ten, f in sorted(rows, key=lambda r: -r[0]):
        flag = "  OVER 1,000" if max(one, ten) > LIMIT_WU else ""
        label = f.name + (f" (÷{f.spread})" if f.spread > 1 else "")
        print(f"{label[:58]:58} {one:11,.0f} {ten:13,.0f}{flag}")
    over = [f.name for one, ten, f in rows if max(one, ten) > LIMIT_WU]
    print(f"keys over {LIMIT_WU:,} WU/s: {len(over)}" + (f" ({', '.join(over)})" if over else ""))


def print_reads(world: World) -> None:
    print("\n== read units per op, by who reads")
    for ph in measured(world):
        ops = world.ops[ph]
        by: dict[str, Counter] = defaultdict(Counter)
        for (p, who, name), units in METER.reads.items():
            if p == ph:
                by[who][name] += units
        parts = []
        for who in ("request", "consumer", "sender"):
            if by[who]:
                detail = ", ".join(f"{n} {u / ops:.2f}" for n, u in
                                   sorted(by[who].items(), key=lambda kv: -kv[1]))
                parts.append(f"{who} {sum(by[who].values()) / ops:.2f} ({detail})")
        print(f"{ph:10} " + "; ".join(parts))


# ------------------------------------------------------------------ consumer throughput


class CountingQueue:
    def __init__(self) -> None:
        self.messages = 0

    def send(self, messages: list[dict]) -> None:
        self.messages += len(messages)


def throughput(world: World, consumer: Consumer, sender: Sender, moto: Moto) -> None:
    """Realistic batches (each table's records, BATCH at a time) made by a mix of
    2 spins (1 win) : 1 issue : 1 redemption, handed to handle_records with nothing
    else running; CPU of this process (the consumer, botocore included) and of
    moto's server apart."""
    from chalicelib.delivery import events, queues

    consumer.halt()
    sender.halt()
    counting = CountingQueue()
    queues.install(counting)
    METER.mode = "reads"
    METER.phase = "mix"
    m = N // 2
    api, cid = world.api, world.campaigns["win"]
    for campaign in ("win", "lose"):
        for t in tokens(world, campaign, m):
            spin(world, t, "mix")
    codes = [api.call(f"/v1/campaigns/{cid}/gifts", {"amount": 50_000}, status=201)["code"]
             for _ in range(m)]
    for c in codes:
        api.call(f"/v1/gifts/{c}/redeem", {"amount": 20_000})
    records = consumer.drain()
    batches = Consumer.batches(records)
    METER.phase = "throughput"
    main = threading.current_thread()
    main._allin_role = "consumer"  # type: ignore[attr-defined]
    rows: dict[str, Counter] = defaultdict(Counter)
    for batch in batches:
        table = Meter.base(batch[0]["eventSourceARN"].split(":table/", 1)[1].split("/")[0])
        queued = counting.messages
        cpu, wall, moto_cpu = time.process_time(), time.perf_counter(), moto.cpu()
        for attempt in range(3):  # as Lambda retries a batch that raised
            try:
                stored = events.handle_records(batch)
                break
            except Exception as exc:  # noqa: BLE001 - counted and shown
                rows[table]["retries"] += 1
                if attempt == 2:
                    raise RuntimeError("a stream batch failed three times") from exc
        r = rows[table]
        r["cpu"] += time.process_time() - cpu
        r["wall"] += time.perf_counter() - wall
        r["moto"] += moto.cpu() - moto_cpu
        r["records"] += len(batch)
        r["batches"] += 1
        r["events"] += stored
        r["deliveries"] += counting.messages - queued
    main._allin_role = None  # type: ignore[attr-defined]
    METER.mode = "off"
    calls = Counter({op: n for (p, _, op), n in METER.calls.items() if p == "throughput"})
    reads = sum(u for (p, _, _), u in METER.reads.items() if p == "throughput")
    total = Counter()
    for r in rows.values():
        total.update(r)
    print(f"\n== stream consumer throughput: {total['records']:,} records from {m * 2} spins "
          f"({m} won), {m} issues, {m} redemptions; batches of up to {BATCH} per table, "
          "moto's server in its own process")
    print(f"{'stream':16} {'records':>8} {'batches':>8} {'events':>7} {'deliv.':>7} "
          f"{'ms/batch':>9} {'CPU ms/rec':>11} {'moto ms/rec':>12} {'rec/s':>7} {'events/s':>9}")
    for table, r in sorted(rows.items()) + [("all", total)]:
        print(f"{table:16} {r['records']:8,} {r['batches']:8,} {r['events']:7,} "
              f"{r['deliveries']:7,} {1000 * r['wall'] / r['batches']:9.1f} "
              f"{1000 * r['cpu'] / r['records']:11.2f} {1000 * r['moto'] / r['records']:12.2f} "
              f"{r['records'] / r['wall']:7,.0f} {r['events'] / r['wall']:9,.0f}")
    if total["retries"]:
        print(f"batches retried after an error (moto answering 500): {total['retries']}")
    print("DynamoDB calls per 100 records: " + ", ".join(
        f"{100 * n / total['records']:.1f} {op}" for op, n in sorted(calls.items())) +
          f"; read units per 100 records: {100 * reads / total['records']:.1f}")
    mix_ops = 4 * m
    print(f"consumer read units per money move at these batches: {reads / mix_ops:.2f} "
          f"({mix_ops} moves: {m} winning spins, {m} losing, {m} issues, {m} redemptions)")
    cpu_per_record = total["cpu"] / total["records"]
    print(f"one consumer process, CPU-bound (DynamoDB's waits overlapped): "
          f"{1 / cpu_per_record:,.0f} records/s, "
          f"{total['events'] / total['cpu']:,.0f} events/s")
    record_rates(world, consumer, cpu_per_record, total, rows)


def record_rates(world: World, consumer: Consumer, cpu_per_record: float,
                 total: Counter, rows: dict[str, Counter]) -> None:
    """Stream records a second at the contract's rates, per table, and the CPU
    they take (from the measured phases' records per op)."""
    per_table: Counter = Counter()
    for (ph, table), n in consumer.records.items():
        if ph in RATES and world.ops[ph]:
            per_table[table] += RATES[ph] * n / world.ops[ph]
    if not per_table:
        return
    all_records = sum(per_table.values())
    events_rate = all_records * total["events"] / max(1, total["records"])
    print("stream records/s at the contract's rates: " + ", ".join(
        f"{t} {n:,.0f}" for t, n in sorted(per_table.items(), key=lambda kv: -kv[1])) +
          f"; all {all_records:,.0f}/s, ~{events_rate:,.0f} events/s; "
          f"{all_records * cpu_per_record:,.1f} consumer CPU-seconds a second")
    busy = {t: n * rows[t]["cpu"] / rows[t]["records"] for t, n in per_table.items()
            if rows.get(t, Counter())["records"]}
    if busy:
        print("consumer CPU-seconds a second per stream at those rates (each one busy "
              "Lambda at 1 vCPU): " + ", ".join(
                  f"{t} {v:,.1f}" for t, v in sorted(busy.items(), key=lambda kv: -kv[1])))
    for ph in RATES:
        if world.ops[ph]:
            n = sum(v for (p, _), v in consumer.records.items() if p == ph)
            print(f"  {ph}: {n / world.ops[ph]:.2f} stream records per op")


# ------------------------------------------------------------------ main


def main() -> None:
    environment(PREFIX)
    os.environ["STAGE"] = "local"  # as `make run`: webhooks may go to http on loopback
    for rate in ("EMAIL", "SMS", "ZALO"):  # the channels' quotas are not what is measured
        os.environ[f"DELIVERY_RATE_{rate}"] = "100000"
    os.environ["DELIVERY_OUTBOX"] = "0"  # the messages are counted, not kept in an outbox
    install()
    receiver = Receiver()
    url = receiver.start()
    started = time.perf_counter()
    with moto_server() as moto:
        os.environ["DYNAMODB_ENDPOINT"] = moto.endpoint
        from chalice.test import Client

        from chalicelib.core import config
        from chalicelib.store import tables

        config.reset()
        tables.bind()
        tables.create_tables()
        from app import app

        with Client(app) as client:
            consumer = Consumer()
            consumer.start()
            sender = Sender()
            global RECIPIENTS
            if DELIVER:
                RECIPIENTS = Recipients()
            world = set_up(client.http, url)
            warm(world)
            run_phases(world, consumer, sender)
            settle(consumer, sender)
            every_table()
            fams = families(world)
            print_units(world)
            print_hot(world, fams)
            print_load(world, fams)
            if world.ops["deliver"]:
                print_load(world, fams, DELIVERED_RATES,
                           "issues each delivered to its recipient (sent, then delivered)")
            print_reads(world)
            batches = sum(sender.batches.values())
            print(f"\nwebhook deliveries attempted: {sender.done:,} ({dict(sender.outcomes)}) "
                  f"in {batches:,} sender batches ({sender.done / max(batches, 1):.1f} messages "
                  f"each); receiver got {receiver.hits:,}; consumer errors: "
                  f"{len(consumer.errors)}"
                  + (f" (first: {consumer.errors[0]})" if consumer.errors else ""))
            if RECIPIENTS is not None:
                print(f"messages to recipients: {RECIPIENTS.done:,} "
                      f"({dict(RECIPIENTS.outcomes)})")
                RECIPIENTS.halt()
            throughput(world, consumer, sender, moto)
    phases = sum(t for _, t in TIMES.values())
    print(f"\n(bench.allin took {time.perf_counter() - started:.0f} s, {phases:.0f} s of it "
          "in the measured phases)")


if __name__ == "__main__":
    main()
