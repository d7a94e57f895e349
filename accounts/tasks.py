from celery import shared_task

from .mail import TRANSIENT_ERRORS, outbox_email_send

MAX_RETRIES = 5


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_email(self, email_id: int, subject: str, body: str) -> bool:
    """Send one e-mail of the outbox; a transient error retries with a growing delay, the
    last attempt records the failure. Safe to run twice: a sent e-mail is not sent again."""
    if self.request.is_eager:
        # In-process (no broker): the attempts run now, one after another, and nothing is
        # raised into the request that queued the e-mail.
        for attempt in range(MAX_RETRIES + 1):
            try:
                return outbox_email_send(email_id=email_id, subject=subject, body=body,
                                         final=attempt >= MAX_RETRIES)
            except TRANSIENT_ERRORS:
                continue
        return False
    try:
        return outbox_email_send(email_id=email_id, subject=subject, body=body,
                                 final=self.request.retries >= MAX_RETRIES)
    except TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=30 * 2 ** self.request.retries) from error
