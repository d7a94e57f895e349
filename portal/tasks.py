from celery import shared_task

from .privacy.services import retention_apply


@shared_task
def privacy_retention_apply() -> int:
    """The beat's job: remove unapproved registrations and unused jury invitations past their
    retention periods (idempotent). Returns how many were removed."""
    return len(retention_apply())
