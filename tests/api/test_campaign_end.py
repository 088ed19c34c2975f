"""A campaign past its planned end is marked ended by the sweeper (which makes its
`campaign.ended` event), once, and never one a PATCH ended or whose end is ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import Api, ok

FMT = "%Y-%m-%dT%H:%M:%SZ"


def _ending_in(api: Api, key: str, hours: int) -> tuple[str, datetime]:
    ends = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    return api.campaign(key, ends_at=ends.strftime(FMT))["id"], ends


def test_the_sweeper_marks_a_campaign_past_its_end_ended_at_its_planned_end(api: Api) -> None:
    from chalicelib.money import campaigns
    from chalicelib.store.keys import shard_keys
    from chalicelib.store.models import CampaignModel, ShardModel

    key = api.partner()["key"]
    cid, ends = _ending_in(api, key, 1)
    ahead, _ = _ending_in(api, key, 5)
    campaigns.end_passed(ends + timedelta(minutes=1))
    stored = CampaignModel.get(cid, consistent_read=True)
    assert stored.status == "ended" and stored.ended_at == ends.strftime(FMT)
    assert stored.end_open is None
    assert {s.status for s in ShardModel.batch_get(shard_keys(cid, int(stored.shards)))} == {
        "ended"}
    assert CampaignModel.get(ahead, consistent_read=True).status == "active"
    answer = ok(api.call("GET", f"/v1/campaigns/{cid}", key=key))
    assert answer["status"] == "ended" and answer["ended_at"] == ends.strftime(FMT)


def test_a_campaign_ended_by_patch_keeps_the_moment_it_was_ended(api: Api) -> None:
    from chalicelib.money import campaigns
    from chalicelib.store.models import CampaignModel

    key = api.partner()["key"]
    cid, ends = _ending_in(api, key, 1)
    ok(api.call("PATCH", f"/v1/campaigns/{cid}", {"status": "ended"}, key=key))
    patched = CampaignModel.get(cid, consistent_read=True)
    assert patched.end_open is None
    campaigns.end_passed(ends + timedelta(minutes=1))
    assert CampaignModel.get(cid, consistent_read=True).ended_at == patched.ended_at
    assert patched.ended_at < ends.strftime(FMT)


def test_the_scheduled_sweeper_runs_the_end_sweep(api: Api) -> None:
    from chalicelib.store.models import CampaignModel

    key = api.partner()["key"]
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    cid, _ = _ending_in(api, key, 1)
    # a campaign whose end has just passed, as the clock reaches it
    CampaignModel(id=cid).update(actions=[CampaignModel.ends_at.set(past.strftime(FMT))])
    tick = api.client.events.generate_cw_event("Scheduled Event", "aws.events", {}, [])
    api.client.lambda_.invoke("sweep_gift_batches", tick)
    assert CampaignModel.get(cid, consistent_read=True).status == "ended"
