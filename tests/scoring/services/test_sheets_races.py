"""A juror's requests racing each other: a double submit, an autosave racing the
submission, saves racing the review's deadline. Real threads, on PostgreSQL only (see
tests/races.py): nothing lost, nothing doubled."""

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from competitions.models import Edition
from scoring.enums import SheetStatus
from scoring.models import JudgingRound, JurySheet, SheetScore
from scoring.services.sheets import (
    SheetError,
    sheet_get_or_create,
    sheet_reopen,
    sheet_save,
    sheet_submit,
)
from tests.races import RACE_MARKS, race
from tests.scoring.factories_jury import sheet_values

pytestmark = RACE_MARKS
LOCKED = "This sheet is submitted and locked: reopen it to change it."
# Rounds of the autosave-against-submit race: each round the two start at the same moment,
# so both orders (and the moment between the submission's save and its lock) get tried.
ROUNDS = 20


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sheet_double_submit_from_two_threads_submits_once_without_an_error(jury):
    first, second = jury.criteria
    url = reverse("jury_sheet", args=[jury.entry.pk])
    form = {f"score-{first.pk}": "7", f"comment-{first.pk}": "Clear results",
            f"score-{second.pk}": "5", f"comment-{second.pk}": "",
            "overall_comment": "Solid", "action": "submit"}
    # A double click on the first visit: neither request finds a sheet yet.
    tabs = [_signed_in(jury.juror), _signed_in(jury.juror)]
    answers = race(*[lambda tab=tab: tab.post(url, form) for tab in tabs])
    assert [(answer.status_code, answer.get("Location")) for answer in answers] == [
        (302, reverse("juror_dashboard"))] * 2
    sheet = JurySheet.objects.get(entry=jury.entry, juror=jury.juror)
    assert (sheet.status, sheet.overall_comment) == (SheetStatus.SUBMITTED, "Solid")
    assert sheet_values(sheet) == {first.pk: (7, "Clear results"), second.pk: (5, "")}
    # One submission in the sheet's audit trail, each score written once.
    assert JurySheet.history.filter(id=sheet.pk, status=SheetStatus.SUBMITTED).count() == 1
    assert SheetScore.history.filter(sheet_id=sheet.pk).count() == 2


def test_sheet_autosave_racing_the_submission_never_changes_the_submitted_sheet(jury):
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    landed = refused = 0
    for round_ in range(ROUNDS):
        if sheet.status == SheetStatus.SUBMITTED:
            sheet = sheet_reopen(sheet=sheet, by=jury.juror)
        sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: None, second.pk: None},
                   overall_comment="")
        submitted = {first.pk: round_ % 11, second.pk: 10 - round_ % 11}
        stale = (submitted[second.pk] + 1) % 11  # another tab, showing an older score
        typed = f"typed in round {round_}"
        autosave, submission = race(
            lambda sheet=sheet, stale=stale, typed=typed: sheet_save(
                sheet=sheet, by=jury.juror, scores={second.pk: stale}, overall_comment=typed),
            lambda sheet=sheet, submitted=submitted: sheet_submit(
                sheet=sheet, by=jury.juror, scores=submitted))
        assert isinstance(submission, JurySheet)
        sheet.refresh_from_db()
        assert sheet.status == SheetStatus.SUBMITTED
        # The sheet submitted is exactly what the submission carried ...
        assert sheet_values(sheet) == {pk: (value, "") for pk, value in submitted.items()}
        if isinstance(autosave, SheetError):  # ... the autosave came too late: refused
            refused += 1
            assert autosave.messages == [LOCKED]
            assert sheet.overall_comment == ""
        else:  # ... or it landed first, and what only it carried is in the submitted sheet
            landed += 1
            assert isinstance(autosave, JurySheet)
            assert sheet.overall_comment == typed
        # and nothing changed once it was submitted.
        submission_record = JurySheet.history.filter(
            id=sheet.pk, status=SheetStatus.SUBMITTED).latest("history_date", "history_id")
        after = submission_record.history_date
        assert not SheetScore.history.filter(sheet_id=sheet.pk, history_date__gt=after).exists()
        assert not JurySheet.history.filter(id=sheet.pk, history_date__gt=after).exists()
    assert landed + refused == ROUNDS


