"""The background-job machinery (`chalicelib.jobs`) that large batches and exports
share: which job a queue message belongs to, another turn for unfinished work,
and the sweeper that finds what a lost message left behind."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from chalicelib.core.clock import iso, now
from chalicelib.store import jobs
from chalicelib.store.records import BatchModel


class Header:
    def __init__(self, done: bool) -> None:
        self.done = done


def job(field: str, turns: list[tuple[str, str]], done: bool = True,
        fail: set[str] | None = None, not_yet=jobs._never) -> jobs.Job:
    """A job kind whose `process` records each turn it is given."""
    def process(job_id: str, deadline: float | None) -> Header:
        turns.append((field, job_id))
        if job_id in (fail or set()):
            raise RuntimeError("this job is broken")
        return Header(done)

    return jobs.Job(field=field, model=BatchModel, process=process,
                    finished=lambda h: h.done, not_yet=not_yet)


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """The messages `enqueue` sends (deployed: to SQS)."""
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(jobs, "enqueue", lambda j, job_id: out.append((j.field, job_id)))
    return out


def test_a_message_is_handled_by_the_job_whose_field_it_carries(sent):
    turns: list[tuple[str, str]] = []
    kinds = [job("batch_id", turns), job("export_id", turns)]

    jobs.handle_message(kinds, json.dumps({"export_id": "exp_1"}), 5.0)

    assert turns == [("export_id", "exp_1")]
    assert sent == []  # finished: no further message


def test_an_unfinished_job_sends_itself_another_message(sent):
    turns: list[tuple[str, str]] = []

    jobs.handle_message([job("batch_id", turns, done=False)],
                        jobs.Job.message(job("batch_id", []), "bat_1"), 5.0)

    assert turns == [("batch_id", "bat_1")]
    assert sent == [("batch_id", "bat_1")]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"gift_id": "g"}', '{"batch_id": 7}'])
def test_a_message_no_job_owns_raises_so_it_reaches_the_dead_letter_queue(body, sent):
    turns: list[tuple[str, str]] = []

    with pytest.raises(ValueError, match="not a job message"):
        jobs.handle_message([job("batch_id", turns)], body, 5.0)
    assert turns == [] and sent == []


def _marker(job_id: str, age: timedelta, status: str = "async") -> None:
    BatchModel(id=jobs.PENDING, part=job_id, created_at=iso(now() - age), status=status,
               partner_id="ptn_jobs", campaign_id="cmp_jobs", count=1).save()


def test_the_sweeper_gives_old_markers_a_turn_and_leaves_young_ones_to_their_message(aws):
    old, young = f"bat_{uuid.uuid4().hex}", f"bat_{uuid.uuid4().hex}"
    _marker(old, timedelta(minutes=10))
    _marker(young, timedelta(seconds=5))
    turns: list[tuple[str, str]] = []

    finished = jobs.sweep([job("batch_id", turns)], max_seconds=10, min_age_seconds=120)

    assert ("batch_id", old) in turns and ("batch_id", young) not in turns
    assert finished == len(turns)  # every turn of these fake jobs finishes


def test_a_broken_job_does_not_stop_the_sweeper_and_is_not_counted_finished(aws):
    broken, fine = f"bat_{uuid.uuid4().hex}", f"bat_{uuid.uuid4().hex}"
    _marker(broken, timedelta(minutes=10))
    _marker(fine, timedelta(minutes=10))
    turns: list[tuple[str, str]] = []

    finished = jobs.sweep([job("batch_id", turns, fail={broken})], max_seconds=10)

    assert ("batch_id", broken) in turns and ("batch_id", fine) in turns
    assert finished == len(turns) - 1  # every turn finished but the broken one


def test_the_sweeper_leaves_a_job_its_kind_says_is_not_ready(aws):
    held = f"bat_{uuid.uuid4().hex}"
    _marker(held, timedelta(minutes=10), status="sync")
    turns: list[tuple[str, str]] = []

    jobs.sweep([job("batch_id", turns, not_yet=lambda m, age: m.status == "sync")],
               max_seconds=10)

    assert ("batch_id", held) not in turns
