"""Runs whose task was lost (a broker restarted without its data, a worker died) are
handed to the task again by a Celery beat job, and computed with the same result."""

import datetime as dt

import pytest
from django.utils import timezone

from scoring.enums import RunStatus
from scoring.models import RankingRun
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from scoring.tasks import requeue_stale_ranking_runs

from ..factories_ranking import competition

pytestmark = pytest.mark.django_db


def test_a_run_left_running_is_computed_again_with_the_same_result(settings):
    game = competition()
    reference = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    lost = ranking_run_create(edition=game.edition)
    RankingRun.objects.filter(pk=lost.pk).update(
        status=RunStatus.RUNNING, progress=25,
        started_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 601))
    assert requeue_stale_ranking_runs() == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == RunStatus.SUCCEEDED
    assert lost.fingerprint == reference.fingerprint
    assert (list(lost.results.order_by("entry_id").values_list("entry_id", "rank", "place"))
            == list(reference.results.order_by("entry_id")
                    .values_list("entry_id", "rank", "place")))


def test_a_queued_run_whose_message_was_lost_is_computed():
    game = competition()
    lost = ranking_run_create(edition=game.edition)
    RankingRun.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2))
    assert requeue_stale_ranking_runs() == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == RunStatus.SUCCEEDED


def test_runs_still_in_their_time_limit_and_finished_runs_are_left_alone():
    game = competition()
    running = ranking_run_create(edition=game.edition)
    RankingRun.objects.filter(pk=running.pk).update(status=RunStatus.RUNNING,
                                                    started_at=timezone.now())
    done = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    RankingRun.objects.filter(pk=done.pk).update(created_at=timezone.now()
                                                 - dt.timedelta(days=1))
    assert requeue_stale_ranking_runs() == []
    running.refresh_from_db()
    assert (running.status, running.results.count()) == (RunStatus.RUNNING, 0)


def test_the_beat_schedule_runs_the_check(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["scoring-requeue-stale-ranking-runs"]
    assert entry["task"] == "scoring.tasks.requeue_stale_ranking_runs"
