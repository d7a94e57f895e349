"""Celery tasks of the scoring app: ids in, one service call, nothing else."""

from celery import shared_task

from .services.notices import jury_assignment_notices_send
from .services.ranking import ranking_run_execute, ranking_runs_requeue_stale
from .services.reminders import jury_reminders_scheduled_send


@shared_task(name="scoring.tasks.compute_rankings")
def compute_rankings(edition_id: int, method: str, run_id: int) -> int:
    """Compute ranking run `run_id` (created, queued, by `ranking_run_start`); safe to
    retry: a run that already succeeded is left as it is. Returns the run's id. The edition
    and method name the run in the worker's log."""
    return ranking_run_execute(run_id=run_id).pk


@shared_task(name="scoring.tasks.requeue_stale_ranking_runs")
def requeue_stale_ranking_runs() -> list[int]:
    """Celery beat: runs whose task was lost (broker restart, dead worker) are computed."""
    return ranking_runs_requeue_stale()


@shared_task(name="scoring.tasks.send_jury_assignment_notices")
def send_jury_assignment_notices() -> int:
    """Celery beat: each juror hears once of the entries assigned to them (a digest)."""
    return jury_assignment_notices_send()


@shared_task(name="scoring.tasks.send_jury_reminders")
def send_jury_reminders() -> int:
    """Celery beat: reminders before the review closes, each step once per juror."""
    return jury_reminders_scheduled_send()
