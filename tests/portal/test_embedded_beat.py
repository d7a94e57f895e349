"""Without a broker, `make run` runs the beat's schedule in a thread of the server: an
edition whose submission deadline passes moves to the jury review on a bare machine too."""

import datetime as dt
from unittest import mock

import pytest
from celery.schedules import crontab
from django.core.management import call_command
from django.utils import timezone

from competitions.enums import Phase
from portal.embedded_beat import EmbeddedBeat, embedded_beat_start
from portal.management.commands import runserver_embedded
from practices.enums import EntryStatus
from tests.factories import EditionFactory, EntryFactory, ThematicAreaFactory

START = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
SCHEDULE = {"often": {"task": "competitions.tasks.advance_editions_by_date", "schedule": 300.0},
            "morning": {"task": "practices.tasks.send_organiser_digest",
                        "schedule": crontab(hour=7, minute=0)}}


def test_entries_are_due_as_celery_beat_would_run_them():
    beat = EmbeddedBeat(SCHEDULE, now=START)
    assert beat.due(START + dt.timedelta(seconds=299)) == []
    assert beat.due(START + dt.timedelta(seconds=301)) == ["often"]
    assert beat.due(START + dt.timedelta(hours=1, minutes=1)) == ["often", "morning"]


@pytest.mark.django_db
def test_a_due_entry_runs_its_task_in_process_and_waits_for_its_next_time():
    now = timezone.now()
    edition = EditionFactory(submissions_close_at=now - dt.timedelta(minutes=1),
                             review_open_at=now - dt.timedelta(seconds=30),
                             review_close_at=now + dt.timedelta(days=20))
    EntryFactory(area=ThematicAreaFactory(edition=edition), status=EntryStatus.ELIGIBLE)
    beat = EmbeddedBeat({"often": SCHEDULE["often"]}, now=now - dt.timedelta(seconds=301))
    assert beat.run_due(now) == ["often"]
    edition.refresh_from_db()
    assert edition.phase == Phase.REVIEW
    assert beat.run_due(now + dt.timedelta(seconds=10)) == []


@pytest.mark.django_db
def test_a_failing_task_is_logged_and_the_others_still_run():
    beat = EmbeddedBeat({"broken": {"task": "competitions.tasks.advance_editions_by_date",
                                    "schedule": 60.0},
                         "fine": {"task": "portal.tasks.privacy_retention_apply",
                                  "schedule": 60.0}}, now=START)
    with mock.patch("competitions.tasks.editions_advance_by_date",
                    side_effect=RuntimeError("boom")), \
            mock.patch("portal.embedded_beat.log") as log:
        assert beat.run_due(START + dt.timedelta(seconds=61)) == ["broken", "fine"]
    log.exception.assert_called_once_with("embedded beat: %s failed", "broken")


def test_the_thread_starts_only_without_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert embedded_beat_start() is None
    settings.CELERY_TASK_ALWAYS_EAGER, settings.EMBEDDED_BEAT = True, False
    assert embedded_beat_start() is None
    settings.EMBEDDED_BEAT = True
    beat = embedded_beat_start()
    try:
        assert beat.is_alive() and beat.daemon
        assert set(beat.tasks) == set(settings.CELERY_BEAT_SCHEDULE)
    finally:
        beat.stop()
        beat.join(5)
    assert not beat.is_alive()


def test_runserver_embedded_starts_the_beat_in_the_serving_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    started = []
    with mock.patch.object(runserver_embedded, "embedded_beat_start",
                           side_effect=lambda: started.append(True)), \
            mock.patch.object(runserver_embedded.RunserverCommand, "inner_run") as serve:
        call_command("runserver_embedded", "127.0.0.1:8999", use_reloader=False)
    assert started == [True]
    serve.assert_called_once()
