"""A webhook receiver that misbehaves on purpose: on 127.0.0.1, it reads the request,
then sends a complete `200 OK` answer one byte every `interval` seconds (as the
review's slowloris receiver did), counting connections and noting which were cut
by the sender before the answer was whole."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import ClassVar

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


@dataclass
class DripReceiver:
    answer: ClassVar[bytes] = ANSWER
    interval: float = 0.2
    connections: int = 0
    cut: int = 0  # connections the sender closed before the whole answer was sent
    finished: int = 0  # connections that got the whole answer
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _sock: socket.socket | None = None

    def start(self) -> DripReceiver:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._sock is not None
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/hooks"

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                for i in range(len(ANSWER)):
                    if self._stop.wait(self.interval):
                        return
                    conn.sendall(ANSWER[i:i + 1])
            except OSError:  # the sender hung up: a cut attempt
                with self._lock:
                    self.cut += 1
                return
            with self._lock:
                self.finished += 1

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
