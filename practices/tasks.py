from celery import shared_task

from .services import deadline_reminders_send, organiser_digest_send


@shared_task
def send_deadline_reminders() -> int:
    """Run by beat; idempotent: each municipality is reminded once per edition."""
    return deadline_reminders_send()


@shared_task(name="practices.tasks.send_organiser_digest")
def send_organiser_digest() -> int:
    """Run by beat once a day; idempotent: one digest per day, none when nothing is new."""
    digest = organiser_digest_send()
    return digest.sent_to if digest else 0
