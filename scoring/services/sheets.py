"""A juror's sheet for one entry: drafts, submission, reopening, recusal.

Every write locks the sheet row first, so two saves of the same sheet (two tabs, an
autosave racing a click) run one after the other: the last one wins for the fields it
carries, and fields it does not carry (another criterion's score) are left as they are.
Scores are rows of their own (SheetScore), so a save touches only the criteria it names.
"""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from competitions.models import Criterion, Edition
from practices.models import Entry

from ..enums import SheetStatus
from ..models import JudgingRound, JurySheet, SheetScore
from ..rules import entry_is_scorable, round_scoring_closed, round_scoring_open, sheet_round
from ..selectors.rounds import assigned_round


class SheetError(ValidationError):
    """A change to a sheet the rules refuse; the message says why, for the juror."""


class SheetLocked(SheetError):
    """The sheet cannot be changed at all now (submitted, a conflict declared, the review
    not open): whatever page the juror is typing in shows it out of date."""


def _review_check(*, sheet: JurySheet, at: dt.datetime) -> None:
    """Scoring of the sheet's round is open (`scoring.rules.round_scoring_open`)."""
    judging_round = sheet_round(sheet)
    edition = judging_round.edition
    if round_scoring_open(judging_round, at):
        return
    if round_scoring_closed(judging_round, at):
        closed_at = edition.local(judging_round.review_close_at)
        raise SheetLocked(_("The jury review closed on %(date)s: sheets can no longer be "
                            "changed.") % {"date": date_format(closed_at, "DATETIME_FORMAT")})
    opens_at = edition.local(judging_round.review_open_at)
    raise SheetLocked(_("The jury review has not opened yet: it opens on %(date)s.")
                      % {"date": date_format(opens_at, "DATETIME_FORMAT")})


def _entry_check(*, entry: Entry) -> None:
    if not entry_is_scorable(entry):
        raise SheetLocked(_("This entry is no longer scored: the organisers found it not "
                            "eligible, or it was withdrawn."))


def _owner_check(*, sheet: JurySheet, by: User) -> None:
    if sheet.juror_id != by.pk:
        raise SheetError(_("This sheet belongs to another juror: you cannot change it."))


def _assignment_check(*, entry: Entry, juror: User,
                      judging_round: JudgingRound | None = None) -> int:
    """The round of the juror's active assignment of the entry (`assigned_round`: the given
    round, else the latest round the entry is assigned to them in), or refused."""
    assigned = assigned_round(entry=entry, juror=juror, judging_round=judging_round)
    if assigned is None:
        raise SheetError(_("This entry is not assigned to you."))
    _entry_check(entry=entry)
    return assigned.pk


def _locked(sheet: JurySheet) -> JurySheet:
    return (JurySheet.objects.select_for_update().select_related("entry__edition", "round")
            .get(pk=sheet.pk))


def sheet_get_or_create(*, entry: Entry, juror: User,
                        judging_round: JudgingRound | None = None) -> JurySheet:
    """The juror's sheet for an assigned entry in a round (by default the latest round the
    entry is assigned to them in: a round after the first scores on a fresh sheet), made
    empty on first use."""
    round_id = _assignment_check(entry=entry, juror=juror, judging_round=judging_round)
    sheet = JurySheet.objects.filter(entry=entry, juror=juror, round_id=round_id).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            sheet = JurySheet(entry=entry, juror=juror, round_id=round_id)
            sheet._history_user = juror
            sheet.save()
    except IntegrityError:
        # Two first visits at once: the other one made it.
        sheet = JurySheet.objects.get(entry=entry, juror=juror, round_id=round_id)
    return sheet


def _clean_scores(*, edition: Edition, criteria: dict[int, Criterion],
                  scores: Mapping[int, int | None]) -> dict[int, int | None]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, int | None] = {}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise SheetError(_("This criterion does not belong to the edition."))
        if value is not None and not (edition.scale_min <= value <= edition.scale_max):
            errors[f"score-{criterion_id}"] = [
                _("“%(criterion)s”: the score must be between %(min)s and %(max)s.")
                % {"criterion": criterion.display_title, "min": edition.scale_min,
                   "max": edition.scale_max}]
            continue
        cleaned[criterion_id] = value
    if errors:
        raise SheetError(errors)
    return cleaned


