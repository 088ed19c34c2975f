"""Webhooks' pure rules: signing, the backoff schedule, the SSRF guard, event ids,
the CLI's verifier and SQS's delay cap (hypothesis where a rule is over all inputs)."""

from __future__ import annotations

import ipaddress
import json
import random
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.core import errors
from chalicelib.delivery import events, outbound, sending, signing
from rewards_cli import webhook_verify

# ------------------------------------------------------------------ signing


@given(st.binary(max_size=2000), st.text(min_size=1, max_size=60),
       st.integers(min_value=1_000_000_000, max_value=4_000_000_000))
def test_signature_verifies_with_its_secret_and_no_other(body: bytes, secret: str, t: int
                                                         ) -> None:
    header = signing.signature([secret], t, body)
    assert header.startswith(f"t={t},v1=")
    assert signing.verify(header, body, secret, now=t)
    assert webhook_verify.verify(header, body, secret, now=t)
    assert not signing.verify(header, body, secret + "x", now=t)
    assert not webhook_verify.verify(header, body, secret + "x", now=t)
    assert not signing.verify(header, body + b"!", secret, now=t)


def test_signature_is_hmac_sha256_of_t_dot_body() -> None:
    import hashlib
    import hmac

    body = b'{"id":"evt_1"}'
    want = hmac.new(b"whsec_a", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signing.signature(["whsec_a"], 1700000000, body) == f"t=1700000000,v1={want}"


def test_one_v1_per_active_secret_and_either_verifies() -> None:
    header = signing.signature(["new", "old"], 1700000000, b"{}")
    assert header.count("v1=") == 2
    for secret in ("new", "old"):
        assert webhook_verify.verify(header, b"{}", secret, now=1700000000)


@pytest.mark.parametrize("skew", [-301, 301, 10_000])
def test_stale_or_future_timestamps_fail(skew: int) -> None:
    header = signing.signature(["s"], 1700000000, b"{}")
    assert not webhook_verify.verify(header, b"{}", "s", now=1700000000 + skew)
    assert webhook_verify.verify(header, b"{}", "s", now=1700000000 + 299)


@pytest.mark.parametrize("header", ["", "v1=abc", "t=x,v1=abc", "t=1,t=2,v1=a", "garbage"])
def test_malformed_headers_fail(header: str) -> None:
    assert not webhook_verify.verify(header, b"{}", "s", now=1)
    assert not signing.verify(header, b"{}", "s", now=1)


# ------------------------------------------------------------------ Standard Webhooks


def _library_sign(secret: str, msg_id: str, t: int, body: bytes) -> str:
    from standardwebhooks import Webhook

    return Webhook(secret).sign(msg_id, datetime.fromtimestamp(t, UTC), body.decode())


def test_new_secrets_are_whsec_base64_of_32_bytes_the_library_reads() -> None:
    import base64

    from standardwebhooks import Webhook

    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret[6:], validate=True)
    assert len(key) == 32 and signing.standard_key(secret) == key
    assert Webhook(secret)._whsecret == key


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
               min_size=1, max_size=60))
def test_the_key_of_any_secret_is_the_one_the_library_takes(body: str) -> None:
    """Old secrets are URL-safe base64: the library reads some of them (leniently)
    and refuses the others; ours signs exactly those it reads, with its key."""
    from standardwebhooks import Webhook

    try:
        library: bytes | None = Webhook("whsec_" + body)._whsecret
    except (ValueError, Exception):  # noqa: BLE001 - binascii.Error, empty secret
        library = None
    assert signing.standard_key("whsec_" + body) == library


@given(st.binary(max_size=500).map(lambda b: b.hex().encode()),
       st.integers(min_value=1_000_000_000, max_value=4_000_000_000))
def test_standard_signature_is_the_librarys_for_each_secret(body: bytes, t: int) -> None:
    new, old = signing.new_secret(), signing.new_secret()
    header = signing.standard_signature([new, old], "evt_1", t, body)
    assert header.split(" ") == [_library_sign(new, "evt_1", t, body),
                                 _library_sign(old, "evt_1", t, body)]


def test_a_secret_the_library_cannot_read_adds_no_standard_headers() -> None:
    assert signing.standard_key("whsec_right") is None
    assert signing.standard_headers(["whsec_right"], "evt_1", 1, b"{}") == {}
    both = signing.standard_headers(["whsec_right", signing.new_secret()], "evt_1", 1, b"{}")
    assert both["webhook-id"] == "evt_1" and both["webhook-timestamp"] == "1"
    assert both["webhook-signature"].count("v1,") == 1


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 7 ", 7.0), ("0", 0.0), ("", None), (None, None), ("soon", None),
    ("-5", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 60.0),
    ("Wed, 21 Oct 2015 07:26:00 GMT", 0.0)])
def test_retry_after_is_seconds_or_an_http_date(value: str | None, seconds: float | None
                                                ) -> None:
    now = datetime(2015, 10, 21, 7, 27, tzinfo=UTC).timestamp()
    assert outbound.retry_after_seconds(value, now) == seconds


