"""The timed jobs of the app, run by the push sender's loop (`koroena serve` in-process, or
`koroena worker`): the one place where contexts that need a clock are composed, so the
push context does not depend on them."""

from __future__ import annotations

from datetime import timedelta

from backend.push.worker import TimedJob


async def _training_reminders() -> None:
    from backend.outreach.training import send_reminders

    await send_reminders()


# Each job is safe to run from several processes at once (it claims its own rows).
JOBS: tuple[TimedJob, ...] = (
    TimedJob("training_reminders", timedelta(minutes=15), _training_reminders),
)
