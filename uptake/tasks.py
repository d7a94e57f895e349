from celery import shared_task

from .services import follow_ups_request


@shared_task
def ask_for_follow_ups() -> int:
    """Run by beat; idempotent: each follow-up report is asked for once."""
    return follow_ups_request()
