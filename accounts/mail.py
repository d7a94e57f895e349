"""E-mail leaves only after the transaction that caused it has committed; every e-mail is
written in its recipient's language, and every link in it starts with SITE_URL."""

import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import EmailStatus
from .models import OutboxEmail, User


def absolute_url(path: str) -> str:
    """The one rule for links in e-mails: SITE_URL (the address the site is served at,
    configured once) followed by the path; never the host of whichever request sent it."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def recipient_language(user, default: str | None = None) -> str:
    """The language an e-mail to `user` is written in: their stored preference, else
    `default`, else the site's default language."""
    language = getattr(user, "language", "") if user is not None else ""
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    return default if default in codes else settings.LANGUAGE_CODE


def active_language() -> str:
    """The active language as one of the site's codes (stored on a user at registration,
    invitation and whenever they switch language)."""
    return recipient_language(None, (translation.get_language() or "").split("-")[0])


def queue_email(*, to: list, template: str, context: dict,
                language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and send them after commit.

    `to` holds users or addresses; each recipient gets the e-mail in their own language
    (`User.language`; an address is looked up among the users). `language` is only the
    fallback for recipients who have none. Sending goes through a Celery task (retried on
    transient SMTP errors); without a broker it runs in-process. Each e-mail is recorded in
    the outbox (`OutboxEmail`: sent or failed, with the error). Nothing is sent, and nothing
    recorded, if the transaction rolls back.
    """
    fallback = language or translation.get_language()
    users = [item for item in to if isinstance(item, User)]
    addresses = {item for item in to if isinstance(item, str) and item}
    known = {user.email.lower(): user for user in User.objects.annotate(
        address=Lower("email")).filter(address__in={a.lower() for a in addresses})
        } if addresses else {}
    by_language: dict[str, set[str]] = defaultdict(set)
    for user in users:
        if user.email:
            by_language[recipient_language(user, fallback)].add(user.email)
    for address in addresses:
        by_language[recipient_language(known.get(address.lower()), fallback)].add(address)
    for code, recipients in sorted(by_language.items()):
        _queue_one(sorted(recipients), template, context, code)


def _queue_one(recipients: list[str], template: str, context: dict, language: str) -> None:
    """One e-mail per recipient (no one sees another's address), each recorded in the
    outbox within the caller's transaction: a rollback leaves neither e-mail nor record."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    kind = template.rsplit("/", 1)[-1]
    field = OutboxEmail._meta.get_field("subject")
    for recipient in recipients:
        record = OutboxEmail.objects.create(recipient=recipient, kind=kind, language=language,
                                            subject=subject[:field.max_length])

        def send(email_id: int = record.pk) -> None:
            from .tasks import send_email

            send_email.delay(email_id, subject, body)

        transaction.on_commit(send)


TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                    smtplib.SMTPHeloError, ConnectionError, TimeoutError)


def outbox_email_send(*, email_id: int, subject: str, body: str, final: bool) -> bool:
    """Send one recorded e-mail, once: an e-mail already sent is not sent again (a retried
    task). A transient error (the mail server unreachable) is recorded and raised again for a
    retry unless this is the `final` attempt; any other error, or a transient one on the
    final attempt, marks the e-mail failed with the error. Returns whether it was sent."""
    record = OutboxEmail.objects.filter(pk=email_id).first()
    if record is None or record.status == EmailStatus.SENT:
        return False
    record.attempts += 1
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [record.recipient])
    except Exception as error:  # noqa: BLE001 - every failure is recorded in the outbox
        # the address stays in `recipient` alone (erasure blanks one field)
        message = str(error).replace(record.recipient, "<recipient>")
        record.error = f"{type(error).__name__}: {message}"[:500]
        retry = isinstance(error, TRANSIENT_ERRORS) and not final
        if not retry:
            record.status = EmailStatus.FAILED
        record.save(update_fields=["attempts", "error", "status"])
        if retry:
            raise
        return False
    record.status = EmailStatus.SENT
    record.sent_at = timezone.now()
    record.error = ""
    record.save(update_fields=["attempts", "error", "status", "sent_at"])
    return True
