"""The webhook delivery queue of one process (`make run`, tests), served by a pool of
threads, fairly. Dev-only: deployed, the queue is SQS and the worker is a Lambda
(`chalicelib.delivery.queues`), so none of this is packaged.

Fair, not first in first out: a message waits in a heap until it is due, then in
its partner's line (one line per endpoint within it). A free thread takes the next
message of the next partner in turn, skipping a partner that already holds
`share` threads; threads take a message only when they are free, so nothing queues
behind a busy thread. One partner's slow endpoints thus hold at most `share` of the
threads, and another partner's message is taken by the next thread to come free.
The sender's own rules (`chalicelib.delivery.fairness`: per-endpoint slots, a
partner's degraded slots, the breaker) apply here as deployed."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.core.clock import timestamp
from chalicelib.delivery import queues, sending

log = logging.getLogger("rewards.local_queue")

WORKERS = 8


class LocalQueue:
    """Due messages in per-partner, per-endpoint lines, taken in turn."""

    def __init__(self, share: int = WORKERS // 2) -> None:
        self.share = share
        self._waiting: list[tuple[float, int, dict]] = []
        self._lines: OrderedDict[str, OrderedDict[str, deque[dict]]] = OrderedDict()
        self._busy: dict[str, int] = {}
        self._cv = threading.Condition()
        self._n = 0
        self._filling = False  # a thread is filling a batch (take_batch's window)

    def send(self, messages: list[dict[str, Any]]) -> None:
        with self._cv:
            for m in messages:
                self._n += 1
                heapq.heappush(self._waiting, (float(m["due"]), self._n, m))
            self._cv.notify_all()

    def _promote(self, now: float) -> None:
        """Move every due message into its partner's and endpoint's line."""
        while self._waiting and self._waiting[0][0] <= now:
            m = heapq.heappop(self._waiting)[2]
            partner = str(m.get("partner_id") or "")
            line = self._lines.setdefault(partner, OrderedDict())
            line.setdefault(str(m.get("endpoint_id") or ""), deque()).append(m)

    def _next(self, holding: set[str] | None = None) -> dict[str, Any] | None:
        """The next message of the first partner in turn with room; that partner
        (and, within it, that endpoint) goes to the back of the turn. A thread takes
        one of a partner's `share`, whatever it holds of it (`holding`: the partners
        of the batch it is taking)."""
        holding = set() if holding is None else holding
        for partner in list(self._lines):
            if partner not in holding and self._busy.get(partner, 0) >= self.share:
                continue
            endpoints = self._lines[partner]
            endpoint, line = next(iter(endpoints.items()))
            m = line.popleft()
            if line:
                endpoints.move_to_end(endpoint)
            else:
                del endpoints[endpoint]
            if endpoints:
                self._lines.move_to_end(partner)
            else:
                del self._lines[partner]
            if partner not in holding:
                self._busy[partner] = self._busy.get(partner, 0) + 1
                holding.add(partner)
            return m
        return None

    def take(self, timeout: float) -> dict[str, Any] | None:
        """The next due message in turn, waiting up to `timeout` for one; the caller
        calls `done` with it once handled."""
        got = self.take_batch(1, timeout)
        return got[0] if got else None

    def take_batch(self, size: int, timeout: float, window: float = 0.0
                   ) -> list[dict[str, Any]]:
        """Up to `size` due messages in turn, waiting up to `timeout` for the first and
        then up to `window` for the batch to fill (as an SQS event source's batching
        window; one thread fills a batch at a time, so batches fill rather than split);
        the caller calls `done_batch` with them once handled."""
        deadline = time.monotonic() + timeout
        holding: set[str] = set()
        batch: list[dict[str, Any]] = []
        closes: float | None = None
        with self._cv:
            try:
                while True:
                    now = timestamp()
                    self._promote(now)
                    if batch or not self._filling:
                        while len(batch) < size:
                            m = self._next(holding)
                            if m is None:
                                break
                            batch.append(m)
                    if batch and closes is None:
                        closes = time.monotonic() + window
                        self._filling = True
                    if len(batch) >= size or (closes is not None and
                                              time.monotonic() >= closes):
                        return batch
                    left = (closes if closes is not None else deadline) - time.monotonic()
                    if not batch and left <= 0:
                        return []
                    wait = min(left, self._waiting[0][0] - now) if self._waiting else left
                    self._cv.wait(max(wait, 0.001))
            finally:
                if closes is not None:
                    self._filling = False
                    self._cv.notify_all()

    def done(self, m: dict[str, Any]) -> None:
        self.done_batch([m])

    def done_batch(self, batch: list[dict[str, Any]]) -> None:
        with self._cv:
            for partner in {str(m.get("partner_id") or "") for m in batch}:
                self._busy[partner] = max(0, self._busy.get(partner, 0) - 1)
            self._cv.notify_all()

    def __len__(self) -> int:
        with self._cv:
            return len(self._waiting) + sum(len(line) for lines in self._lines.values()
                                            for line in lines.values())

    def clear(self) -> None:
        with self._cv:
            self._waiting.clear()
            self._lines.clear()


LOCAL_QUEUE = LocalQueue()
SEND_QUEUE = LocalQueue()
"""Messages to recipients (`chalicelib.outreach.send_queue`), served by their own
threads as the deployed send function is its own Lambda."""
SEND_WORKERS = 4


def install() -> LocalQueue:
    """Webhook deliveries and messages to recipients of this process go to the local
    queues instead of SQS."""
    from chalicelib.outreach import send_queue

    queues.install(LOCAL_QUEUE)
    send_queue.install(SEND_QUEUE)
    return LOCAL_QUEUE


BATCH = 10
"""Webhook messages one thread takes at once: the deployed event source's batch."""
WINDOW = 1.0
"""How long a batch of webhook messages waits to fill: as the deployed event source
(infra/tables.yaml's 1 s), so batches here, and the records they make, are the size
they would be deployed at the same rate."""


