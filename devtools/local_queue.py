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

    def _next(self) -> dict[str, Any] | None:
        """The next message of the first partner in turn with room; that partner
        (and, within it, that endpoint) goes to the back of the turn."""
        for partner in list(self._lines):
            if self._busy.get(partner, 0) >= self.share:
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
            self._busy[partner] = self._busy.get(partner, 0) + 1
            return m
        return None

    def take(self, timeout: float) -> dict[str, Any] | None:
        """The next due message in turn, waiting up to `timeout` for one; the caller
        calls `done` with it once handled."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                now = timestamp()
                self._promote(now)
                m = self._next()
                if m is not None:
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                wait = min(left, self._waiting[0][0] - now) if self._waiting else left
                self._cv.wait(max(wait, 0.001))

    def done(self, m: dict[str, Any]) -> None:
        with self._cv:
            partner = str(m.get("partner_id") or "")
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


def run_local(stop: threading.Event, workers: int = WORKERS) -> None:
    """Serve LOCAL_QUEUE until `stop` (devtools/serve.py and tests run it in a thread):
    a message is taken only when a thread is free to send it."""
    install()
    serve(LOCAL_QUEUE, _webhook, stop, workers, "webhook")


def run_sends(stop: threading.Event, workers: int = SEND_WORKERS) -> None:
    """Serve SEND_QUEUE (messages to recipients) until `stop`."""
    install()
    serve(SEND_QUEUE, _send, stop, workers, "send")


def serve(q: LocalQueue, handle: Callable[[dict[str, Any]], Any], stop: threading.Event,
          workers: int, name: str) -> None:
    free = threading.Semaphore(workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name) as pool:
        while not stop.is_set():
            if not free.acquire(timeout=0.2):
                continue
            m = q.take(0.2)
            if m is None:
                free.release()
                continue
            pool.submit(_serve, q, handle, m, free)


def _serve(q: LocalQueue, handle: Callable[[dict[str, Any]], Any], m: dict[str, Any],
           free: threading.Semaphore) -> None:
    try:
        _safe_process(q, handle, m)
    finally:
        q.done(m)
        free.release()


def _webhook(m: dict[str, Any]) -> Any:
    return sending.process(m)


def _send(m: dict[str, Any]) -> Any:
    from chalicelib.outreach import sender

    return sender.process(m)


def _safe_process(q: LocalQueue, handle: Callable[[dict[str, Any]], Any],
                  m: dict[str, Any]) -> None:
    try:
        handle(m)
    except Exception:  # noqa: BLE001 - a dev loop logs, then retries later
        log.exception("a queued message failed; retrying in 5 s")
        q.send([dict(m, due=timestamp() + 5)])
