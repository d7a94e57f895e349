"""The parts of the organiser's results page and of a sheet's audit, each tried alone on
objects that are never saved."""

from types import SimpleNamespace

import pytest

from scoring.enums import RunStatus, SheetStatus
from scoring.models import JurySheet, RankingResult, RankingRun, SheetScore
from scoring.selectors.jury import _record_changes
from scoring.selectors.ranking import _moved_ids, _result_rows, _runs_chosen

pytestmark = pytest.mark.unit


def _run(pk, status=RunStatus.SUCCEEDED, published=False):
    return RankingRun(pk=pk, status=status, is_published=published)


def test_the_run_shown_is_the_one_asked_for_else_the_published_else_the_latest():
    runs = [_run(4, RunStatus.FAILED), _run(3), _run(2, published=True), _run(1)]
    assert _runs_chosen(runs, None, None) == (runs[2], None)
    assert _runs_chosen(runs, 1, 3) == (runs[3], runs[1])
    assert _runs_chosen(runs, 4, 2) == (runs[2], None)  # a failed run is never shown
    assert _runs_chosen(runs[:2], None, None) == (runs[1], None)
    assert _runs_chosen([runs[0]], None, None) == (None, None)


def test_moved_entries_need_a_second_run():
    columns = [(1, 9, 1, 1, 9.0), (2, 9, 2, 2, 8.0), (3, 9, 3, None, 7.0)]
    assert _moved_ids(columns, None, preview=10) == set()
    standing = {1: (2, 2, 8.0), 2: (1, 1, 9.0), 3: (3, None, 7.0)}
    assert _moved_ids(columns, standing, preview=10) == {1, 2}


def test_rows_beyond_the_preview_show_only_among_the_moved_unless_the_area_is_whole():
    results = [RankingResult(pk=n, entry_id=n, area_id=9, rank=n, place=None,
                             criterion_scores=[7.0]) for n in (1, 2, 3)]
    rows, moved = _result_rows(results, width=2, standing={3: (1, 1, 9.0)}, moved_ids={3},
                               whole_area=False, preview=2)
    assert [row.result.rank for row in rows[9]] == [1, 2]
    assert [(row.result.rank, row.other_rank, row.scores) for row in moved] == [
        (3, 1, [7.0, None])]
    rows, _moved = _result_rows(results, width=1, standing=None, moved_ids=set(),
                                whole_area=True, preview=2)
    assert [(row.result.rank, row.compared) for row in rows[9]] == [
        (1, False), (2, False), (3, False)]


def test_a_sheet_record_lists_what_it_changed_as_people_read_it():
    first = SimpleNamespace(status=SheetStatus.DRAFT, recused=False, recusal_reason="",
                            overall_comment="")
    later = SimpleNamespace(**{**vars(first), "status": SheetStatus.SUBMITTED})
    names = ("status", "recused", "recusal_reason", "overall_comment")
    created = _record_changes(JurySheet, names, None, first, empty=("", False, None),
                              shown=True)
    assert [(c.old, c.new) for c in created] == [(None, "Draft")]
    changed = _record_changes(JurySheet, names, first, later, empty=("", False, None),
                              shown=True)
    assert [(c.what, c.old, c.new) for c in changed] == [("status", "Draft", "Submitted")]


def test_a_first_score_of_zero_is_still_a_change():
    record = SimpleNamespace(value=0, comment="")
    changes = _record_changes(SheetScore, ("value", "comment"), None, record,
                              empty=("", None), shown=False)
    assert [(c.old, c.new) for c in changes] == [(None, 0)]