def run_local(stop: threading.Event, workers: int = WORKERS) -> None:
    """Serve LOCAL_QUEUE until `stop` (devtools/serve.py and tests run it in a thread):
    messages are taken only when a thread is free to send them, a batch at a time
    (`sending.process_batch`, as the deployed function does)."""
    install()
    serve(LOCAL_QUEUE, _webhooks, stop, workers, "webhook", BATCH, WINDOW)


def run_sends(stop: threading.Event, workers: int = SEND_WORKERS) -> None:
    """Serve SEND_QUEUE (messages to recipients) until `stop`."""
    install()
    serve(SEND_QUEUE, _sends, stop, workers, "send", 1)


Handler = Callable[[list[dict[str, Any]]], list[str]]
"""A batch of messages -> what became of each (ERROR: queue it again)."""


def serve(q: LocalQueue, handle: Handler, stop: threading.Event, workers: int, name: str,
          batch: int, window: float = 0.0) -> None:
    free = threading.Semaphore(workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name) as pool:
        while not stop.is_set():
            if not free.acquire(timeout=0.2):
                continue
            got = q.take_batch(batch, 0.2, window)
            if not got:
                free.release()
                continue
            pool.submit(_serve, q, handle, got, free)


def _serve(q: LocalQueue, handle: Handler, got: list[dict[str, Any]],
           free: threading.Semaphore) -> None:
    try:
        _safe_process(q, handle, got)
    finally:
        q.done_batch(got)
        free.release()


def _webhooks(batch: list[dict[str, Any]]) -> list[str]:
    return sending.process_batch(batch)


def _sends(batch: list[dict[str, Any]]) -> list[str]:
    from chalicelib.outreach import sender

    return [sender.process(m) for m in batch]


def _safe_process(q: LocalQueue, handle: Handler, batch: list[dict[str, Any]]) -> None:
    """As SQS does for a failed receive: the messages whose handling raised (all of
    them if the batch did) come back later."""
    try:
        outcomes = handle(batch)
    except Exception:  # noqa: BLE001 - a dev loop logs, then retries later
        log.exception("a queued batch failed; retrying in 5 s")
        outcomes = [sending.ERROR] * len(batch)
    again = [m for m, outcome in zip(batch, outcomes, strict=True) if outcome == sending.ERROR]
    if again:
        q.send([dict(m, due=timestamp() + 5) for m in again])