def _changes(*, sheet: JurySheet, criteria: dict[int, Criterion],
             scores: Mapping[int, int | None], comments: Mapping[int, str],
             overall_comment: str | None) -> tuple[list[SheetScore], str | None]:
    """What a save would write, checked, without writing it: the score rows whose value or
    comment differ from what is given, and the overall comment if it differs (else None)."""
    scores = _clean_scores(edition=sheet.entry.edition, criteria=criteria, scores=scores)
    for criterion_id in comments:
        if criterion_id not in criteria:
            raise SheetError(_("This criterion does not belong to the edition."))
    existing = {score.criterion_id: score
                for score in SheetScore.objects.select_for_update().filter(sheet=sheet)}
    rows: list[SheetScore] = []
    for criterion_id in sorted(set(scores) | set(comments)):
        row = existing.get(criterion_id) or SheetScore(sheet=sheet, criterion_id=criterion_id)
        new_value = scores.get(criterion_id, row.value)
        new_comment = comments.get(criterion_id, row.comment).strip()
        if row.pk and row.value == new_value and row.comment == new_comment:
            continue
        if not row.pk and new_value is None and not new_comment:
            continue
        row.value, row.comment = new_value, new_comment
        rows.append(row)
    if overall_comment is not None and overall_comment.strip() != sheet.overall_comment:
        return rows, overall_comment.strip()
    return rows, None


def _apply(*, sheet: JurySheet, by: User, criteria: dict[int, Criterion],
           scores: Mapping[int, int | None], comments: Mapping[int, str],
           overall_comment: str | None) -> list[str]:
    """Write what was given, row by row, only where it changed. Returns what changed."""
    rows, overall = _changes(sheet=sheet, criteria=criteria, scores=scores, comments=comments,
                             overall_comment=overall_comment)
    changed: list[str] = []
    for row in rows:
        row._history_user = by
        row.save()
        changed.append(f"criterion-{row.criterion_id}")
    if overall is not None:
        sheet.overall_comment = overall
        sheet._history_user = by
        sheet.save(update_fields=["overall_comment", "updated_at"])
        changed.append("overall_comment")
    return changed


def _criteria_of(edition: Edition) -> dict[int, Criterion]:
    return {criterion.pk: criterion for criterion in edition.criteria.all()}


@transaction.atomic
def sheet_save(*, sheet: JurySheet, by: User, scores: Mapping[int, int | None] | None = None,
               comments: Mapping[int, str] | None = None, overall_comment: str | None = None,
               at: dt.datetime | None = None) -> JurySheet:
    """Save a draft: only the given criteria and comments change.

    Refused when the sheet is someone else's, submitted (reopen it first), a recusal, when a
    score is outside the edition's scale, or outside the review phase.
    """
    at = at or timezone.now()
    _owner_check(sheet=sheet, by=by)
    sheet = _locked(sheet)
    _review_check(sheet=sheet, at=at)
    _entry_check(entry=sheet.entry)
    if sheet.recused:
        raise SheetLocked(_("You declared a conflict of interest for this entry: withdraw the "
                            "declaration to score it."))
    if sheet.status == SheetStatus.SUBMITTED:
        raise SheetLocked(_("This sheet is submitted and locked: reopen it to change it."))
    _apply(sheet=sheet, by=by, criteria=_criteria_of(sheet.entry.edition),
           scores=scores or {}, comments=comments or {}, overall_comment=overall_comment)
    return sheet


def sheet_submit(*, sheet: JurySheet, by: User, scores: Mapping[int, int | None] | None = None,
                 comments: Mapping[int, str] | None = None, overall_comment: str | None = None,
                 at: dt.datetime | None = None) -> JurySheet:
    """Save what was given and submit: every criterion needs a score (and a comment when the
    edition requires comments). A submitted sheet is locked until the juror reopens it.

    The save and the submission hold one lock on the sheet, so the sheet submitted is what
    this request carried: an autosave from another tab runs wholly before (and what only it
    carried is submitted too) or wholly after (and is refused), never in between.
    Submitting again exactly what is submitted (a double click, the back button) changes
    nothing and is no error; submitting something else is refused: reopen first.
    A refused submission (a criterion left without a score) still keeps what was given, as a
    draft, so nothing the juror typed is lost.
    """
    at = at or timezone.now()
    _owner_check(sheet=sheet, by=by)
    scores, comments = scores or {}, comments or {}
    with transaction.atomic():
        sheet = _locked(sheet)
        edition = sheet.entry.edition
        _review_check(sheet=sheet, at=at)
        _entry_check(entry=sheet.entry)
        if sheet.recused:
            raise SheetError(_("You declared a conflict of interest for this entry: it cannot "
                               "be submitted with scores."))
        criteria = _criteria_of(edition)
        if sheet.status == SheetStatus.SUBMITTED:
            rows, overall = _changes(sheet=sheet, criteria=criteria, scores=scores,
                                     comments=comments, overall_comment=overall_comment)
            if rows or overall is not None:
                raise SheetLocked(_("This sheet is submitted and locked: reopen it to change "
                                    "it."))
            return sheet
        _apply(sheet=sheet, by=by, criteria=criteria, scores=scores, comments=comments,
               overall_comment=overall_comment)
        errors = _submission_errors(sheet=sheet, criteria=criteria)
        if not errors:
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = at
            sheet._history_user = by
            sheet.save(update_fields=["status", "submitted_at", "updated_at"])
            return sheet
    raise SheetError(errors)  # after the commit: the draft is kept


