from celery import shared_task

from .services import deadline_reminders_send


@shared_task
def send_deadline_reminders() -> int:
    """Run by beat; idempotent: each municipality is reminded once per edition."""
    return deadline_reminders_send()