@pytest.mark.parametrize(("code", "asked", "waits_for_it"), [
    (429, 3600.0, True), (503, 3600.0, True), (500, 60.0, True), (400, 3600.0, False),
    (404, 3600.0, False), (503, None, False)])
def test_retry_after_of_a_429_or_5xx_delays_the_retry(code: int, asked: float | None,
                                                      waits_for_it: bool) -> None:
    tuning = sending.Tuning(backoff_base=1.0, backoff_cap=2.0)
    delay = sending.retry_delay(1, outbound.Outcome(False, code, 5, None, asked), tuning)
    assert (asked is not None and delay >= asked) == waits_for_it and delay >= 0.5


def test_retry_after_is_capped_at_six_hours() -> None:
    tuning = sending.Tuning(backoff_base=1.0, backoff_cap=2.0)
    outcome = outbound.Outcome(False, 429, 5, None, 10 * 24 * 3600.0)
    assert sending.retry_delay(1, outcome, tuning) == sending.RETRY_AFTER_CAP == 6 * 3600


# ------------------------------------------------------------------ backoff


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=2**32))
def test_backoff_is_exponential_capped_and_jittered(attempt: int, seed: int) -> None:
    base, cap = 30.0, 6 * 3600.0
    delay = sending.backoff_delay(attempt, base, cap, random.Random(seed))
    step = min(cap, base * 2 ** (attempt - 1))
    assert step / 2 <= delay <= step


def test_backoff_schedule_retries_for_at_least_three_days_then_stops() -> None:
    tuning = sending.Tuning()
    rng = random.Random(7)
    elapsed, attempts = 0.0, 1
    while elapsed < tuning.retry_window:  # process() retries while younger than the window
        elapsed += sending.backoff_delay(attempts, tuning.backoff_base, tuning.backoff_cap,
                                          rng)
        attempts += 1
    assert elapsed >= 3 * 24 * 3600
    assert 15 <= attempts <= 40  # the first within a minute, then at most 6 h apart


# ------------------------------------------------------------------ SSRF


def _resolver(*addresses: str):
    return lambda host, port: list(addresses)


REFUSED_EVERYWHERE = ["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "10.0.0.7",
                      "172.16.3.4", "192.168.1.1", "100.100.100.200", "0.0.0.0", "::",
                      "fe80::1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
                      "2002:a9fe:a9fe::1", "224.0.0.1", "fc00::1", "100.64.0.1"]


@pytest.mark.parametrize("address", REFUSED_EVERYWHERE)
@pytest.mark.parametrize("strict", [True, False])
def test_private_link_local_and_metadata_refused_everywhere(address: str, strict: bool) -> None:
    with pytest.raises(errors.WebhookUrlNotAllowed) as refused:
        outbound.check_url("https://hooks.example.com/x", strict=strict,
                           resolve=_resolver(address))
    # the refusal names the kind of address, never the address the host resolved to:
    # a partner must not learn what an internal name resolves to (a DNS oracle)
    assert address not in refused.value.detail
    assert str(ipaddress.ip_address(address)) not in refused.value.detail
    assert "hooks.example.com" in refused.value.detail


@pytest.mark.parametrize("address", ["127.0.0.1", "127.9.9.9", "::1"])
def test_loopback_only_on_the_local_stack(address: str) -> None:
    target = outbound.check_url("http://localhost:8123/hook?x=1", strict=False,
                                resolve=_resolver(address))
    assert (target.port, target.path, target.addresses) == (8123, "/hook?x=1", (address,))
    with pytest.raises(errors.WebhookUrlNotAllowed):
        outbound.check_url("https://localhost/hook", strict=True, resolve=_resolver(address))


def test_every_resolved_address_is_checked() -> None:
    with pytest.raises(errors.WebhookUrlNotAllowed, match="resolves to a cloud metadata address: "):
        outbound.check_url("https://hooks.example.com/", strict=True,
                           resolve=_resolver("93.184.216.34", "169.254.169.254"))
    target = outbound.check_url("https://hooks.example.com/", strict=True,
                                resolve=_resolver("93.184.216.34", "2606:2800:220:1::1"))
    assert target.addresses == ("93.184.216.34", "2606:2800:220:1::1")


@pytest.mark.parametrize("url", ["http://hooks.example.com/", "ftp://hooks.example.com/",
                                 "https://user:pw@hooks.example.com/", "https:///nohost",
                                 "https://hooks.example.com/a b", "https://[::1/"])
def test_deployed_urls_are_https_with_a_host_and_no_credentials(url: str) -> None:
    with pytest.raises(errors.WebhookUrlNotAllowed):
        outbound.check_url(url, strict=True, resolve=_resolver("93.184.216.34"))


def test_unresolvable_host_is_refused() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(errors.WebhookUrlNotAllowed, match="does not resolve"):
        outbound.check_url("https://nope.invalid/", strict=True, resolve=fail)


