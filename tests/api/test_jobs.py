"""The background-job sweeper (`chalicelib.store.jobs.sweep`) that finds what a lost
queue message left behind, over the pending markers stored in DynamoDB. How a
message is handled is in the unit tier (tests/unit/test_jobs.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from chalicelib.core.clock import iso, now
from chalicelib.store import jobs
from chalicelib.store.records import BatchModel
from tests.helpers import PATIENCE, recording_job

SWEEP = 5 * PATIENCE
"""The sweep's time budget here: ample (its fake jobs take no time), so on a busy
machine no marker is left out for want of time."""


def _marker(job_id: str, age: timedelta, status: str = "async") -> None:
    BatchModel(id=jobs.PENDING, part=job_id, created_at=iso(now() - age), status=status,
               partner_id="ptn_jobs", campaign_id="cmp_jobs", count=1).save()


def test_the_sweeper_gives_old_markers_a_turn_and_leaves_young_ones_to_their_message(
        aws, stopped_clock):
    old, young = f"bat_{uuid.uuid4().hex}", f"bat_{uuid.uuid4().hex}"
    _marker(old, timedelta(minutes=10))
    _marker(young, timedelta(seconds=5))
    turns: list[tuple[str, str]] = []

    finished = jobs.sweep([recording_job("batch_id", turns)], max_seconds=SWEEP,
                          min_age_seconds=120)

    assert ("batch_id", old) in turns and ("batch_id", young) not in turns
    assert finished == len(turns)  # every turn of these fake jobs finishes


def test_a_broken_job_does_not_stop_the_sweeper_and_is_not_counted_finished(aws):
    broken, fine = f"bat_{uuid.uuid4().hex}", f"bat_{uuid.uuid4().hex}"
    _marker(broken, timedelta(minutes=10))
    _marker(fine, timedelta(minutes=10))
    turns: list[tuple[str, str]] = []

    finished = jobs.sweep([recording_job("batch_id", turns, fail={broken})], max_seconds=SWEEP)

    assert ("batch_id", broken) in turns and ("batch_id", fine) in turns
    assert finished == len(turns) - 1  # every turn finished but the broken one


def test_the_sweeper_leaves_a_job_its_kind_says_is_not_ready(aws):
    held = f"bat_{uuid.uuid4().hex}"
    _marker(held, timedelta(minutes=10), status="sync")
    turns: list[tuple[str, str]] = []

    jobs.sweep([recording_job("batch_id", turns, not_yet=lambda m, age: m.status == "sync")],
               max_seconds=SWEEP)

    assert ("batch_id", held) not in turns
