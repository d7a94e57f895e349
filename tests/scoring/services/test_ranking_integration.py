"""The ranking task through a real Celery worker, on Redis, against PostgreSQL.

The worker is a subprocess (`celery -A portal worker --pool=solo`) consuming a queue of its
own, connected to the TEST database, so it sees what these tests commit
(`transactional_db`). One test lets it finish; the other kills it with SIGKILL mid-way
and checks that nothing partial is visible.
"""

import pytest

from scoring.enums import RunStatus
from scoring.models import RankingResult
from scoring.services.ranking import ranking_run_create, ranking_run_execute

from ..factories_ranking import competition
from ..workers import ON_POSTGRESQL, WITH_BROKER, Worker, wait_for

pytestmark = [pytest.mark.integration, ON_POSTGRESQL, WITH_BROKER]


def test_compute_rankings_through_a_real_worker_stores_the_run(transactional_db,
                                                               real_worker_mode, tmp_path):
    game = competition(areas=2, entries_per_area=5, jurors=3,
                       score=lambda a, e, j, c: (9 - e + j + c) % 11)
    reference = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    run = ranking_run_create(edition=game.edition)
    worker = Worker(tmp_path, progress_delay=0.4)
    try:
        worker.send(run)
        seen = wait_for(run, worker, lambda r: r.status in (RunStatus.SUCCEEDED,
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


@pytest.mark.race
def test_compute_rankings_killed_mid_way_leaves_nothing_partial(transactional_db,
                                                                real_worker_mode, tmp_path):
    game = competition(areas=1, entries_per_area=6, jurors=3)
    run = ranking_run_create(edition=game.edition)
    worker = Worker(tmp_path, progress_delay=3.0)
    try:
        worker.send(run)
        # Each progress step sleeps 3 s in the worker: kill it while it ranks.
        wait_for(run, worker, lambda r: r.status == RunStatus.RUNNING and r.progress >= 25)
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