def _submission_errors(*, sheet: JurySheet, criteria: dict[int, Criterion]
                       ) -> dict[str, list[str]]:
    """What keeps the sheet from being submitted, per field."""
    edition = sheet.entry.edition
    saved = {score.criterion_id: score for score in sheet.scores.all()}
    errors: dict[str, list[str]] = {}
    for criterion in sorted(criteria.values(), key=lambda c: c.order):
        score = saved.get(criterion.pk)
        if score is None or score.value is None:
            errors[f"score-{criterion.pk}"] = [
                _("“%(criterion)s” has no score yet.") % {"criterion": criterion.display_title}]
        elif edition.jury_comments_required and not score.comment:
            errors[f"comment-{criterion.pk}"] = [
                _("“%(criterion)s” needs a comment.") % {"criterion": criterion.display_title}]
    return errors


@transaction.atomic
def sheet_reopen(*, sheet: JurySheet, by: User, at: dt.datetime | None = None) -> JurySheet:
    """The juror takes back a submitted sheet to change it, while the review is open."""
    at = at or timezone.now()
    _owner_check(sheet=sheet, by=by)
    sheet = _locked(sheet)
    _review_check(sheet=sheet, at=at)
    _entry_check(entry=sheet.entry)
    if sheet.recused or sheet.status != SheetStatus.SUBMITTED:
        raise SheetError(_("This sheet is not submitted."))
    sheet.status = SheetStatus.DRAFT
    sheet._history_user = by
    sheet.save(update_fields=["status", "updated_at"])
    return sheet


@transaction.atomic
def sheet_recuse(*, sheet: JurySheet, by: User, reason: str,
                 at: dt.datetime | None = None) -> JurySheet:
    """The juror declares a conflict of interest instead of scoring: the sheet never counts.
    A reason is required; the declaration is possible until the review closes, on a sheet
    that is not submitted (a submitted sheet is locked: reopen it first). The rule is
    `scoring.rules.sheet_can_declare_conflict`."""
    at = at or timezone.now()
    _owner_check(sheet=sheet, by=by)
    sheet = _locked(sheet)
    if round_scoring_closed(sheet_round(sheet), at):  # declared before the round opens too
        _review_check(sheet=sheet, at=at)
    _entry_check(entry=sheet.entry)
    if sheet.recused:
        raise SheetError(_("A conflict of interest is already declared on this sheet."))
    if sheet.status == SheetStatus.SUBMITTED:
        raise SheetLocked(_("This sheet is submitted and locked: reopen it to declare a "
                            "conflict of interest."))
    reason = reason.strip()
    if not reason:
        raise SheetError({"reason": [_("Say why you have a conflict of interest.")]})
    sheet.recused = True
    sheet.recusal_reason = reason
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    sheet._history_user = by
    sheet.save(update_fields=["recused", "recusal_reason", "status", "submitted_at",
                              "updated_at"])
    return sheet


@transaction.atomic
def sheet_recusal_withdraw(*, sheet: JurySheet, by: User,
                           at: dt.datetime | None = None) -> JurySheet:
    """The juror takes back a declared conflict of interest, while the review is open."""
    at = at or timezone.now()
    _owner_check(sheet=sheet, by=by)
    sheet = _locked(sheet)
    _review_check(sheet=sheet, at=at)
    _entry_check(entry=sheet.entry)
    if not sheet.recused:
        raise SheetError(_("No conflict of interest is declared on this sheet."))
    sheet.recused = False
    sheet._history_user = by
    sheet.save(update_fields=["recused", "updated_at"])
    return sheet
