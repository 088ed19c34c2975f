"""The webhook delivery queue of one process (`make run`, tests): a heap by due
time, served by a pool of threads. Dev-only: deployed, the queue is SQS and the
worker is a Lambda (`chalicelib.delivery.queues`), so none of this is packaged."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.core.clock import timestamp
from chalicelib.delivery import queues, sending

log = logging.getLogger("rewards.local_queue")


class LocalQueue:
    """The delivery queue of one process (`make run`, tests): a heap by due time."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, dict]] = []
        self._cv = threading.Condition()
        self._n = 0

    def send(self, messages: list[dict[str, Any]]) -> None:
        with self._cv:
            for m in messages:
                self._n += 1
                heapq.heappush(self._heap, (float(m["due"]), self._n, m))
            self._cv.notify_all()

    def take(self, timeout: float) -> dict[str, Any] | None:
        """The next due message, waiting up to `timeout` for one."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                now = timestamp()
                if self._heap and self._heap[0][0] <= now:
                    return heapq.heappop(self._heap)[2]
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                wait = min(left, self._heap[0][0] - now) if self._heap else left
                self._cv.wait(max(wait, 0.001))

    def __len__(self) -> int:
        with self._cv:
            return len(self._heap)

    def clear(self) -> None:
        with self._cv:
            self._heap.clear()


LOCAL_QUEUE = LocalQueue()


def install() -> LocalQueue:
    """Webhook deliveries of this process go to LOCAL_QUEUE instead of SQS."""
    queues.install(LOCAL_QUEUE)
    return LOCAL_QUEUE


def run_local(stop: threading.Event, workers: int = 8) -> None:
    """Serve LOCAL_QUEUE until `stop` (devtools/serve.py and tests run it in a thread)."""
    install()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook") as pool:
        while not stop.is_set():
            m = LOCAL_QUEUE.take(0.2)
            if m is not None:
                pool.submit(_safe_process, m)


def _safe_process(m: dict[str, Any]) -> None:
    try:
        sending.process(m)
    except Exception:  # noqa: BLE001 - a dev loop logs, then retries later
        log.exception("webhook delivery failed; retrying in 5 s")
        LOCAL_QUEUE.send([dict(m, due=timestamp() + 5)])
