"""The ranking task through a real Celery worker, on Redis, against PostgreSQL.

The worker is a subprocess (`celery -A portal worker --pool=solo`) consuming a queue of its
own, connected to the TEST database, so it sees what these tests commit
(`transactional_db`). One test lets it finish; the other kills it with SIGKILL mid-way
and checks that nothing partial is visible.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app
from scoring.enums import RunStatus
from scoring.models import RankingResult, RankingRun
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from scoring.tasks import compute_rankings

from .factories_ranking import competition

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): a worker process cannot "
               "share SQLite's in-memory test database"),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL,
                       reason="needs a broker (CELERY_BROKER_URL=redis://...)"),
]

ROOT = Path(settings.BASE_DIR)


def _test_database_url() -> str:
    """DATABASE_URL of the test database this session created."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class Worker:
    """A Celery worker subprocess on a queue of its own."""

    def __init__(self, tmp_path: Path, progress_delay: float = 0.0):
        self.queue = f"ranking-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        env = dict(os.environ, DATABASE_URL=_test_database_url(), CONN_MAX_AGE="0",
                   RANKING_PROGRESS_DELAY=str(progress_delay),
                   DJANGO_SETTINGS_MODULE="portal.settings", LOG_LEVEL="WARNING")
        self.log = tmp_path / "worker.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
             "--concurrency=1", "-Q", self.queue, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO", "-n", f"{self.queue}@%h"],
            cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True)

    def send(self, run: RankingRun) -> None:
        compute_rankings.apply_async(args=[run.edition_id, run.method],
                                     kwargs={"run_id": run.pk}, queue=self.queue)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def real_worker_mode():
    """The suite runs tasks in-process; here they go through the broker."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def _wait(run: RankingRun, worker: Worker, until, timeout: float = 90.0) -> list[tuple]:
    """Poll the run row until `until(run)`; returns every (status, progress) seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if not seen or seen[-1] != (run.status, run.progress):
            seen.append((run.status, run.progress))
        if until(run):
            return seen
        if worker.process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.output()}")
        time.sleep(0.05)
    pytest.fail(f"timed out; seen {seen}; worker log:\n{worker.output()}")


def test_compute_rankings_through_a_real_worker_stores_the_run(transactional_db,
                                                               real_worker_mode, tmp_path):
    game = competition(areas=2, entries_per_area=5, jurors=3,
                       score=lambda a, e, j, c: (9 - e + j + c) % 11)
    reference = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    run = ranking_run_create(edition=game.edition)
    worker = Worker(tmp_path, progress_delay=0.4)
    try:
        worker.send(run)
        seen = _wait(run, worker, lambda r: r.status in (RunStatus.SUCCEEDED,
                                                         RunStatus.FAILED))
    finally:
        worker.stop()
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The organiser's page saw it running, part-way, before it finished.
    assert any(status == RunStatus.RUNNING and 0 < progress < 100 for status, progress in seen)
    assert run.progress == 100
    assert run.fingerprint == reference.fingerprint
    columns = ("entry_id", "criterion_scores", "total", "rank", "place", "rank_confidence",
               "flags")
    assert list(run.results.order_by("entry_id").values_list(*columns)) == list(
        reference.results.order_by("entry_id").values_list(*columns))
    assert run.results.count() == 10


def test_compute_rankings_killed_mid_way_leaves_nothing_partial(transactional_db,
                                                                real_worker_mode, tmp_path):
    game = competition(areas=1, entries_per_area=6, jurors=3)
    run = ranking_run_create(edition=game.edition)
    worker = Worker(tmp_path, progress_delay=3.0)
    try:
        worker.send(run)
        # Each progress step sleeps 3 s in the worker: kill it while it ranks.
        _wait(run, worker, lambda r: r.status == RunStatus.RUNNING and r.progress >= 25)
        worker.kill()
    finally:
        worker.stop()
    run.refresh_from_db()
    assert run.status != RunStatus.SUCCEEDED
    assert RankingResult.objects.filter(run=run).count() == 0
    assert run.fingerprint == ""
    # Retrying the same run (what a redelivery of the task does) completes it.
    run = ranking_run_execute(run_id=run.pk)
    assert run.status == RunStatus.SUCCEEDED
    assert RankingResult.objects.filter(run=run).count() == 6
