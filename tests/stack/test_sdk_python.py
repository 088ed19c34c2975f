"""The generated Python SDK (sdks/python, `make sdks`) runs the main flow against the
real `make run` stack: a campaign, an issue, a redemption, a typed problem, a spin,
the report, and a webhook delivery verified with the Standard Webhooks library."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from tests.helpers import running_stack, wait_until


@pytest.fixture
def hooks() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A webhook receiver on 127.0.0.1 that keeps what it gets."""
    got: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            got.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", got
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.timeout(180)
def test_the_python_sdk_runs_the_main_flow(tmp_path: Path, hooks) -> None:  # noqa: ANN001
    from rewards_sdk import AuthenticatedClient
    from rewards_sdk.api.campaigns import create_campaign
    from rewards_sdk.api.gifts import issue_gift, redeem_gift
    from rewards_sdk.api.reports import campaign_report
    from rewards_sdk.api.spin_the_wheel import mint_player_token, play_spin
    from rewards_sdk.api.webhooks import create_webhook_endpoint
    from rewards_sdk.models import (
        Campaign,
        CampaignCreate,
        CampaignCreateCurrency,
        Gift,
        GiftCreate,
        GiftIssuedEvent,
        PlayerToken,
        PlayerTokenCreate,
        Prize,
        Problem,
        RedeemRequest,
        RedeemResult,
        Report,
        Segment,
        Spin,
        SpinRequest,
        WebhookEndpoint,
        WebhookEndpointCreate,
        WheelConfig,
    )

    url, received = hooks
    with running_stack(tmp_path / "state", prefix="rewards-sdkpy") as stack:
        origin = stack.base.removesuffix("/v1")
        partner = AuthenticatedClient(base_url=origin, token=stack.demo()["key"])

        endpoint = create_webhook_endpoint.sync(client=partner, body=WebhookEndpointCreate(
            url=url, events=["gift.issued"]))
        assert isinstance(endpoint, WebhookEndpoint) and endpoint.secret

        wheel = WheelConfig(segments=[
            Segment(id="win", label="10.000d", weight=1, prize=Prize(amount=10_000)),
            Segment(id="none", label="Next time", weight=0, prize=None)],
            fallback_segment_id="none")
        campaign = create_campaign.sync(client=partner, body=CampaignCreate(
            name="SDK flow", currency=CampaignCreateCurrency.VND, budget=1_000_000,
            ends_at=datetime.now(UTC) + timedelta(days=7), wheel=wheel))
        assert isinstance(campaign, Campaign), campaign

        gift = issue_gift.sync(campaign.id, client=partner, body=GiftCreate(amount=50_000),
                               idempotency_key=str(uuid.uuid4()))
        assert isinstance(gift, Gift) and gift.balance == 50_000
        redeemed = redeem_gift.sync(gift.code, client=partner,
                                    body=RedeemRequest(amount=20_000),
                                    idempotency_key=str(uuid.uuid4()))
        assert isinstance(redeemed, RedeemResult) and redeemed.gift.balance == 30_000

        # a typed problem: the answer is a Problem with its stable code
        too_much = redeem_gift.sync_detailed(gift.code, client=partner,
                                             body=RedeemRequest(amount=999_999),
                                             idempotency_key=str(uuid.uuid4()))
        assert too_much.status_code == 422
        assert isinstance(too_much.parsed, Problem)
        assert too_much.parsed.code == "insufficient_balance"
        assert too_much.headers["RateLimit"].startswith('"default";r=')

        token = mint_player_token.sync(campaign.id, client=partner,
                                       body=PlayerTokenCreate(player_id="zalo:84900000001"))
        assert isinstance(token, PlayerToken)
        player = AuthenticatedClient(base_url=origin, token=token.token)
        spin = play_spin.sync_detailed(client=player, body=SpinRequest(),
                                       idempotency_key=str(uuid.uuid4()))
        assert spin.status_code == 201 and isinstance(spin.parsed, Spin)
        assert spin.parsed.prize is not None and spin.parsed.prize.amount == 10_000
        assert '"player";r=' in spin.headers["RateLimit"]

        report = campaign_report.sync(campaign.id, client=partner)
        assert isinstance(report, Report)
        assert report.gifts.issued.count == 2  # the issued one and the won one
        assert report.spins.count == 1

        # the deliveries verify with the Standard Webhooks library, and parse typed
        wait_until(lambda: len(received) >= 2, 60, message=lambda: received)
        for headers, body in received:
            event = GiftIssuedEvent.from_dict(Webhook(endpoint.secret).verify(body, headers))
            assert event.data.campaign_id == campaign.id
        assert {json.loads(b)["data"]["id"] for _, b in received} >= {gift.id}
