"""Finding 2 (issue 21) through HTTP: one player's Idempotency-Key never reaches
another player's stored spin, and records kept under the old player keys before the
deploy still replay within their 24 hours (or are refused, never run twice)."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import assert_problem, ok

ALWAYS_WIN = {
    "segments": [{"id": "win", "label": "5.000d", "weight": 1, "prize": {"amount": 5_000}},
                 {"id": "none", "label": "Next time", "weight": 0, "prize": None}],
    "fallback_segment_id": "none"}


def _spins(api: Any, key: str, cid: str) -> list[dict]:
    return list(api.pages(f"/v1/campaigns/{cid}/spins", key=key))


def _as_before_issue_21(cid: str) -> None:
    """A campaign made before issue 21: players keyed by their id in clear."""
    from chalicelib.core import cache
    from chalicelib.store.models import CampaignModel

    CampaignModel(id=cid).update(actions=[CampaignModel.pkid.remove()])
    cache.clear_all()


def test_player_bob_with_key_k_hash_K_does_not_get_bob_hash_ks_spin(api, partner):
    key = partner["key"]
    for made_before_issue_21 in (False, True):
        c = api.wheel_campaign(key, ALWAYS_WIN, budget=1_000_000)
        if made_before_issue_21:
            _as_before_issue_21(c["id"])
        victim = ok(api.spin(api.player_token(key, c["id"], "bob#k"), idem="K"), 201)
        r = api.spin(api.player_token(key, c["id"], "bob"), idem="k#K")
        mine = ok(r, 201)
        assert r.headers.get("Idempotent-Replayed") is None
        assert mine["id"] != victim["id"] and mine["gift"]["code"] != victim["gift"]["code"]
        assert len(_spins(api, key, c["id"])) == 2


def _old_record(api: Any, partner_id: str, cid: str, player: str, idem: str,
                answer: dict) -> None:
    """What the code before issue 21 stored for a spin: `<p>#<c>#<player>#<key>`."""
    from chalicelib.core.clock import now
    from chalicelib.store import idempotency

    made = idempotency.claim(idem, partner_id, "POST", "/v1/play/spins", {}, b"{}",
                             "application/json", now())
    old = idempotency.Claim(pk=f"{partner_id}#{cid}#{player}#{idem}",
                            fingerprint=made.fingerprint, now=made.now)
    old.record(201, json.dumps(answer)).save()


def test_a_spin_retried_across_the_deploy_replays_its_old_record(api, partner):
    key = partner["key"]
    c = api.wheel_campaign(key, ALWAYS_WIN, budget=1_000_000)
    _as_before_issue_21(c["id"])
    token = api.player_token(key, c["id"], "zalo:84901234567")
    # a spin made before the deploy, whose answer was lost
    first = ok(api.spin(token, idem="made-before"), 201)
    _old_record(api, partner["id"], c["id"], "zalo:84901234567", "retry-1", first)

    r = api.spin(token, body={}, idem="retry-1")

    assert ok(r, 201) == first and r.headers.get("Idempotent-Replayed") == "true"
    assert len(_spins(api, key, c["id"])) == 1  # no second spin


def test_an_old_record_that_may_be_another_players_is_refused_not_run_again(api, partner):
    key = partner["key"]
    c = api.wheel_campaign(key, ALWAYS_WIN, budget=1_000_000)
    _as_before_issue_21(c["id"])
    # before the deploy, player "bob#k" spun with key "K": its old key is also
    # player "bob"'s with key "k#K"
    _old_record(api, partner["id"], c["id"], "bob#k", "K", {"id": "spn_secret"})

    r = api.spin(api.player_token(key, c["id"], "bob"), body={}, idem="k#K")

    assert_problem(r, 422, "idempotency_key_reused")
    assert "spn_secret" not in r.body.decode()
    assert _spins(api, key, c["id"]) == []
