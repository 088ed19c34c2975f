"""`make run`'s gateway patch: an unknown route is a problem+json 404, as the deployed
API Gateway answers."""

from __future__ import annotations

import json

import pytest


def test_unknown_route_patch_answers_404_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalice import Chalice
    from chalice.config import Config
    from chalice.local import LocalGateway

    from devtools.serve import patch_local_gateway

    # the patch is process-wide (chalice.test.Client uses LocalGateway too): undo it after
    monkeypatch.setattr(LocalGateway, "handle_request", LocalGateway.handle_request)
    monkeypatch.setattr(LocalGateway, "_rewards_patched",
                        getattr(LocalGateway, "_rewards_patched", False), raising=False)
    patch_local_gateway()
    demo = Chalice(app_name="t")

    @demo.route("/v1/here")
    def here() -> dict:
        return {}

    gateway = LocalGateway(demo, Config.create(chalice_app=demo))
    response = gateway.handle_request("DELETE", "/v1/not-here?a=b", {}, None)
    assert response["statusCode"] == 404
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["detail"] == "No route DELETE /v1/not-here"
