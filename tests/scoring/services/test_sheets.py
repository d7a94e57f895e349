import datetime as dt

import pytest

from scoring.enums import SheetStatus
from scoring.models import JurySheet, SheetScore
from scoring.selectors.jury import sheet_audit
from scoring.services.sheets import (
    SheetError,
    sheet_get_or_create,
    sheet_recusal_withdraw,
    sheet_recuse,
    sheet_reopen,
    sheet_save,
    sheet_submit,
)
from tests.factories import EntryFactory, UserFactory
from tests.scoring.factories_jury import sheet_values


def _sheet(jury, juror=None):
    return sheet_get_or_create(entry=jury.entry, juror=juror or jury.juror)


def _messages(error):
    return [str(m) for m in error.value.messages]


@pytest.mark.django_db
def test_sheet_get_or_create_refuses_an_entry_not_assigned(jury):
    with pytest.raises(SheetError) as error:
        sheet_get_or_create(entry=EntryFactory(area=jury.area), juror=jury.juror)
    assert _messages(error) == ["This entry is not assigned to you."]


@pytest.mark.django_db
def test_sheet_save_changes_only_the_criteria_given(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: 6}, comments={first.pk: "Good"})
    sheet_save(sheet=sheet, by=jury.juror, scores={second.pk: 3})
    sheet_save(sheet=sheet, by=jury.juror, overall_comment="Solid work")
    assert sheet_values(sheet) == {first.pk: (6, "Good"), second.pk: (3, "")}
    sheet.refresh_from_db()
    assert (sheet.overall_comment, sheet.status) == ("Solid work", SheetStatus.DRAFT)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, 10])
def test_sheet_save_accepts_the_scale_bounds(jury, value):
    sheet = _sheet(jury)
    sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: value})
    assert sheet_values(sheet) == {jury.criteria[0].pk: (value, "")}


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-1, 11])
def test_sheet_save_refuses_scores_outside_the_scale(jury, value):
    sheet = _sheet(jury)
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: value})
    assert error.value.message_dict == {
        f"score-{jury.criteria[0].pk}": [
            "“Relevance and impact”: the score must be between 0 and 10."]}
    assert sheet_values(sheet) == {}


@pytest.mark.django_db
def test_sheet_save_follows_the_scale_of_the_edition(jury):
    jury.edition.scale_min, jury.edition.scale_max = 1, 5
    jury.edition.save()
    sheet = _sheet(jury)
    with pytest.raises(SheetError):
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 0})
    with pytest.raises(SheetError):
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 6})
    sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 5})
    assert sheet_values(sheet) == {jury.criteria[0].pk: (5, "")}


@pytest.mark.django_db
def test_sheet_save_refuses_a_criterion_of_another_edition(jury):
    from tests.factories import CriterionFactory

    foreign = CriterionFactory()
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=_sheet(jury), by=jury.juror, scores={foreign.pk: 5})
    assert _messages(error) == ["This criterion does not belong to the edition."]


@pytest.mark.django_db
def test_sheet_save_refuses_someone_elses_sheet(jury):
    sheet = _sheet(jury, jury.other_juror)
    sheet_save(sheet=sheet, by=jury.other_juror, scores={jury.criteria[0].pk: 4})
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 9})
    assert _messages(error) == ["This sheet belongs to another juror: you cannot change it."]
    for service in (sheet_submit, sheet_reopen, sheet_recusal_withdraw):
        with pytest.raises(SheetError):
            service(sheet=sheet, by=jury.juror)
    with pytest.raises(SheetError):
        sheet_recuse(sheet=sheet, by=jury.juror, reason="x")
    assert sheet_values(sheet) == {jury.criteria[0].pk: (4, "")}


@pytest.mark.django_db
def test_sheet_submit_refuses_missing_criteria_and_keeps_the_draft(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    with pytest.raises(SheetError) as error:
        sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7}, overall_comment="Fine")
    assert error.value.message_dict == {
        f"score-{second.pk}": ["“Innovativeness” has no score yet."]}
    sheet.refresh_from_db()
    assert (sheet.status, sheet.overall_comment) == (SheetStatus.DRAFT, "Fine")
    assert sheet_values(sheet) == {first.pk: (7, "")}