@given(st.ip_addresses())
def test_any_address_is_allowed_only_if_global(ip: ipaddress.IPv4Address | ipaddress.IPv6Address
                                               ) -> None:
    why = outbound.address_refusal(ip, allow_loopback=False)
    inner = outbound._embedded_v4(ip)
    if why is None:
        assert inner.is_global and not inner.is_link_local and inner not in outbound.METADATA
    if inner.is_link_local or inner in outbound.METADATA or inner.is_private:
        assert why is not None
        assert outbound.address_refusal(ip, allow_loopback=True) is not None or \
            inner.is_loopback


# ------------------------------------------------------------------ event ids


AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def test_event_ids_are_derived_from_their_cause_and_instant() -> None:
    a = events.event_id("gift.redeemed:gft_1:50000:30000", AT)
    assert a == events.event_id("gift.redeemed:gft_1:50000:30000", AT)
    assert a != events.event_id("gift.redeemed:gft_1:30000:10000", AT)
    assert a.startswith("evt_") and len(a) == 30


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2400, 1, 1),
                    timezones=st.just(UTC)),
       st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2400, 1, 1),
                    timezones=st.just(UTC)), st.text(), st.text())
def test_event_ids_sort_as_their_instants(a: datetime, b: datetime, x: str, y: str) -> None:
    """An event list is newest first by id: ids in different milliseconds sort as
    their instants, whatever caused them."""
    ia, ib = events.event_id(x, a), events.event_id(y, b)
    ms_a, ms_b = int(a.timestamp() * 1000), int(b.timestamp() * 1000)
    if ms_a != ms_b:
        assert (ia < ib) == (ms_a < ms_b)


@given(st.text(max_size=40))
def test_any_event_id_names_one_of_the_slices(eid: str) -> None:
    from chalicelib.store import keys

    assert 0 <= keys.event_slice(eid) < keys.EVENT_SLICES


# ------------------------------------------------------------------ the CLI's receiver


def test_webhook_listen_prints_verified_events_and_refuses_bad_or_stale_ones() -> None:
    import io
    import json
    import threading
    import time
    import urllib.error
    import urllib.request

    out = io.StringIO()
    server = webhook_verify.make_server(0, "whsec_right", out=out)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    def send(secret: str, t: int, event_id: str = "evt_1") -> int:
        body = json.dumps({"id": event_id, "type": "gift.issued", "campaign_id": "cmp_1",
                           "data": {"id": "gft_1"}}).encode()
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Rewards-Signature": signing.signature([secret], t, body),
            "Rewards-Event-Id": event_id, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    try:
        now = int(time.time())
        assert send("whsec_right", now) == 200
        assert send("whsec_right", now) == 200  # a redelivery: acknowledged, printed once
        assert send("whsec_wrong", now, "evt_2") == 400
        assert send("whsec_right", now - 301, "evt_3") == 400  # stale
        lines = out.getvalue().splitlines()
        assert [json.loads(line)["id"] for line in lines] == ["evt_1"]
        assert json.loads(lines[0])["data"] == {"id": "gft_1"}
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_listen_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rewards_cli.__main__ import main

    monkeypatch.delenv("REWARDS_WEBHOOK_SECRET", raising=False)
    err = io.StringIO()
    assert main(["webhook-listen", "--port", "0"], err=err) == 2
    assert "--secret" in err.getvalue()


def test_event_types_agree_everywhere() -> None:
    import re
    import typing

    from chalicelib import schemas

    assert set(typing.get_args(schemas.EventType)) == set(events.TYPES)
    pattern = typing.get_args(schemas.EventFilter)[1].pattern  # msgspec uses re.search
    assert all(re.search(pattern, t) for t in (*events.TYPES, "*"))
    assert not [t for t in ("gift.sold", "giftXissued", "gift.issued\n", "**", "")
                if re.search(pattern, t)]


class FakeSqs:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict]) -> dict:  # noqa: N803
        assert len(Entries) <= 10
        self.sent += Entries
        return {"Successful": [{"Id": e["Id"]} for e in Entries]}


def _event(eid: str) -> Any:
    return events.new_event(eid, "gift.issued", "ptn_a", "cmp_a", {"id": "gft_a"}, AT)


def test_sqs_delays_are_capped_at_900_s_and_longer_waits_go_round_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.delivery import queues, sending

    sqs = queues.SqsQueue.__new__(queues.SqsQueue)
    sqs.url, sqs.client = "https://sqs/q", FakeSqs()
    now = time.time()
    sqs.send([dict(queues.message(_event("evt_a"), "whe_a", now), due=now + d)
              for d in (0, 30, 899, 5000)] + [queues.message(_event(f"evt_{i}"), "whe_a", now)
                                              for i in range(8)])
    delays = [e["DelaySeconds"] for e in sqs.client.sent]
    assert delays[:4] == [0, 29, 898, 900] or delays[:4] == [0, 30, 899, 900]
    assert len(delays) == 12
    # a message received before it is due is sent round again, not delivered
    monkeypatch.setattr(queues, "queue", lambda: sqs)
    early = dict(queues.message(_event("evt_b"), "whe_b", now), due=now + 3000)
    assert sending.process(early) == "waiting"
    assert json.loads(sqs.client.sent[-1]["MessageBody"]) == early
    assert sqs.client.sent[-1]["DelaySeconds"] == 900
