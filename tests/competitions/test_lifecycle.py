"""The edition's lifecycle: one service moves the phase along its table, checks and records
every move; dates move it through the beat task; the set-up locks when review starts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from competitions.enums import Phase
from competitions.lifecycle import PhaseRefused, edition_phase_change, edition_setup_unlock
from competitions.models import PhaseHold, PhaseTransition, SetupUnlock
from competitions.tasks import advance_editions_by_date
from practices.enums import EntryStatus
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JurySheetFactory,
    OrganiserFactory,
    RubricLevelFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _edition(phase=Phase.DRAFT, **kwargs):
    edition = EditionFactory(
        phase=phase, submissions_open_at=T0, submissions_close_at=T0 + dt.timedelta(days=10),
        review_open_at=T0 + dt.timedelta(days=11), review_close_at=T0 + dt.timedelta(days=20),
        **kwargs)
    ThematicAreaFactory(edition=edition)
    CriterionFactory(edition=edition)
    return edition


def _moves(edition):
    return list(PhaseTransition.objects.filter(edition=edition).order_by("pk")
                .values_list("source", "target", "by", "reason"))


def test_phase_change_a_move_outside_the_table_is_refused_and_says_so():
    edition = _edition()
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.PUBLISHED, by=None,
                             at=T0 + dt.timedelta(hours=1))
    assert refusal.value.messages == [
        "An edition cannot go from “Draft” to “Results published”."]
    edition.refresh_from_db()
    assert edition.phase == Phase.DRAFT
    assert _moves(edition) == []


def test_phase_change_open_needs_areas_and_criteria():
    edition = EditionFactory(phase=Phase.DRAFT, submissions_open_at=T0,
                             submissions_close_at=T0 + dt.timedelta(days=10),
                             review_open_at=T0 + dt.timedelta(days=11),
                             review_close_at=T0 + dt.timedelta(days=20))
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.OPEN, by=None,
                             at=T0 + dt.timedelta(hours=1))
    assert refusal.value.messages == ["The edition has no thematic areas.",
                                      "The edition has no criteria."]


def test_phase_change_review_needs_submissions_closed_and_every_entry_decided():
    edition = _edition(phase=Phase.OPEN)
    EntryFactory.create_batch(2, area=edition.areas.get(), status=EntryStatus.SUBMITTED)
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.REVIEW, by=None,
                             at=T0 + dt.timedelta(days=11, hours=1))
    assert refusal.value.messages == ["2 submitted entries have no eligibility decision."]


def test_phase_change_an_organisers_early_move_needs_a_reason_and_brings_the_dates_forward():
    edition = _edition(phase=Phase.OPEN)
    organiser = OrganiserFactory()
    at = T0 + dt.timedelta(days=5)
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.REVIEW, by=organiser, at=at)
    assert refusal.value.messages == [
        "Say why: “Close submissions and open the jury review” is not the normal course of "
        "the edition now."]
    edition_phase_change(edition=edition, to=Phase.REVIEW, by=organiser, at=at,
                         reason="Every municipality has entered.")
    edition.refresh_from_db()
    assert (edition.phase, edition.submissions_close_at, edition.review_open_at) == (
        Phase.REVIEW, at, at)
    assert _moves(edition) == [(Phase.OPEN, Phase.REVIEW, organiser.pk,
                                "Every municipality has entered.")]


def test_phase_change_extending_the_deadline_moves_the_review_after_it():
    edition = _edition(phase=Phase.REVIEW)
    organiser = OrganiserFactory()
    at = T0 + dt.timedelta(days=12)
    new_close = T0 + dt.timedelta(days=15)
    edition_phase_change(edition=edition, to=Phase.OPEN, by=organiser, at=at,
                         reason="The national holiday.", new_date=new_close)
    edition.refresh_from_db()
    assert (edition.phase, edition.submissions_close_at, edition.review_open_at,
            edition.review_close_at) == (Phase.OPEN, new_close, new_close,
                                         T0 + dt.timedelta(days=24))


def test_phase_change_extending_the_deadline_is_refused_once_a_sheet_is_submitted():
    edition = _edition(phase=Phase.REVIEW)
    JurySheetFactory(entry=EntryFactory(area=edition.areas.get()))
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.OPEN, by=OrganiserFactory(),
                             at=T0 + dt.timedelta(days=12), reason="Late.",
                             new_date=T0 + dt.timedelta(days=15))
    assert refusal.value.messages == ["1 jury sheet is already submitted."]


def test_phase_change_a_step_back_needs_a_new_closing_time_later_than_now():
    edition = _edition(phase=Phase.RANKED)
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.REVIEW, by=OrganiserFactory(),
                             at=T0 + dt.timedelta(days=21), reason="A juror was ill.")
    assert refusal.value.messages == ["Give a new closing time later than now."]


def test_phase_change_published_needs_a_published_run():
    edition = _edition(phase=Phase.RANKED)
    with pytest.raises(PhaseRefused) as refusal:
        edition_phase_change(edition=edition, to=Phase.PUBLISHED, by=OrganiserFactory(),
                             at=T0 + dt.timedelta(days=21))
    assert refusal.value.messages == [
        "No ranking run is published: publish one on the results page."]


def test_beat_moves_an_edition_whose_dates_passed_through_every_due_phase():
    edition = _edition()
    EntryFactory(area=edition.areas.get(), status=EntryStatus.ELIGIBLE)
    # the task, on today's clock: the call opens later (T0)
    assert advance_editions_by_date.apply().get() == {edition.slug: Phase.DRAFT}
    from competitions.lifecycle import editions_advance_by_date

    reached = [editions_advance_by_date(at=T0 + dt.timedelta(days=days, hours=1))[edition.slug]
               for days in (0, 5, 11, 21)]
    assert reached == [Phase.OPEN, Phase.OPEN, Phase.REVIEW, Phase.RANKED]
    assert _moves(edition) == [(Phase.DRAFT, Phase.OPEN, None, ""),
                               (Phase.OPEN, Phase.REVIEW, None, ""),
                               (Phase.REVIEW, Phase.RANKED, None, "")]


def test_beat_an_open_edition_whose_review_also_closed_goes_on_to_ranked():
    from competitions.lifecycle import editions_advance_by_date

    edition = _edition(phase=Phase.OPEN)
    assert editions_advance_by_date(at=T0 + dt.timedelta(days=21)) == {
        edition.slug: Phase.RANKED}
    assert _moves(edition) == [(Phase.OPEN, Phase.REVIEW, None, ""),
                               (Phase.REVIEW, Phase.RANKED, None, "")]


def test_beat_a_draft_whose_deadline_passed_waits_and_says_why():
    from competitions.lifecycle import editions_advance_by_date

    edition = _edition()
    editions_advance_by_date(at=T0 + dt.timedelta(days=10))
    assert PhaseHold.objects.get(edition=edition).reasons == [
        "The submission deadline (11 March 2027, 11:00 (Europe/Sofia)) has passed: set a "
        "later one."]


def test_beat_a_held_move_says_why_and_tells_the_organisers_once(
        django_capture_on_commit_callbacks):
    from competitions.lifecycle import editions_advance_by_date

    organiser = OrganiserFactory(email="org@example.org")
    edition = _edition(phase=Phase.OPEN)
    EntryFactory.create_batch(12, area=edition.areas.get(), status=EntryStatus.SUBMITTED)
    for hours in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            editions_advance_by_date(at=T0 + dt.timedelta(days=11, hours=hours))
    hold = PhaseHold.objects.get(edition=edition)
    assert (hold.target, hold.reasons) == (
        Phase.REVIEW, ["12 submitted entries have no eligibility decision."])
    assert [message.to for message in mail.outbox] == [[organiser.email]]
    assert "12 submitted entries have no eligibility decision." in mail.outbox[0].body
    edition.refresh_from_db()
    assert edition.phase == Phase.OPEN


def test_beat_task_is_registered_in_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["competitions-advance-editions-by-date"] == {
        "task": "competitions.tasks.advance_editions_by_date", "schedule": 300.0}


# --- the set-up lock -----------------------------------------------------------------------
def test_setup_a_criterion_weight_changes_while_the_edition_is_open():
    criterion = CriterionFactory(edition=_edition(phase=Phase.OPEN))
    criterion.weight = Decimal(2)
    criterion.full_clean()


def test_setup_a_criterion_weight_change_after_review_starts_is_refused_with_the_way_out():
    edition = _edition(phase=Phase.REVIEW)
    criterion = edition.criteria.get()
    criterion.weight = Decimal(2)
    with pytest.raises(ValidationError) as refusal:
        criterion.full_clean()
    assert refusal.value.messages == [
        f"The set-up of “{edition.display_title}” is locked since the jury review began: "
        "criteria, weights, rubric levels, the scale, areas, their awards and the minimum of "
        "sheets stay as the jurors saw them. Copy the edition to change them, or unlock the "
        "set-up on its console (only before any jury sheet is submitted)."]


@pytest.mark.parametrize("change", ["awards", "rubric", "scale", "new_criterion"])
def test_setup_every_locked_part_is_refused_in_review(change):
    edition = _edition(phase=Phase.REVIEW)
    if change == "awards":
        thing = edition.areas.get()
        thing.awards = 3
    elif change == "rubric":
        thing = RubricLevelFactory.build(criterion=edition.criteria.get())
    elif change == "scale":
        thing = edition
        thing.scale_max = 5
    else:
        thing = CriterionFactory.build(edition=edition, order=9)
    with pytest.raises(ValidationError) as refusal:
        thing.full_clean()
    assert "Copy the edition to change them" in refusal.value.messages[0]


def test_setup_unlock_is_recorded_and_lets_a_weight_change():
    edition = _edition(phase=Phase.REVIEW)
    organiser = OrganiserFactory()
    edition_setup_unlock(edition=edition, by=organiser, reason="A weight was mistyped.")
    criterion = edition.criteria.get()
    criterion.weight = Decimal(2)
    criterion.full_clean()
    assert list(SetupUnlock.objects.values_list("edition", "by", "reason")) == [
        (edition.pk, organiser.pk, "A weight was mistyped.")]


def test_setup_unlock_is_refused_once_a_sheet_is_submitted_and_names_the_way_out():
    edition = _edition(phase=Phase.REVIEW)
    JurySheetFactory(entry=EntryFactory(area=edition.areas.get()))
    with pytest.raises(ValidationError) as refusal:
        edition_setup_unlock(edition=edition, by=OrganiserFactory(), reason="Typo.")
    assert refusal.value.messages == [
        "1 jury sheet is already submitted.",
        "The set-up stays as the jurors scored it: copy the edition to change it."]


def test_setup_an_unlock_is_void_once_a_sheet_is_submitted():
    edition = _edition(phase=Phase.REVIEW)
    edition_setup_unlock(edition=edition, by=OrganiserFactory(), reason="Typo.")
    JurySheetFactory(entry=EntryFactory(area=edition.areas.get()))
    criterion = edition.criteria.get()
    criterion.weight = Decimal(2)
    with pytest.raises(ValidationError):
        criterion.full_clean()


def test_edition_copy_of_a_published_edition_starts_as_a_draft_with_no_moves():
    from competitions.services import edition_copy

    edition = _edition(phase=Phase.PUBLISHED)
    copy = edition_copy(edition=edition, slug="next-year")
    assert (copy.phase, _moves(copy)) == (Phase.DRAFT, [])
    assert timezone.is_aware(copy.submissions_open_at)
