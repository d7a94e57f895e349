"""Concurrent saves of one sheet, on PostgreSQL (row locks are real there; SQLite serialises
whole-database writes and proves nothing)."""

from scoring.models import JurySheet, SheetScore
from scoring.services.sheets import sheet_get_or_create, sheet_save
from tests.factories import CriterionFactory
from tests.races import RACE_MARKS, race

pytestmark = RACE_MARKS


def _run_together(workers):
    """Start every worker at the same moment; none may fail."""
    outcomes = race(*workers)
    assert [o for o in outcomes if isinstance(o, Exception)] == []


def test_sheet_concurrent_saves_of_different_criteria_lose_nothing(jury):
    criteria = jury.criteria + [CriterionFactory(edition=jury.edition, order=3),
                                CriterionFactory(edition=jury.edition, order=4)]
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)

    def saver(index, criterion):
        def work():
            for round_ in range(10):
                sheet_save(sheet=sheet, by=jury.juror, scores={criterion.pk: (index + round_) % 11},
                           comments={criterion.pk: f"c{index}-{round_}"})
        return work

    _run_together([saver(index, criterion) for index, criterion in enumerate(criteria)])
    saved = {s.criterion_id: (s.value, s.comment) for s in SheetScore.objects.filter(sheet=sheet)}
    assert saved == {criterion.pk: ((index + 9) % 11, f"c{index}-9")
                     for index, criterion in enumerate(criteria)}


def test_sheet_concurrent_saves_of_the_same_criterion_last_one_wins(jury):
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    sheet_save(sheet=sheet, by=jury.juror, scores={second.pk: 4}, comments={second.pk: "kept"})

    def saver(value):
        return lambda: sheet_save(sheet=sheet, by=jury.juror, scores={first.pk: value},
                                  overall_comment=f"overall {value}")

    _run_together([saver(value) for value in (1, 2, 3, 5, 6, 7, 8, 9)])
    score = SheetScore.objects.get(sheet=sheet, criterion=first)
    # every save landed whole, one after the other: each value recorded once
    assert sorted(SheetScore.history.filter(id=score.pk).values_list("value", flat=True)) == [
        1, 2, 3, 5, 6, 7, 8, 9]
    sheet.refresh_from_db()
    assert sheet.overall_comment == f"overall {score.value}"
    assert SheetScore.objects.get(sheet=sheet, criterion=second).value == 4
    assert SheetScore.objects.get(sheet=sheet, criterion=second).comment == "kept"


def test_sheet_first_saves_at_once_make_one_sheet(jury):
    first, second = jury.criteria

    def saver(criterion, value):
        def work():
            sheet = sheet_get_or_create(entry=jury.entry, juror=jury.other_juror)
            sheet_save(sheet=sheet, by=jury.other_juror, scores={criterion.pk: value})
        return work

    _run_together([saver(first, 3), saver(second, 8)])
    sheet = JurySheet.objects.get(entry=jury.entry, juror=jury.other_juror)
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {first.pk: 3, second.pk: 8}
