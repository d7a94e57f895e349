from celery import shared_task

from .privacy.services import retention_apply
from .showcase.export_files import open_data_exports_generate


@shared_task
def privacy_retention_apply() -> int:
    """The beat's job: remove unapproved registrations and unused jury invitations past their
    retention periods (idempotent). Returns how many were removed."""
    return len(retention_apply())


@shared_task(name="portal.tasks.open_data_exports_build")
def open_data_exports_build(run_id: int) -> int:
    """After a run's publication: write its edition's open-data exports and the bulk
    download into files (idempotent: a retry writes the same files). Returns how many."""
    return len(open_data_exports_generate(run_id=run_id))
