"""The organiser's console runs an edition from draft to archived with the beat task: no admin
call, every move recorded, every refusal explained (also on PostgreSQL: run this file with
DATABASE_URL set)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from competitions.enums import Phase
from competitions.models import PhaseTransition
from competitions.tasks import advance_editions_by_date
from portal.audit import audit_log
from practices.enums import EntryStatus
from scoring.enums import RunStatus
from scoring.models import RankingRun
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JurySheetFactory,
    OfficerFactory,
    OrganiserFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db

T0 = (timezone.now() + dt.timedelta(days=30)).replace(hour=7, minute=0, second=0, microsecond=0)


class Clock:
    """The time everyone reads (`django.utils.timezone.now`), moved by the test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move_to(self, at: dt.datetime) -> None:
        self.at = at


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def _day(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def _beat(capture) -> None:
    with capture(execute=True):
        advance_editions_by_date.apply().get()


def _move(client, edition, target: str, capture=None, **data):
    url = reverse("organiser_edition_move", args=[edition.slug])
    first = client.post(url, {"target": target, **data})
    assert first.status_code == 200  # the confirmation step
    with capture(execute=True):
        return client.post(url, {"target": target, "confirm": "1", **data})


def _console(client, edition) -> str:
    return client.get(reverse("organiser_edition_console", args=[edition.slug])).content.decode()


def _beat_then(capture, edition, phase) -> None:
    """The beat task runs; the edition is then in `phase`."""
    _beat(capture)
    edition.refresh_from_db()
    assert edition.phase == phase


def _decide(client, entries, decisions) -> None:
    for entry, decision in zip(entries, decisions, strict=True):
        response = client.post(reverse("organiser_entry_decide", args=[entry.pk]),
                               {"decision": decision, "reason": "Checked."})
        assert response.status_code == 302


def _rank_and_publish(client, edition, capture) -> None:
    """The ranking and its publication, on the results page (scoring's), not the admin."""
    with capture(execute=True):
        client.post(reverse("organiser_run_start", args=[edition.slug]),
                    {"method": "weighted_mean"})
    run = RankingRun.objects.get(edition=edition)
    assert run.status == RunStatus.SUCCEEDED
    with capture(execute=True):
        client.post(reverse("organiser_run_publish", args=[edition.slug, run.pk]),
                    {"confirm": "on"})


def test_console_drives_an_edition_from_draft_to_archived_with_the_beat_task(
        client, clock, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    organiser = OrganiserFactory(email="organiser@example.org")

    def now_is(moment):  # the organiser signs in again: a session lasts two weeks
        clock.move_to(moment)
        client.force_login(organiser)
    edition = EditionFactory(phase=Phase.DRAFT, time_zone="Europe/Sofia",
                             submissions_open_at=_day(1), submissions_close_at=_day(10),
                             review_open_at=_day(11), review_close_at=_day(20),
                             min_sheets_per_entry=1)
    criterion = CriterionFactory(edition=edition)

    # the call's date passes with no area: the beat waits, says why, tells the organisers once
    now_is(_day(1.1))
    _beat(capture)
    _beat_then(capture, edition, Phase.DRAFT)
    assert "The edition has no thematic areas." in _console(client, edition)
    assert [m.to for m in mail.outbox] == [[organiser.email]]

    area = ThematicAreaFactory(edition=edition, awards=1)
    _beat_then(capture, edition, Phase.OPEN)

    # entries come in; the review's date passes before the organiser decided them
    officer = OfficerFactory()
    entries = EntryFactory.create_batch(2, area=area, status=EntryStatus.SUBMITTED,
                                        practice__municipality=officer.municipality)
    now_is(_day(11.1))
    _beat_then(capture, edition, Phase.OPEN)
    assert "2 submitted entries have no eligibility decision." in _console(client, edition)
    assert len(mail.outbox) == 2
    refused = _move(client, edition, Phase.REVIEW, capture)
    assert refused.status_code == 400
    assert "2 submitted entries have no eligibility decision." in refused.content.decode()

    _decide(client, entries, ("eligible", "ineligible"))
    _beat_then(capture, edition, Phase.REVIEW)

    # the jury scores; the organiser closes the review early, which needs a reason
    SheetScoreFactory(sheet=JurySheetFactory(entry=entries[0]), criterion=criterion, value=8)
    now_is(_day(15))
    refused = _move(client, edition, Phase.RANKED, capture)
    assert refused.status_code == 400
    assert ("Say why: “Close the jury review” is not the normal course of the edition now."
            in refused.content.decode())
    assert _move(client, edition, Phase.RANKED, capture,
                 reason="Every sheet is in.").status_code == 302
    edition.refresh_from_db()
    assert (edition.phase, edition.review_close_at) == (Phase.RANKED, _day(15))

    # the ranking and its publication happen on the results page (scoring's), not the admin
    now_is(_day(15.1))
    _rank_and_publish(client, edition, capture)
    edition.refresh_from_db()
    assert edition.phase == Phase.PUBLISHED

    assert _move(client, edition, Phase.ARCHIVED, capture).status_code == 302
    edition.refresh_from_db()
    assert edition.phase == Phase.ARCHIVED
    assert list(PhaseTransition.objects.filter(edition=edition).order_by("pk").values_list(
        "source", "target", "by", "at", "reason")) == [
        (Phase.DRAFT, Phase.OPEN, None, _day(1.1), ""),
        (Phase.OPEN, Phase.REVIEW, None, _day(11.1), ""),
        (Phase.REVIEW, Phase.RANKED, organiser.pk, _day(15), "Every sheet is in."),
        (Phase.RANKED, Phase.PUBLISHED, organiser.pk, _day(15.1), ""),
        (Phase.PUBLISHED, Phase.ARCHIVED, organiser.pk, _day(15.1), ""),
    ]
    rows, _older = audit_log(kind="phase")
    assert [(row.who, row.changes[0][1:]) for row in rows] == [
        (organiser, ("Results published", "Archived")),
        (organiser, ("Ranked", "Results published")),
        (organiser, ("Jury review", "Ranked")),
        (None, ("Open for submissions", "Jury review")),
        (None, ("Draft", "Open for submissions")),
    ]
    assert "Every sheet is in." in client.get(
        reverse("organiser_audit") + "?kind=phase").content.decode()


def test_console_shows_the_timeline_in_the_editions_time_zone_and_the_checklist(client):
    client.force_login(OrganiserFactory())
    edition = EditionFactory(time_zone="Europe/Sofia",
                             submissions_close_at=dt.datetime(2031, 5, 1, 14, 0, tzinfo=dt.UTC),
                             review_open_at=dt.datetime(2031, 5, 2, 6, 0, tzinfo=dt.UTC),
                             review_close_at=dt.datetime(2031, 6, 1, 6, 0, tzinfo=dt.UTC))
    EntryFactory.create_batch(3, area=ThematicAreaFactory(edition=edition),
                              status=EntryStatus.SUBMITTED)
    page = _console(client, edition)
    assert "01/05/2031 17:00" in page  # 14:00 UTC is 17:00 in Sofia in summer
    assert 'aria-current="step"' in page
    assert "Submitted entries without an eligibility decision" in page
    assert '<span class="badge text-bg-warning" data-count>3</span>' in page


def test_console_speaks_bulgarian(client):
    client.force_login(OrganiserFactory())
    edition = EditionFactory()
    with translation.override("bg"):
        response = client.get(reverse("organiser_edition_console", args=[edition.slug]),
                              HTTP_ACCEPT_LANGUAGE="bg")
    page = response.content.decode()
    assert "Хронология" in page
    assert "Затваряне на кандидатстването и откриване на оценяването" in page


def test_console_is_linked_from_the_organiser_dashboard(client):
    client.force_login(OrganiserFactory())
    edition = EditionFactory()
    page = client.get(reverse("organiser_dashboard")).content.decode()
    assert f'href="{reverse("organiser_edition_console", args=[edition.slug])}"' in page


def test_console_unlock_is_refused_once_a_sheet_is_submitted_with_the_way_out(client):
    client.force_login(OrganiserFactory())
    edition = EditionFactory(phase=Phase.REVIEW)
    JurySheetFactory(entry=EntryFactory(area=ThematicAreaFactory(edition=edition)))
    url = reverse("organiser_edition_unlock", args=[edition.slug])
    response = client.post(url, {"reason": "Typo.", "confirm": "1"})
    assert response.status_code == 400
    assert ("The set-up stays as the jurors scored it: copy the edition to change it."
            in response.content.decode())


def test_console_extending_the_deadline_reads_the_new_time_in_the_editions_time_zone(
        client, django_capture_on_commit_callbacks):
    client.force_login(OrganiserFactory())
    edition = EditionFactory(phase=Phase.REVIEW, time_zone="Europe/Sofia",
                             submissions_open_at=timezone.now() - dt.timedelta(days=20),
                             submissions_close_at=timezone.now() - dt.timedelta(days=2),
                             review_open_at=timezone.now() - dt.timedelta(days=1),
                             review_close_at=timezone.now() + dt.timedelta(days=30))
    response = _move(client, edition, Phase.OPEN, django_capture_on_commit_callbacks,
                     new_date="2031-05-20T17:00", reason="A national holiday.")
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.phase, edition.submissions_close_at) == (
        Phase.OPEN, dt.datetime(2031, 5, 20, 14, 0, tzinfo=dt.UTC))
    assert list(edition.phase_transitions.values_list("source", "target", "reason")) == [
        (Phase.REVIEW, Phase.OPEN, "A national holiday.")]


def test_console_query_count_does_not_grow_with_the_history(client, django_assert_num_queries):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    edition = EditionFactory()
    url = reverse("organiser_edition_console", args=[edition.slug])
    PhaseTransition.objects.create(edition=edition, source=Phase.DRAFT, target=Phase.OPEN,
                                   by=organiser)
    with django_assert_num_queries(13) as one:  # 13: with the second factor's device
        client.get(url)
    for _ in range(5):
        PhaseTransition.objects.create(edition=edition, source=Phase.DRAFT, target=Phase.OPEN,
                                       by=OrganiserFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
