"""`make run`'s delivery queue is fair: partners are served in turn, one partner
holds at most `share` senders, and within a partner its endpoints take turns."""

from __future__ import annotations

from devtools.local_queue import LocalQueue


def msg(partner: str, endpoint: str, n: int, due: float = 0.0) -> dict:
    return {"partner_id": partner, "endpoint_id": endpoint, "n": n, "due": due}


def taken(q: LocalQueue, count: int) -> list[dict]:
    out = []
    for _ in range(count):
        m = q.take(0.0)
        if m is None:
            break
        out.append(m)
    return out


def test_another_partners_message_is_taken_before_a_backlog_it_came_after() -> None:
    q = LocalQueue(share=4)
    q.send([msg("slow", f"e{i % 8}", i) for i in range(48)])
    q.send([msg("fast", "f", 0)])
    first = taken(q, 2)
    assert [m["partner_id"] for m in first] == ["slow", "fast"]


def test_a_partner_holds_at_most_its_share_until_it_is_done_with_one() -> None:
    q = LocalQueue(share=2)
    q.send([msg("slow", "e", i) for i in range(10)])
    held = taken(q, 5)
    assert len(held) == 2  # the rest waits, though threads are free
    q.done(held[0])
    assert [m["n"] for m in taken(q, 5)] == [2]
    assert len(q) == 7


def test_a_partners_endpoints_take_turns() -> None:
    q = LocalQueue(share=100)
    q.send([msg("p", "busy", i) for i in range(5)] + [msg("p", "quiet", 99)])
    assert [m["endpoint_id"] for m in taken(q, 3)] == ["busy", "quiet", "busy"]


def test_a_message_waits_until_it_is_due() -> None:
    q = LocalQueue()
    q.send([msg("p", "e", 0, due=4_000_000_000.0)])
    assert q.take(0.0) is None and len(q) == 1
