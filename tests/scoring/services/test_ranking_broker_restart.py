"""The ranking task survives its broker restarting and its worker dying.

Each test has a redis-server of its own (`workers.Broker`, no persistence, like the
production broker in docker-compose) that it kills and starts again, a real worker
subprocess on it, and the TEST database on PostgreSQL. What must hold each time: the run is
computed in the end, with the same results as a run that nothing disturbed (same input
fingerprint, same ranks and places), and no partial run is ever visible.
"""

import datetime as dt
import time

import pytest
from django.utils import timezone

from scoring.enums import RunStatus
from scoring.models import RankingResult, RankingRun
from scoring.services.ranking import ranking_run_create, ranking_run_execute

from ..factories_ranking import competition
from ..workers import ON_POSTGRESQL, Broker, Worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.race, ON_POSTGRESQL,
              pytest.mark.usefixtures("transactional_db", "real_worker_mode")]

BEAT_JOB = "scoring.tasks.requeue_stale_ranking_runs"
RESULT_COLUMNS = ("entry_id", "criterion_scores", "total", "rank", "place",
                  "rank_confidence", "flags")
FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED)


@pytest.fixture
def broker(tmp_path):
    broker = Broker(tmp_path)
    yield broker
    broker.stop()


@pytest.fixture
def game():
    return competition(areas=2, entries_per_area=4, jurors=3,
                       score=lambda a, e, j, c: (7 + 2 * e - j + c) % 11)


@pytest.fixture
def reference(game):
    """The run that nothing disturbed, computed in this process."""
    return ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)


def results(run: RankingRun) -> list[tuple]:
    return list(run.results.order_by("entry_id").values_list(*RESULT_COLUMNS))


def assert_same_as_reference(run: RankingRun, reference: RankingRun) -> None:
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.fingerprint == reference.fingerprint
    assert results(run) == results(reference)


def age(run: RankingRun) -> None:
    """Make the run look as old as the beat job's threshold (the task's hard time limit
    plus ten minutes) without waiting for it."""
    long_ago = timezone.now() - dt.timedelta(hours=2)
    RankingRun.objects.filter(pk=run.pk, started_at__isnull=False).update(
        started_at=long_ago)
    RankingRun.objects.filter(pk=run.pk).update(created_at=long_ago)


def beat_job_computes(run: RankingRun, worker: Worker, before=None) -> None:
    """Once `run` is old enough, the beat job (as Celery beat sends it every ten minutes)
    hands it to `worker`, which computes it."""
    try:
        worker.wait_ready()
        if before:
            before(worker)
        age(run)
        worker.send_task(BEAT_JOB)
        wait_for(run, worker, lambda r: r.status in FINISHED)
    finally:
        worker.stop()


def ranking_under_way(run: RankingRun, worker: Worker) -> None:
    """Hand `run` to `worker` and wait until it is ranking (past loading its sheets)."""
    worker.wait_ready()
    worker.send(run)
    wait_for(run, worker, lambda r: r.status == RunStatus.RUNNING and r.progress >= 25)


def test_broker_restarted_while_the_worker_ranks(tmp_path, broker, game, reference):
    run = ranking_run_create(edition=game.edition)
    worker = Worker(tmp_path, progress_delay=1.0, broker=broker)
    try:
        ranking_under_way(run, worker)
        broker.restart()  # every message and queue it held is gone
        # wait_for checks on every poll that no result is visible before `succeeded`.
        wait_for(run, worker, lambda r: r.status in FINISHED)
        assert_same_as_reference(run, reference)
        # The worker got its broker back and takes the next run.
        worker.wait_connected(times=2)
        second = ranking_run_create(edition=game.edition)
        worker.send(second)
        wait_for(second, worker, lambda r: r.status in FINISHED)
    finally:
        worker.stop()
    assert_same_as_reference(second, reference)


def test_a_message_lost_in_a_broker_restart_is_handed_again_by_the_beat_job(
        tmp_path, broker, game, reference):
    run = ranking_run_create(edition=game.edition)
    # The task was sent while no worker was up; then the broker restarted empty.
    broker.send(run)
    assert broker.queued_messages() == 1
    broker.restart()
    assert broker.queued_messages() == 0

    def nothing_comes(worker: Worker) -> None:
        time.sleep(2)  # the message is gone: the run waits, empty
        run.refresh_from_db()
        assert (run.status, RankingResult.objects.filter(run=run).count()) == (
            RunStatus.QUEUED, 0)

    beat_job_computes(run, Worker(tmp_path, broker=broker), before=nothing_comes)
    assert_same_as_reference(run, reference)


def test_a_run_whose_worker_was_killed_is_computed_by_the_next_worker(
        tmp_path, broker, game, reference):
    run = ranking_run_create(edition=game.edition)
    first = Worker(tmp_path, progress_delay=3.0, broker=broker)
    try:
        ranking_under_way(run, first)
        first.kill()  # SIGKILL mid-way: no clean-up of any kind
    finally:
        first.stop()
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert RankingResult.objects.filter(run=run).count() == 0
    beat_job_computes(run, Worker(tmp_path, broker=broker))
    assert_same_as_reference(run, reference)