@pytest.fixture
def review_closing_at_midnight_in_sofia(jury):
    """The review closes at midnight of 1 March 2026 in the edition's time zone (22:00 UTC
    the day before)."""
    closes = dt.datetime(2026, 3, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Sofia"))
    Edition.objects.filter(pk=jury.edition.pk).update(
        time_zone="Europe/Sofia", submissions_open_at=closes - dt.timedelta(days=60),
        submissions_close_at=closes - dt.timedelta(days=30),
        review_open_at=closes - dt.timedelta(days=10), review_close_at=closes)
    # round 1 keeps the edition's review dates (an update() skips the signal that does it)
    JudgingRound.objects.filter(edition_id=jury.edition.pk, number=1).update(
        review_open_at=closes - dt.timedelta(days=10), review_close_at=closes)
    return closes


def test_sheet_saves_racing_the_review_deadline_are_decided_by_their_time_not_their_order(
        jury, review_closing_at_midnight_in_sofia):
    """Two saves of ONE sheet at the same moment, one a second before midnight in Sofia and
    one at midnight, over many rounds (so each gets the sheet's lock first in some): the
    first is always saved, the second always refused, whichever ran first, and nothing of
    the refused one is written, not even an audit record."""
    closes = review_closing_at_midnight_in_sofia
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    for round_ in range(ROUNDS):
        in_time, too_late = race(
            lambda value=round_ % 11, note=f"round {round_}": sheet_save(
                sheet=sheet, by=jury.juror, scores={first.pk: value},
                comments={first.pk: note}, at=closes - dt.timedelta(seconds=1)),
            lambda value=(round_ + 3) % 11, note=f"late {round_}": sheet_save(
                sheet=sheet, by=jury.juror, scores={second.pk: value},
                overall_comment=note, at=closes))
        assert isinstance(in_time, JurySheet), in_time
        assert isinstance(too_late, SheetError)
        assert too_late.messages == [
            "The jury review closed on 1 March 2026, 00:00: sheets can no longer be changed."]
        sheet.refresh_from_db()
        assert sheet_values(sheet) == {first.pk: (round_ % 11, f"round {round_}")}
        assert sheet.overall_comment == ""
    # Nothing half-saved in any round: no score, comment or audit record of a late save.
    assert not SheetScore.history.filter(sheet_id=sheet.pk, criterion_id=second.pk).exists()
    assert list(JurySheet.history.filter(id=sheet.pk).values_list(
        "history_type", flat=True)) == ["+"]


def test_sheet_submit_and_save_racing_the_review_deadline_leave_the_sheet_as_submitted(
        jury, review_closing_at_midnight_in_sofia):
    """A submission a moment before midnight and a save at midnight, at once: whichever
    takes the lock first, the save is refused and the sheet stays as submitted."""
    closes = review_closing_at_midnight_in_sofia
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    outcomes = race(
        lambda: sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 4, second.pk: 9},
                             at=closes - dt.timedelta(microseconds=1)),
        lambda: sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: 10},
                           overall_comment="after midnight", at=closes))
    assert isinstance(outcomes[0], JurySheet)
    assert isinstance(outcomes[1], SheetError)
    assert outcomes[1].messages == [
        "The jury review closed on 1 March 2026, 00:00: sheets can no longer be changed."]
    sheet.refresh_from_db()
    assert (sheet.status, sheet.overall_comment) == (SheetStatus.SUBMITTED, "")
    assert sheet_values(sheet) == {first.pk: (4, ""), second.pk: (9, "")}
