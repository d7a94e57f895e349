"""E-mail leaves only after the transaction that caused it has committed."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def queue_email(*, to: list[str], template: str, context: dict,
                language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and send them after commit.

    Sending goes through a Celery task (retried on transient SMTP errors); without a broker
    it runs in-process. Nothing is sent if the transaction rolls back.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)

    def send() -> None:
        from .tasks import send_email

        send_email.delay(recipients, subject, body)

    transaction.on_commit(send)
