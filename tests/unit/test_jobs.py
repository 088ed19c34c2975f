"""The background-job machinery (`chalicelib.store.jobs`) that large batches and exports
share: which job a queue message belongs to, and another turn for unfinished work.
The sweeper, which reads the stored markers, is in the API tier (tests/api)."""

from __future__ import annotations

import json

import pytest

from chalicelib.store import jobs
from tests.helpers import recording_job


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """The messages `enqueue` sends (deployed: to SQS)."""
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(jobs, "enqueue", lambda j, job_id: out.append((j.field, job_id)))
    return out


def test_a_message_is_handled_by_the_job_whose_field_it_carries(sent):
    turns: list[tuple[str, str]] = []
    kinds = [recording_job("batch_id", turns), recording_job("export_id", turns)]

    jobs.handle_message(kinds, json.dumps({"export_id": "exp_1"}), 5.0)

    assert turns == [("export_id", "exp_1")]
    assert sent == []  # finished: no further message


def test_an_unfinished_job_sends_itself_another_message(sent):
    turns: list[tuple[str, str]] = []

    jobs.handle_message([recording_job("batch_id", turns, done=False)],
                        jobs.Job.message(recording_job("batch_id", []), "bat_1"), 5.0)

    assert turns == [("batch_id", "bat_1")]
    assert sent == [("batch_id", "bat_1")]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"gift_id": "g"}', '{"batch_id": 7}'])
def test_a_message_no_job_owns_raises_so_it_reaches_the_dead_letter_queue(body, sent):
    turns: list[tuple[str, str]] = []

    with pytest.raises(ValueError, match="not a job message"):
        jobs.handle_message([recording_job("batch_id", turns)], body, 5.0)
    assert turns == [] and sent == []
