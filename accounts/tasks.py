import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
             retry_backoff=True, max_retries=5)
def send_email(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
