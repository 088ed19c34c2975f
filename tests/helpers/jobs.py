"""A job kind for the background-job machinery's tests: it records each turn the
machinery gives it, and can be told to fail, to stay unfinished, or to wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Header:
    """What a job's `process` returns: whether the job is done."""

    def __init__(self, done: bool) -> None:
        self.done = done


def recording_job(field: str, turns: list[tuple[str, str]], done: bool = True,
                  fail: set[str] | None = None,
                  not_yet: Callable[[Any, float], bool] | None = None) -> Any:
    """A job kind whose `process` appends (field, job id) to `turns` for each turn it
    is given, raises for the ids in `fail`, and reports `done`."""
    from chalicelib.store import jobs
    from chalicelib.store.records import BatchModel

    def process(job_id: str, deadline: float | None) -> Header:
        turns.append((field, job_id))
        if job_id in (fail or set()):
            raise RuntimeError("this job is broken")
        return Header(done)

    return jobs.Job(field=field, model=BatchModel, process=process,
                    finished=lambda h: h.done, not_yet=not_yet or jobs._never)