@pytest.mark.django_db
def test_sheet_submit_locks_a_complete_sheet(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7, second.pk: 5})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.submitted_at is not None
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: 1})
    assert _messages(error) == ["This sheet is submitted and locked: reopen it to change it."]
    assert sheet_values(sheet) == {first.pk: (7, ""), second.pk: (5, "")}


@pytest.mark.django_db
def test_sheet_submit_again_with_the_same_values_changes_nothing(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    given = {"scores": {first.pk: 7, second.pk: 5}, "comments": {first.pk: " Clear "},
             "overall_comment": "Solid"}
    sheet_submit(sheet=sheet, by=jury.juror, **given)
    submitted_at = JurySheet.objects.get(pk=sheet.pk).submitted_at
    records = (JurySheet.history.count(), SheetScore.history.count())
    # A double click or the back button sends the same sheet again: no error, no change.
    again = sheet_submit(sheet=sheet, by=jury.juror, **given)
    assert (again.status, again.submitted_at) == (SheetStatus.SUBMITTED, submitted_at)
    assert (JurySheet.history.count(), SheetScore.history.count()) == records


@pytest.mark.django_db
def test_sheet_submit_again_with_other_values_is_refused_and_changes_nothing(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7, second.pk: 5})
    for changed in ({"scores": {first.pk: 7, second.pk: 6}}, {"overall_comment": "Later"},
                    {"comments": {second.pk: "Later"}}):
        with pytest.raises(SheetError) as error:
            sheet_submit(sheet=sheet, by=jury.juror, **changed)
        assert _messages(error) == ["This sheet is submitted and locked: reopen it to change it."]
    sheet.refresh_from_db()
    assert (sheet.status, sheet.overall_comment) == (SheetStatus.SUBMITTED, "")
    assert sheet_values(sheet) == {first.pk: (7, ""), second.pk: (5, "")}


@pytest.mark.django_db
def test_sheet_submit_requires_comments_when_the_edition_says_so(jury):
    jury.edition.jury_comments_required = True
    jury.edition.save()
    first, second = jury.criteria
    sheet = _sheet(jury)
    with pytest.raises(SheetError) as error:
        sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7, second.pk: 5},
                     comments={first.pk: "Clear results"})
    assert error.value.message_dict == {
        f"comment-{second.pk}": ["“Innovativeness” needs a comment."]}
    sheet_submit(sheet=sheet, by=jury.juror, comments={second.pk: "New for Bulgaria"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


@pytest.mark.django_db
def test_sheet_reopen_lets_the_juror_change_and_submit_again(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7, second.pk: 5})
    sheet_reopen(sheet=sheet, by=jury.juror)
    sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: 9})
    sheet_submit(sheet=sheet, by=jury.juror)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet_values(sheet) == {first.pk: (9, ""), second.pk: (5, "")}


def _complete(jury):
    return {c.pk: 5 for c in jury.criteria}


@pytest.mark.django_db
def test_sheet_submit_at_the_last_minute_of_the_review_is_accepted(jury):
    sheet = _sheet(jury)
    close = jury.edition.review_close_at
    sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury),
                 at=close - dt.timedelta(minutes=1))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


@pytest.mark.django_db
def test_sheet_submit_when_the_review_closes_is_refused(jury):
    sheet = _sheet(jury)
    # fixed dates in order (the factory's are relative to today, which may be past them)
    jury.edition.submissions_open_at = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    jury.edition.submissions_close_at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    jury.edition.review_open_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    jury.edition.review_close_at = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)
    jury.edition.save()
    with pytest.raises(SheetError) as error:
        sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury),
                     at=jury.edition.review_close_at)
    # 16:00 UTC is 18:00 in Sofia: the message speaks the edition's time.
    assert _messages(error) == [
        "The jury review closed on 30 November 2026, 18:00: sheets can no longer be changed."]
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert sheet_values(sheet) == {}


@pytest.mark.django_db
def test_sheet_save_a_minute_before_the_review_opens_is_refused(jury):
    sheet = _sheet(jury)
    opens = jury.edition.review_open_at
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 5},
                   at=opens - dt.timedelta(minutes=1))
    assert _messages(error)[0].startswith("The jury review has not opened yet")
    sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 5}, at=opens)
    assert sheet_values(sheet) == {jury.criteria[0].pk: (5, "")}


