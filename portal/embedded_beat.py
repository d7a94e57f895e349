"""The beat's schedule run inside the server's process, for the embedded mode.

Without a broker (CELERY_TASK_ALWAYS_EAGER) there is no Celery beat either, and nothing
would move an edition's phase when its date passes, tell jurors of new assignments or remind
officers of a deadline. `manage.py runserver_embedded` (what `make run` starts) runs the same
CELERY_BEAT_SCHEDULE in a thread of its own: each entry when its schedule says it is due
(Celery's own schedule objects decide, as beat's do), the task executed in-process. Every
periodic task is idempotent, so a restart that runs one again early does no harm. In
production, beat and the worker do this; this thread never starts where a broker is set."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections

from .celery import app

log = logging.getLogger(__name__)


class EmbeddedBeat(threading.Thread):
    """A daemon thread that runs `schedule` (CELERY_BEAT_SCHEDULE's form) every `tick`
    seconds; `due` and `run_due` do one round, for a test to drive."""

    def __init__(self, schedule: dict, *, tick: float = 30.0, now: dt.datetime | None = None):
        super().__init__(name="embedded-beat", daemon=True)
        self.tick = tick
        started = now or app.now()
        self.entries = {name: maybe_schedule(entry["schedule"], app=app)
                        for name, entry in schedule.items()}
        self.tasks = {name: entry["task"] for name, entry in schedule.items()}
        # as Celery beat does: an interval counts from the start, a crontab from its time
        self.last_run = dict.fromkeys(schedule, started)
        self.stopping = threading.Event()
        app.loader.import_default_modules()  # every app's tasks.py, as a worker does

    def due(self, at: dt.datetime) -> list[str]:
        due = []
        for name, schedule in self.entries.items():
            schedule.nowfun = lambda at=at: at
            if schedule.is_due(self.last_run[name]).is_due:
                due.append(name)
        return due

    def run_due(self, at: dt.datetime | None = None) -> list[str]:
        """Run every entry that is due at `at`; a failing task is logged, the others run."""
        at = at or app.now()
        ran = self.due(at)
        for name in ran:
            self.last_run[name] = at
            try:
                app.tasks[self.tasks[name]].apply(throw=True)
            except Exception:
                log.exception("embedded beat: %s failed", name)
        return ran

    def run(self) -> None:
        while not self.stopping.wait(self.tick):
            self.run_due()
            close_old_connections()  # this thread's own, as a request's end does

    def stop(self) -> None:
        self.stopping.set()


def embedded_beat_start() -> EmbeddedBeat | None:
    """Start the thread when tasks run in-process and EMBEDDED_BEAT is on; else nothing."""
    if not (settings.CELERY_TASK_ALWAYS_EAGER and settings.EMBEDDED_BEAT):
        return None
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
    beat.start()
    return beat
