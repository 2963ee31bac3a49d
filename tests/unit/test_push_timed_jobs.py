"""The push sender's timed jobs (backend/scheduled.py): each runs on the first round and
then once per interval; a failing job is logged and does not stop the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.push.worker import PushWorker, TimedJob, WorkerConfig
from backend.scheduled import JOBS
from backend.settings import Settings

START = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


async def test_jobs_run_once_per_interval_and_a_failure_stops_nothing() -> None:
    ran: list[str] = []

    async def reminders() -> None:
        ran.append("reminders")

    async def broken() -> None:
        ran.append("broken")
        raise RuntimeError("database away")

    jobs = (
        TimedJob("broken", timedelta(minutes=5), broken),
        TimedJob("reminders", timedelta(minutes=15), reminders),
    )
    worker = PushWorker(WorkerConfig.from_settings(Settings()), name="t", jobs=jobs)
    await worker.run_due_jobs(START)
    assert ran == ["broken", "reminders"]
    await worker.run_due_jobs(START + timedelta(minutes=4))
    assert ran == ["broken", "reminders"]
    await worker.run_due_jobs(START + timedelta(minutes=6))
    assert ran == ["broken", "reminders", "broken"]
    await worker.run_due_jobs(START + timedelta(minutes=15))
    assert ran == ["broken", "reminders", "broken", "broken", "reminders"]


def test_the_app_schedules_the_training_reminders() -> None:
    assert [job.name for job in JOBS] == ["training_reminders"]
    assert JOBS[0].every <= timedelta(minutes=15)
