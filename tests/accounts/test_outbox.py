"""The outbox: every e-mail recorded by the single e-mail path (sent, failed with the error),
and the organisers' page that lists it."""

import pytest
from django.core import mail
from django.db import transaction

from accounts.enums import EmailKind, EmailStatus
from accounts.mail import queue_email
from accounts.models import OutboxEmail
from tests.accounts.mail_backends import FlakyBackend
from tests.factories import OfficerFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "accounts/email/officer_decided"


def _queue(django_capture_on_commit_callbacks, *people, **context):
    officer = people[0]
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=list(people), template=TEMPLATE,
                    context={"officer": officer, "approved": True, "url": "", **context})


def _row(email: OutboxEmail) -> tuple:
    return (email.recipient, email.kind, email.subject, email.language, email.status,
            email.attempts, email.error)


def test_a_sent_email_is_recorded_with_its_recipient_kind_subject_and_language(
        django_capture_on_commit_callbacks):
    officer = OfficerFactory(email="bg@example.org", language="bg")
    _queue(django_capture_on_commit_callbacks, officer)
    email = OutboxEmail.objects.get()
    assert _row(email) == ("bg@example.org", EmailKind.OFFICER_DECIDED,
                           "Профилът ви на общински служител е одобрен", "bg",
                           EmailStatus.SENT, 1, "")
    assert email.sent_at is not None and email.sent_at >= email.queued_at
    assert [m.to for m in mail.outbox] == [["bg@example.org"]]


def test_each_recipient_gets_their_own_email_and_record(django_capture_on_commit_callbacks):
    first = OfficerFactory(email="a@example.org", language="en")
    second = OfficerFactory(email="b@example.org", language="bg")
    _queue(django_capture_on_commit_callbacks, first, second)
    assert sorted(m.to for m in mail.outbox) == [["a@example.org"], ["b@example.org"]]
    assert sorted(OutboxEmail.objects.values_list("recipient", "language", "status")) == [
        ("a@example.org", "en", "sent"), ("b@example.org", "bg", "sent")]


def test_a_refused_email_is_recorded_failed_with_the_error_and_not_retried(
        settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.accounts.mail_backends.RefusingBackend"
    _queue(django_capture_on_commit_callbacks, OfficerFactory(email="x@example.org"))
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts, email.sent_at) == (EmailStatus.FAILED, 1, None)
    assert email.error.startswith("SMTPRecipientsRefused: ")
    assert "<recipient>" in email.error and "x@example.org" not in email.error


def test_an_unreachable_server_is_retried_then_recorded_failed(
        settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.accounts.mail_backends.DownBackend"
    _queue(django_capture_on_commit_callbacks, OfficerFactory(email="x@example.org"))
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 6)  # 1 + 5 retries
    assert email.error == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_a_retry_after_a_transient_error_sends_once_and_clears_the_error(
        settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.accounts.mail_backends.FlakyBackend"
    FlakyBackend.failures_left = 1
    _queue(django_capture_on_commit_callbacks, OfficerFactory(email="x@example.org"))
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts, email.error) == (EmailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_rolled_back_email_is_neither_sent_nor_recorded(django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        queue_email(to=[officer], template=TEMPLATE,
                    context={"officer": officer, "approved": True, "url": ""})
        raise RuntimeError
    assert (OutboxEmail.objects.count(), mail.outbox) == (0, [])


def test_a_sent_email_is_not_sent_again_by_a_repeated_task(django_capture_on_commit_callbacks):
    from accounts.tasks import send_email

    _queue(django_capture_on_commit_callbacks, OfficerFactory())
    email = OutboxEmail.objects.get()
    assert send_email.apply(args=[email.pk, "subject", "body"]).get() is False
    assert len(mail.outbox) == 1


# --- the organisers' page ------------------------------------------------------------------
def _outbox(**fields) -> OutboxEmail:
    defaults = {"recipient": "someone@example.org", "kind": EmailKind.JURY_REMINDER,
                "subject": "Reminder", "language": "en", "status": EmailStatus.SENT}
    return OutboxEmail.objects.create(**{**defaults, **fields})


def test_outbox_page_lists_emails_with_status_and_error(client):
    _outbox(recipient="ana@example.org", subject="Entries to score")
    _outbox(recipient="bob@example.org", status=EmailStatus.FAILED,
            error="SMTPRecipientsRefused: no such user", kind=EmailKind.JURY_ASSIGNED)
    client.force_login(OrganiserFactory())
    page = client.get("/organiser/outbox/").content.decode()
    assert "ana@example.org" in page and "Entries to score" in page
    assert "SMTPRecipientsRefused: no such user" in page
    assert "Entries assigned to a juror" in page
    assert "2 e-mails" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=jury_assigned", ["bob@example.org"]),
    ("status=failed", ["bob@example.org"]),
    ("status=sent", ["ana@example.org", "carla@other.org"]),
    ("recipient=OTHER.org", ["carla@other.org"]),
    ("kind=jury_reminder&status=sent&recipient=ana", ["ana@example.org"]),
    ("kind=not-a-kind", ["ana@example.org", "bob@example.org", "carla@other.org"]),
])
def test_outbox_page_filters_by_kind_status_and_recipient(client, query, expected):
    _outbox(recipient="ana@example.org")
    _outbox(recipient="bob@example.org", status=EmailStatus.FAILED,
            kind=EmailKind.JURY_ASSIGNED)
    _outbox(recipient="carla@other.org", kind=EmailKind.ORGANISER_DIGEST)
    client.force_login(OrganiserFactory())
    response = client.get(f"/organiser/outbox/?{query}")
    assert sorted(email.recipient for email in response.context["page"]) == expected


def test_outbox_page_is_paginated_and_keeps_the_filters(client):
    for number in range(55):
        _outbox(recipient=f"p{number}@example.org")
    client.force_login(OrganiserFactory())
    first = client.get("/organiser/outbox/?status=sent")
    assert len(first.context["page"]) == 50
    assert "?status=sent&amp;page=2" in first.content.decode()
    assert len(client.get("/organiser/outbox/?status=sent&page=2").context["page"]) == 5


def test_outbox_page_in_bulgarian(client):
    _outbox(status=EmailStatus.FAILED, kind=EmailKind.ORGANISER_DIGEST)
    client.force_login(OrganiserFactory())
    client.cookies["django_language"] = "bg"
    page = client.get("/organiser/outbox/").content.decode()
    for text in ("Изходящи писма", "Неуспешно", "Дневен преглед за организаторите",
                 "Получател"):
        assert text in page


def test_outbox_page_query_count_does_not_grow_with_emails(
        client, django_assert_max_num_queries):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    _outbox()
    with django_assert_max_num_queries(6) as one:
        client.get("/organiser/outbox/")
    for _number in range(30):
        _outbox(status=EmailStatus.FAILED, error="boom")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/organiser/outbox/")
