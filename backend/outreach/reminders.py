"""The day-before training reminder, run from cron or a systemd timer (decision 0017):

    .venv/bin/python -m backend.outreach.reminders

It reads the same settings as the app (KOROENA_*), queues a reminder for every training
that starts within the next 24 hours and has not been reminded yet (to everyone seated),
prints how many trainings were reminded and exits. The push sender (`koroena serve`, or
`koroena worker`) delivers them. Safe to run as often as wanted and from several machines
at once: each training is reminded once. Every 15 minutes is plenty, e.g. in crontab:

    */15 * * * *  cd /srv/koroena && .venv/bin/python -m backend.outreach.reminders
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from backend.db import connected, ensure_current
from backend.outreach.training import send_reminders
from backend.settings import Settings


async def run_once(settings: Settings, now: datetime | None = None) -> int:
    """Trainings reminded in this run."""
    async with connected(settings):
        await ensure_current()
        return await send_reminders(now)


def main() -> int:
    count = asyncio.run(run_once(Settings.from_env()))
    sys.stdout.write(f"Pengingat pelatihan dikirim untuk {count} pelatihan.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
