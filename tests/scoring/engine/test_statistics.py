"""Hand-worked cases of the statistics as the deliberation issue settled them: zscore ranks on
unclipped values, leniency against the other jurors, polarised after leniency, both sides of
an indistinguishable pair, and enough resamples for a rank confidence stable to +-0.02."""

from __future__ import annotations

import itertools
import statistics

import pytest

from scoring.engine import METHODS, JurorLeniency, compute_ranking
from scoring.engine.core import compute_ranking as core_compute

from .test_engine import competition, ranks

pytestmark = pytest.mark.unit

# Found by a search over small juries: clipping each juror's mapped score to the scale before
# averaging (the old zscore) made entry 3 the winner; entry 2 wins under every other method,
# unclipped zscore included, and entry 3 is second under all of them.
CLIPPING_CHANGED_THE_WINNER = {
    1: {1: (3,), 2: (2,), 3: (5,)},
    2: {1: (10,), 2: (8,), 3: (3,)},
    3: {1: (3,), 2: (10,), 3: (6,)},
    4: {1: (1,), 2: (5,), 3: (9,)},
}


def test_zscore_ranks_on_unclipped_values():
    data = competition(CLIPPING_CHANGED_THE_WINNER)

    outcomes = {method: compute_ranking(data, method, bootstrap_samples=0) for method in METHODS}

    for method, outcome in outcomes.items():
        assert (ranks(outcome)[2], ranks(outcome)[3]) == (1, 2), method
    # Juror 1's 10 maps above the scale; the old cut took 0.18 off entry 2 and put it second.
    totals = {r.entry_id: r.total for r in outcomes["zscore"].results}
    assert totals[2] == pytest.approx(6.419039930, abs=1e-8)
    assert totals[3] == pytest.approx(6.416918591, abs=1e-8)


def test_zscore_shows_figures_on_the_scale_while_ranking_on_unclipped_ones():
    # Juror 11 gives 10 once among low scores: their z for entry 1 maps far above 10.
    data = competition({1: {11: (10,), 12: (10,)}, 2: {11: (1,), 12: (9,)},
                        3: {11: (0,), 12: (8,)}, 4: {11: (1,), 12: (9.5,)}})

    outcome = compute_ranking(data, "zscore", bootstrap_samples=0)

    for result in outcome.results:
        assert 0 <= result.total <= 10
        assert all(0 <= score <= 10 for score in result.criterion_scores)
    assert ranks(outcome)[1] == 1


def test_leniency_is_measured_against_the_other_jurors_of_the_same_entry():
    # One entry, three sheets 9, 6, 6. Against the others: 9 - 6 = +3 and 6 - 7.5 = -1.5;
    # against a mean including the juror's own sheet it would be 9 - 7 = +2, a third less.
    data = competition({1: {11: (9,), 12: (6,), 13: (6,)}})

    leniency = compute_ranking(data, bootstrap_samples=0).areas[0].leniency

    assert leniency == (
        JurorLeniency(juror_id=11, mean_deviation=3.0, sheet_count=1),
        JurorLeniency(juror_id=12, mean_deviation=-1.5, sheet_count=1),
        JurorLeniency(juror_id=13, mean_deviation=-1.5, sheet_count=1),
    )


def test_one_harsh_and_one_lenient_juror_do_not_make_entries_polarised():
    # Juror 12 scores every entry 4 above juror 11: raw totals span 4 = 40% of the scale
    # on every entry (the old rule flagged all four). Their effects are -2 and +2; less
    # those, both sheets of each entry agree.
    data = competition({e: {11: (2 + e,), 12: (6 + e,)} for e in (1, 2, 3, 4)})

    outcome = compute_ranking(data, bootstrap_samples=0)

    assert all("polarised" not in r.flags for r in outcome.results)
    assert {r.sheet_total_max - r.sheet_total_min for r in outcome.results} == {4.0}


def test_the_first_unplaced_rival_of_a_near_tie_is_flagged_too():
    # As in test_indistinguishable_when_jurors_split_on_neighbours, with one award: entry 2
    # comes out ahead of entry 1 in a third of the resamples, so both sides are flagged,
    # entry 2 although it has no place.
    data = competition({1: {11: (9,), 12: (7,), 13: (7,)},
                        2: {11: (7,), 12: (8,), 13: (7,)},
                        3: {11: (1,), 12: (1,), 13: (1,)}}, awards=1)

    outcome = compute_ranking(data, bootstrap_samples=200)

    flags = {r.entry_id: r.flags for r in outcome.results}
    assert {r.entry_id: r.place for r in outcome.results} == {1: 1, 2: None, 3: None}
    assert flags == {1: ("indistinguishable",), 2: ("indistinguishable",), 3: ()}


def _exact_keep_share() -> dict[int, float]:
    """Entry 1 and 2 of the near tie above: every one of the 27 ordered draws of three
    jurors out of three, equally likely; a tie leaves both at rank 1."""
    scores = {1: {11: 9, 12: 7, 13: 7}, 2: {11: 7, 12: 8, 13: 7}}
    kept = {1: 0, 2: 0}
    draws = list(itertools.product((11, 12, 13), repeat=3))
    for draw in draws:
        first = statistics.fmean(scores[1][j] for j in draw)
        second = statistics.fmean(scores[2][j] for j in draw)
        kept[1] += first >= second - 1e-9
        kept[2] += first > second + 1e-9
    return {entry: count / len(draws) for entry, count in kept.items()}


@pytest.mark.parametrize("seed", [1, 7, 2016, 424242, 99991])
def test_rank_confidence_with_the_default_resamples_is_within_two_hundredths(seed):
    data = competition({1: {11: (9,), 12: (7,), 13: (7,)},
                        2: {11: (7,), 12: (8,), 13: (7,)},
                        3: {11: (1,), 12: (1,), 13: (1,)}}, awards=2)
    exact = _exact_keep_share()

    outcome = core_compute(data, seed=seed)  # the engine's default number of resamples

    confidence = {r.entry_id: r.rank_confidence for r in outcome.results}
    assert confidence[1] == pytest.approx(exact[1], abs=0.02)
    assert confidence[2] == pytest.approx(exact[2], abs=0.02)
