"""One wall-clock deadline per delivery attempt (`outbound.post`): connecting,
sending and the whole answer. A receiver that drips its answer one byte at a time
is cut at the deadline and the attempt is a timeout with no response code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.delivery import outbound
from tests.helpers import DripReceiver, wait_until


@pytest.fixture
def drip() -> Iterator[DripReceiver]:
    receiver = DripReceiver(interval=0.1).start()
    yield receiver
    receiver.stop()


def _target(url: str) -> outbound.Target:
    return outbound.check_url(url, strict=False)


def test_a_dripping_answer_is_cut_at_the_deadline_and_has_no_code(drip: DripReceiver) -> None:
    # the whole answer takes len(ANSWER) x 0.1 s, far past the 0.5 s deadline; each
    # byte comes well within it, so a per-read timeout would never fire
    assert len(DripReceiver.answer) * drip.interval > 4 * 0.5
    got = outbound.post(_target(drip.url), {"Content-Type": "application/json"}, b"{}", 0.5)
    assert (got.ok, got.code, got.error) == (False, None, outbound.TIMEOUT)
    # the sender hung up before the receiver had sent its whole answer
    wait_until(lambda: drip.cut == 1, message=lambda: vars(drip))
    assert drip.finished == 0


def test_an_answer_within_the_deadline_is_read_whole(drip: DripReceiver) -> None:
    drip.interval = 0.0
    got = outbound.post(_target(drip.url), {}, b"{}", 30)
    assert (got.ok, got.code, got.error) == (True, 200, None)


def test_an_address_that_refuses_is_an_error_not_a_timeout() -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    got = outbound.post(_target(f"http://127.0.0.1:{port}/"), {}, b"{}", 30)
    assert got.ok is False and got.code is None
    assert got.error is not None and got.error.startswith("ConnectionRefusedError")
