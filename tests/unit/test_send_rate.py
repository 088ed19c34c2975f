"""The sender's per-channel rate (`outreach.sender.TokenBucket`): a sender instance
takes its share of a channel's quota, one token deep, so N instances send at most
rate + N messages in any second and the rate on average."""

from __future__ import annotations

from chalicelib.outreach.sender import TokenBucket, amount_text, expires_text


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_bucket_spaces_reservations_by_its_rate_and_refuses_a_long_wait() -> None:
    clock = Clock()
    b = TokenBucket(10.0, clock=clock)
    assert b.reserve(1.0) == 0.0
    assert abs((b.reserve(1.0) or 0) - 0.1) < 1e-9
    assert abs((b.reserve(1.0) or 0) - 0.2) < 1e-9
    assert b.reserve(0.25) is None  # would wait 0.3 s: refused, nothing reserved
    clock.t += 0.31
    assert b.reserve(0.0) == 0.0


def test_sends_over_a_minute_never_exceed_the_rate_plus_one_in_any_second() -> None:
    clock = Clock()
    b = TokenBucket(14.0, clock=clock)
    sent: list[float] = []
    while clock.t < 160.0:  # a greedy sender: sends as soon as its token is there
        wait = b.reserve(5.0)
        assert wait is not None
        clock.t += wait
        sent.append(clock.t)
    for start in sent:
        assert sum(1 for s in sent if start <= s < start + 1.0) <= 15
    assert 14 * 60 - 1 <= len(sent) <= 14 * 60 + 1


def test_placeholders_read_well_in_each_locale() -> None:
    assert amount_text(200_000, "VND", "vi") == "200.000\u00a0₫"
    assert amount_text(200_000, "VND", "en") == "200,000\u00a0₫"
    assert amount_text(1999, "USD", "en") == "19.99\u00a0$"
    # a gift expiring at the local midnight that ends 31 Jan 2027 (UTC+7)
    assert expires_text("2027-01-31T17:00:00Z", "Asia/Ho_Chi_Minh", "en") == "31 Jan 2027"
    assert expires_text("2027-01-31T17:00:00Z", "Asia/Ho_Chi_Minh", "vi") == "31/01/2027"
