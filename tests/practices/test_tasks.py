import datetime as dt

import pytest
from django.utils import timezone

from practices.enums import EntryStatus
from practices.tasks import send_deadline_reminders
from tests.factories import EditionFactory, EntryFactory, OfficerFactory, ThematicAreaFactory

from .factories_practices import CompletePracticeFactory

pytestmark = pytest.mark.django_db


def test_send_deadline_reminders_once_per_municipality_and_edition(
        officer, mailoutbox, django_capture_on_commit_callbacks):
    soon = EditionFactory(submissions_close_at=timezone.now() + dt.timedelta(days=2))
    EditionFactory()  # deadline in ten days: not yet
    area = ThematicAreaFactory(edition=soon)
    EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality), area=area,
                 status=EntryStatus.DRAFT)
    colleague = OfficerFactory(municipality=officer.municipality)
    OfficerFactory(officer_status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 0
    # one e-mail to each officer of the municipality (none sees the other's address)
    assert sorted(m.to for m in mailoutbox) == sorted([[officer.email], [colleague.email]])
    assert "Entries not yet submitted: 1." in mailoutbox[0].body


def test_send_deadline_reminders_nothing_after_deadline(officer, mailoutbox):
    EditionFactory(submissions_open_at=timezone.now() - dt.timedelta(days=40),
                   submissions_close_at=timezone.now() - dt.timedelta(minutes=1))
    assert send_deadline_reminders() == 0


def test_beat_schedule_runs_the_reminder(settings):
    assert settings.CELERY_BEAT_SCHEDULE["practices-deadline-reminders"]["task"] == (
        "practices.tasks.send_deadline_reminders")


def test_deadline_reminders_count_entries_in_one_query_for_every_municipality(
        mailoutbox, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    soon = EditionFactory(submissions_close_at=timezone.now() + dt.timedelta(days=2))
    area = ThematicAreaFactory(edition=soon)
    officers = [OfficerFactory() for _ in range(3)]
    for drafts, officer in enumerate(officers):
        for _ in range(drafts):
            EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality),
                         area=area, status=EntryStatus.DRAFT)
    with CaptureQueriesContext(connection) as queries, \
            django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 3
    assert len([q for q in queries if '"practices_entry"' in q["sql"]]) == 1
    bodies = {m.to[0]: m.body for m in mailoutbox}
    for drafts, officer in enumerate(officers):
        assert f"Entries not yet submitted: {drafts}." in bodies[officer.email]
