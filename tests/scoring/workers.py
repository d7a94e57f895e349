"""A real Celery worker (and, where a test needs to restart it, a broker of its own) as
subprocesses, for the integration tests of the ranking task.

The worker is `celery -A portal worker --pool=solo`, connected to the TEST database, so it
sees what the tests commit (`transactional_db`); with a `progress_delay` it is the tests' own
app, `tests.scoring.slow_celery`, whose ranking runs sleep at each progress step. `Broker` is
a private redis-server on a free port that a test may stop and start again, without
disturbing the shared Redis the rest of the suite uses.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app
from scoring.enums import RunStatus
from scoring.models import RankingResult, RankingRun
from scoring.tasks import compute_rankings

ROOT = Path(settings.BASE_DIR)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def test_database_url() -> str:
    """DATABASE_URL of the test database this session created."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A redis-server of the test's own that keeps nothing on disk, like the production
    broker configured without persistence: a restart loses every message it held."""

    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = tmp_path / f"redis-{self.port}.log"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Stop it at once, like a crash or a restart of its container."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    @contextmanager
    def _connection(self):
        with app.connection_for_write(self.url) as conn:
            # Declared here, as a producer of ours would: a broker restarted empty has
            # forgotten the queue the worker declared, and Redis drops a message sent to a
            # queue nobody declared.
            app.amqp.queues["celery"].bind(conn.default_channel).declare()
            yield conn

    def send(self, run: RankingRun) -> None:
        """What `ranking_run_start` sends for `run`, to this broker's default queue."""
        with self._connection() as conn:
            compute_rankings.apply_async(args=[run.edition_id, run.method],
                                         kwargs={"run_id": run.pk}, connection=conn)

    def send_task(self, name: str) -> None:
        """A task by name with no arguments, as Celery beat sends it."""
        with self._connection() as conn:
            app.send_task(name, connection=conn)

    def queued_messages(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


class Worker:
    """A Celery worker subprocess. On the shared broker it consumes a queue of its own;
    with a `Broker` of its own it consumes the default queue there (where the beat job
    sends the tasks it hands over)."""

    def __init__(self, tmp_path: Path, progress_delay: float = 0.0,
                 broker: Broker | None = None):
        self.broker = broker
        self.queue = "celery" if broker else \
            f"ranking-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = dict(os.environ, DATABASE_URL=test_database_url(), CONN_MAX_AGE="0",
                        TEST_RANKING_PROGRESS_DELAY=str(progress_delay),
                        DJANGO_SETTINGS_MODULE="portal.settings", LOG_LEVEL="WARNING")
        # a slowed run (each progress step sleeps) is the tests' own app, not the portal's
        celery_app = "tests.scoring.slow_celery" if progress_delay else "portal"
        if broker:
            self.env["CELERY_BROKER_URL"] = broker.url
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:8]}.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", celery_app, "worker", "--pool=solo",
             "--concurrency=1", "-Q", self.queue, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO",
             "-n", f"ranking-test-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True)

    def send(self, run: RankingRun) -> None:
        """What `ranking_run_start` sends, for `run`."""
        if self.broker:
            self.broker.send(run)
        else:
            compute_rankings.apply_async(args=[run.edition_id, run.method],
                                         kwargs={"run_id": run.pk}, queue=self.queue)

    def send_task(self, name: str) -> None:
        """A task by name with no arguments, as Celery beat sends it."""
        if self.broker:
            self.broker.send_task(name)
        else:
            app.send_task(name, queue=self.queue)

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until the worker says it is ready (its queue is declared on the broker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped:\n{self.output()}")
            time.sleep(0.1)
        pytest.fail(f"the worker did not get ready:\n{self.output()}")

    def wait_connected(self, times: int, timeout: float = 60.0) -> None:
        """Until the worker has connected to its broker `times` times in all (it says so
        each time it connects again after losing the broker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_bytes().count(b"Connected to redis://") >= times:
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped:\n{self.output()}")
            time.sleep(0.1)
        pytest.fail(f"the worker did not connect {times} times:\n{self.output()}")

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


def wait_for(run: RankingRun, worker: Worker, until, timeout: float = 90.0) -> list[tuple]:
    """Poll the run until `until(run)`; returns every (status, progress) seen. On every
    poll, what the organiser's page could see is checked: no result row of a run that has
    not succeeded (the rows are counted before the status is read, so a commit landing
    between the two reads cannot look partial)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        results = RankingResult.objects.filter(run=run).count()
        run.refresh_from_db()
        if results and run.status != RunStatus.SUCCEEDED:
            pytest.fail(f"a partial run was visible: {results} results while {run.status}")
        if not seen or seen[-1] != (run.status, run.progress):
            seen.append((run.status, run.progress))
        if until(run):
            return seen
        if worker.process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.output()}")
        time.sleep(0.05)
    pytest.fail(f"timed out; seen {seen}; worker log:\n{worker.output()}")


ON_POSTGRESQL = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): a worker process cannot share "
           "SQLite's in-memory test database")
WITH_BROKER = pytest.mark.skipif(not settings.CELERY_BROKER_URL,
                                 reason="needs a broker (CELERY_BROKER_URL=redis://...)")
