"""The portal's Celery app for a test worker whose ranking runs are slow on purpose.

`celery -A tests.scoring.slow_celery worker` (see `workers.Worker(progress_delay=...)`): each
progress step of a ranking run sleeps TEST_RANKING_PROGRESS_DELAY seconds after it is
recorded, so a test can kill the worker mid-way, deterministically. The slowdown lives here,
in the tests, not in the service.
"""

import os
import time

from celery.signals import worker_init

from portal.celery import app

__all__ = ["app"]


@worker_init.connect
def _slow_down_ranking_progress(**_kwargs) -> None:
    import django

    django.setup()
    from scoring.services import ranking

    delay = float(os.environ.get("TEST_RANKING_PROGRESS_DELAY", "0"))
    report = ranking._report_progress

    def slow_report(*args, **kwargs) -> None:
        report(*args, **kwargs)
        time.sleep(delay)

    ranking._report_progress = slow_report