@pytest.mark.django_db
def test_sheet_reopen_after_the_review_closed_is_refused(jury):
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury))
    with pytest.raises(SheetError):
        sheet_reopen(sheet=sheet, by=jury.juror,
                     at=jury.edition.review_close_at + dt.timedelta(seconds=1))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


@pytest.mark.django_db
def test_sheet_save_refused_once_the_edition_moved_past_review(jury):
    jury.edition.phase = "ranked"
    jury.edition.save()
    with pytest.raises(SheetError) as error:
        sheet_save(sheet=_sheet(jury), by=jury.juror, scores={jury.criteria[0].pk: 5})
    assert "closed" in _messages(error)[0]


@pytest.mark.django_db
def test_sheet_recuse_needs_a_reason(jury):
    sheet = _sheet(jury)
    with pytest.raises(SheetError) as error:
        sheet_recuse(sheet=sheet, by=jury.juror, reason="   ")
    assert error.value.message_dict == {"reason": ["Say why you have a conflict of interest."]}
    sheet.refresh_from_db()
    assert sheet.recused is False


@pytest.mark.django_db
def test_sheet_recuse_stops_scoring_until_withdrawn(jury):
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury))
    sheet_reopen(sheet=sheet, by=jury.juror)  # a submitted sheet is locked
    sheet_recuse(sheet=sheet, by=jury.juror, reason="My brother leads the project.")
    sheet.refresh_from_db()
    assert (sheet.recused, sheet.status, sheet.recusal_reason, sheet.counts) == (
        True, SheetStatus.DRAFT, "My brother leads the project.", False)
    with pytest.raises(SheetError):
        sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 1})
    with pytest.raises(SheetError):
        sheet_submit(sheet=sheet, by=jury.juror)
    sheet_recusal_withdraw(sheet=sheet, by=jury.juror)
    sheet_submit(sheet=sheet, by=jury.juror)
    sheet.refresh_from_db()
    assert (sheet.recused, sheet.status, sheet.counts) == (False, SheetStatus.SUBMITTED, True)


@pytest.mark.django_db
def test_sheet_audit_records_who_changed_a_submitted_sheet_when_and_from_what(jury):
    first, second = jury.criteria
    sheet = _sheet(jury)
    sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 7, second.pk: 5},
                 comments={first.pk: "Good"})
    sheet_reopen(sheet=sheet, by=jury.juror)
    sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: 9}, comments={first.pk: "Better"})
    sheet_submit(sheet=sheet, by=jury.juror)

    history = list(SheetScore.history.filter(sheet_id=sheet.pk, criterion_id=first.pk)
                   .order_by("history_date"))
    assert [(h.value, h.comment, h.history_user_id) for h in history] == [
        (7, "Good", jury.juror.pk), (9, "Better", jury.juror.pk)]
    events = sheet_audit(sheet=sheet)
    after = [(e.subject, c.what, c.old, c.new) for e in events if e.after_submission
             for c in e.changes]
    assert after == [
        ("jury sheet", "status", "Submitted", "Draft"),
        ("Relevance and impact", "score", 7, 9),
        ("Relevance and impact", "comment", "Good", "Better"),
        ("jury sheet", "status", "Draft", "Submitted"),
    ]
    assert {e.who for e in events} == {jury.juror}


@pytest.mark.django_db
def test_sheet_save_without_changes_records_nothing(jury):
    sheet = _sheet(jury)
    sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 6})
    sheet_save(sheet=sheet, by=jury.juror, scores={jury.criteria[0].pk: 6})
    assert SheetScore.history.filter(sheet_id=sheet.pk).count() == 1


@pytest.mark.django_db
def test_sheet_get_or_create_returns_the_same_sheet(jury):
    assert _sheet(jury).pk == _sheet(jury).pk
    assert JurySheet.objects.filter(entry=jury.entry, juror=jury.juror).count() == 1


@pytest.mark.django_db
def test_sheet_save_by_an_unrelated_user_is_refused(jury):
    stranger = UserFactory()
    sheet = _sheet(jury)
    with pytest.raises(SheetError):
        sheet_save(sheet=sheet, by=stranger, scores={jury.criteria[0].pk: 5})
    assert sheet_values(sheet) == {}
