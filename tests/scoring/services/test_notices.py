"""What the jury is told without anyone pressing a button: the digest of assigned entries
(one e-mail per juror, after the organiser's steps settle) and the reminders before the
review closes; each in the juror's language, with links that start with SITE_URL."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import EmailKind, EmailStatus
from accounts.models import OutboxEmail
from scoring.models import Assignment, JuryReminder
from scoring.services.assignments import assignment_add
from scoring.services.notices import jury_assignment_notices_send
from scoring.services.reminders import jury_reminders_scheduled_send, jury_reminders_send
from tests.factories import (
    EntryFactory,
    JuryMemberFactory,
    JurySheetFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
)

from ..factories_jury import ReviewEditionFactory

pytestmark = pytest.mark.django_db
SITE = "http://jury.example.org:8104"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.JURY_ASSIGNMENT_NOTICE_QUIET_MINUTES = 10
    settings.JURY_REMINDER_DAYS = (7, 3, 1)


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def _juror(edition, **fields):
    return JuryMemberFactory(edition=edition, user=UserFactory(**fields)).user


def _assign(edition, juror, count: int, organiser) -> list:
    area = edition.areas.first() or ThematicAreaFactory(edition=edition, code="I")
    return [assignment_add(entry=EntryFactory(area=area), juror=juror, by=organiser)
            for _number in range(count)]


def _later(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


# --- the digest of assigned entries ---------------------------------------------------------
def test_a_juror_gets_one_email_for_entries_assigned_in_several_steps(
        django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory(title="Издание", title_en="Edition X")
    juror = _juror(edition, email="ana@example.org", language="en")
    organiser = OrganiserFactory()
    _assign(edition, juror, 2, organiser)
    _assign(edition, juror, 1, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_assignment_notices_send(at=_later(11)) == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Edition X: 3 entries assigned to you"
    assert "These 3 entries of Edition X are assigned to you to score:" in message.body
    assert _links(message.body) == [f"{SITE}/jury/editions/{edition.slug}/"]
    assert OutboxEmail.objects.get().kind == EmailKind.JURY_ASSIGNED


def test_the_digest_waits_while_the_organiser_is_still_assigning(
        django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory()
    juror = _juror(edition)
    _assign(edition, juror, 1, OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_assignment_notices_send(at=_later(5)) == 0
        assert jury_assignment_notices_send(at=_later(11)) == 1
    assert len(mail.outbox) == 1


def test_each_assignment_is_announced_once(django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory()
    juror = _juror(edition)
    organiser = OrganiserFactory()
    _assign(edition, juror, 2, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        jury_assignment_notices_send(at=_later(11))
        assert jury_assignment_notices_send(at=_later(30)) == 0
        _assign(edition, juror, 1, organiser)  # a later step: a new digest with it alone
        assert jury_assignment_notices_send(at=_later(30)) == 1
    assert [m.subject.split(": ")[1] for m in mail.outbox] == [
        "2 entries assigned to you", "1 entry assigned to you"]
    assert Assignment.objects.filter(notified_at__isnull=True).count() == 0


def test_the_digest_is_in_the_jurors_language(django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory(title="Издание 2027", title_en="Edition 2027")
    _assign(edition, _juror(edition, language="bg"), 2, OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        jury_assignment_notices_send(at=_later(11))
    [message] = mail.outbox
    assert message.subject == "Издание 2027: 2 кандидатури са възложени на вас"
    assert "Тези 2 кандидатури от Издание 2027 са възложени на вас за оценяване:" \
        in message.body
    assert all(link.startswith(SITE) for link in _links(message.body))


def test_two_jurors_get_one_digest_each(django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory()
    first, second = _juror(edition), _juror(edition)
    organiser = OrganiserFactory()
    _assign(edition, first, 1, organiser)
    _assign(edition, second, 2, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_assignment_notices_send(at=_later(11)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_no_digest_for_a_juror_removed_from_the_jury_or_a_closed_review(
        django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory()
    juror = _juror(edition)
    _assign(edition, juror, 1, OrganiserFactory())
    juror.jury_memberships.update(accepted_at=None)
    closed = ReviewEditionFactory(phase="ranked")
    other = _juror(closed)
    Assignment.objects.create(entry=EntryFactory(area=ThematicAreaFactory(edition=closed)),
                              juror=other)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_assignment_notices_send(at=_later(11)) == 0
    assert mail.outbox == []


# --- reminders before the review closes -----------------------------------------------------
def _review_closing_in(hours: float):
    return ReviewEditionFactory(review_close_at=timezone.now() + dt.timedelta(hours=hours))


def test_reminders_go_at_each_step_once_to_accepted_jurors_with_missing_sheets(
        django_capture_on_commit_callbacks):
    edition = _review_closing_in(24 * 8)
    organiser = OrganiserFactory()
    missing = _juror(edition, email="late@example.org", language="en")
    done = _juror(edition, email="done@example.org")
    [assignment] = _assign(edition, done, 1, organiser)
    JurySheetFactory(entry=assignment.entry, juror=done)
    _assign(edition, missing, 2, organiser)
    invited = _juror(edition, email="invited@example.org")
    _assign(edition, invited, 1, organiser)
    invited.jury_memberships.update(accepted_at=None)  # invited, never accepted
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_scheduled_send(at=now) == 0  # 8 days left: too early
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=1, hours=1)) == 1
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=2)) == 0  # sent
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=5, hours=1)) == 1
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=7, hours=1)) == 1
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=7, hours=2)) == 0
    assert [m.to for m in mail.outbox] == [["late@example.org"]] * 3
    assert sorted(JuryReminder.objects.values_list("member__user__email", "days_before",
                                                   "open_sheets")) == [
        ("late@example.org", 1, 2), ("late@example.org", 3, 2), ("late@example.org", 7, 2)]
    message = mail.outbox[0]
    assert message.subject == f"Reminder: entries to score in {edition.title_en}"
    assert "You still have 2 of 2 assigned entries to score" in message.body
    assert _links(message.body) == [f"{SITE}/jury/editions/{edition.slug}/"]


def test_a_step_missed_is_not_sent_late(django_capture_on_commit_callbacks):
    edition = _review_closing_in(20)  # the beat was down at 7 and 3 days before
    _assign(edition, _juror(edition), 1, OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_scheduled_send() == 1
    assert list(JuryReminder.objects.values_list("days_before", flat=True)) == [1]


def test_the_reminder_is_in_the_jurors_language(django_capture_on_commit_callbacks):
    edition = _review_closing_in(30)
    edition.title = "Издание 2027"
    edition.save()
    _assign(edition, _juror(edition, language="bg"), 1, OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        jury_reminders_scheduled_send()
    [message] = mail.outbox
    assert message.subject == "Напомняне: кандидатури за оценяване в Издание 2027"
    assert all(link.startswith(SITE) for link in _links(message.body))
    assert OutboxEmail.objects.get().status == EmailStatus.SENT


def test_an_organisers_reminder_skips_jurors_who_never_accepted(
        django_capture_on_commit_callbacks):
    edition = ReviewEditionFactory()
    organiser = OrganiserFactory()
    accepted = _juror(edition, email="in@example.org")
    invited = _juror(edition, email="invited@example.org")
    _assign(edition, accepted, 1, organiser)
    _assign(edition, invited, 1, organiser)
    invited.jury_memberships.update(accepted_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_send(edition=edition, by=organiser) == 1
    assert [m.to for m in mail.outbox] == [["in@example.org"]]


def test_reminders_count_down_to_the_close_of_the_round_being_scored(
        django_capture_on_commit_callbacks):
    """A two-round edition: round 1 closes in 2 days, round 2 (the final round, which the
    edition's review closes with) in 40: round 1's jurors are reminded before round 1
    closes, of round 1's sheets, with its date; round 2's steps are its own."""
    from django.utils.formats import date_format

    from scoring.models import JudgingRound
    from scoring.services.rounds import round_add

    now = timezone.now()
    edition = ReviewEditionFactory(review_close_at=now + dt.timedelta(days=2))
    organiser = OrganiserFactory()
    second = round_add(edition=edition, review_open_at=now + dt.timedelta(days=3),
                       review_close_at=now + dt.timedelta(days=40), by=organiser,
                       shortlist_top_n=1)
    edition.refresh_from_db()
    first = JudgingRound.objects.get(edition=edition, number=1)
    assert edition.review_close_at == second.review_close_at
    late = _juror(edition, email="late@example.org", language="en")
    assignments = _assign(edition, late, 2, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_scheduled_send(at=now) == 1  # round 1: 2 days left, step 3
    assert list(JuryReminder.objects.values_list("round", "days_before", "open_sheets")) == [
        (first.pk, 3, 2)]
    [message] = mail.outbox
    closes = date_format(edition.local(first.review_close_at), "DATETIME_FORMAT")
    assert f"Scoring of Round 1 closes on {closes}." in message.body
    # the organiser's reminder names round 1 too
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_send(edition=edition, by=organiser, at=now) == 1
    assert f"Scoring of Round 1 closes on {closes}." in mail.outbox[1].body
    # round 2, scored from day 3: its own steps, counting its own sheets only
    Assignment.objects.create(entry=assignments[0].entry, juror=late, round=second,
                              assigned_by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=2, hours=12)) == 0
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=34)) == 1
        assert jury_reminders_scheduled_send(at=now + dt.timedelta(days=34, hours=1)) == 0
    assert sorted(JuryReminder.objects.values_list("round", "days_before", "open_sheets")) == [
        (first.pk, 3, 2), (second.pk, 7, 1)]
