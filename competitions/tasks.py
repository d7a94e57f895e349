from celery import shared_task

from .lifecycle import editions_advance_by_date


@shared_task
def advance_editions_by_date() -> dict[str, str]:
    """The beat's job: move every edition whose dates have passed (idempotent)."""
    return editions_advance_by_date()
