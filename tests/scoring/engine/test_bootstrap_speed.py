"""What makes the bootstrap fast must not change what it reports: entries that cannot reach a
place are skipped exactly, the chunks of resamples add up to the same counts, and the
columnar outcome the ranking job stores is the outcome of compute_ranking, and the sensitivity
report reuses the run's own scores and ranking."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.engine import (
    METHODS,
    compute_ranking,
    compute_ranking_columns,
    input_fingerprint,
    sensitivity_report,
)
from scoring.engine import bootstrap as bootstrap_module
from scoring.engine import core as core_module
from scoring.engine import methods as methods_module
from scoring.engine import sensitivity as sensitivity_module
from scoring.engine.constants import TIE_TOLERANCE

from .test_engine import competition, random_competition

pytestmark = pytest.mark.unit


def _confidences(outcome) -> dict[int, tuple]:
    return {r.entry_id: (r.rank_confidence, r.flags) for r in outcome.results}


@pytest.mark.parametrize("method", METHODS)
def test_skipping_entries_that_cannot_reach_a_place_changes_nothing(method, monkeypatch):
    data = random_competition(5, entries=120, jurors=12)
    skipped = compute_ranking(data, method, bootstrap_samples=600, seed=3)

    # An infinite margin puts every bound at -inf: every entry is computed in every resample.
    monkeypatch.setattr(bootstrap_module, "PRUNE_MARGIN", np.inf)
    everyone = compute_ranking(data, method, bootstrap_samples=600, seed=3)

    assert _confidences(skipped) == _confidences(everyone)
    assert [a.resamples for a in skipped.areas] == [a.resamples for a in everyone.areas]


def test_chunks_of_resamples_add_up_to_the_same_counts(monkeypatch):
    data = random_competition(8, entries=60, jurors=10)
    whole = compute_ranking(data, bootstrap_samples=500, seed=11)

    monkeypatch.setattr(bootstrap_module, "CHUNK_CELLS", 64)  # a few resamples per chunk
    chunked = compute_ranking(data, bootstrap_samples=500, seed=11)

    assert _confidences(whole) == _confidences(chunked)


def test_most_entries_are_not_recomputed_in_a_large_area():
    # 300 entries, 3 places: only the entries whose best sheet can reach the places are.
    data = random_competition(2, entries=300, jurors=12)
    block = data.prepared.blocks[0]
    outcome = compute_ranking(data, bootstrap_samples=200, seed=1)
    rank = np.array([0] * block.entry_count)
    for r in outcome.results:
        rank[np.searchsorted(data.prepared.entry_ids, r.entry_id)] = r.rank or 0
    mult = bootstrap_module.draw_multiplicities(block.juror_count, 200,
                                                bootstrap_module.area_rng(1, block.area_id))
    lead = bootstrap_module.leaders(rank, block.awards)

    rows, _floor = bootstrap_module._needed_rows("weighted_mean", block, mult, lead, lead)

    assert len(rows) < block.entry_count // 3


def test_the_columns_the_job_stores_are_the_outcome():
    data = random_competition(4, entries=40)

    for method in METHODS:
        columns = compute_ranking_columns(data, method, bootstrap_samples=100, seed=2)
        outcome = compute_ranking(data, method, bootstrap_samples=100, seed=2)
        assert columns.outcome(input_fingerprint(data, method)) == outcome
        assert len(columns.columns) == 40


@pytest.mark.parametrize("method", METHODS)
def test_every_resampled_total_lies_within_the_bounds_the_skip_uses(method):
    data = random_competition(6, entries=80, jurors=9)
    for block in data.prepared.blocks:
        mult = bootstrap_module.draw_multiplicities(
            block.juror_count, 300, bootstrap_module.area_rng(6, block.area_id))
        rows = np.arange(block.entry_count)
        totals = bootstrap_module.sample_totals(method, block, mult, rows)
        low, high = methods_module.total_bounds(method, block, mult)
        drawn = np.isfinite(totals)

        assert drawn.any()
        assert (totals <= high + bootstrap_module.PRUNE_MARGIN)[drawn].all()
        assert (totals >= low - bootstrap_module.PRUNE_MARGIN)[drawn].all()


def test_a_weighted_mean_is_bounded_by_its_sheet_totals_not_its_criteria():
    # One entry, two sheets (weights 1, 1): (10, 0) and (0, 10) both total 5.0, so any mean
    # of them is 5.0; the per-criterion bound would allow 0.0 to 10.0.
    data = competition({1: {11: (10, 0), 12: (0, 10)}, 2: {11: (1, 1), 12: (1, 1)}},
                       weights=(1, 1))
    block = data.prepared.blocks[0]
    mult = bootstrap_module.draw_multiplicities(block.juror_count, 10, np.random.default_rng(0))

    low, high = methods_module.total_bounds("weighted_mean", block, mult)

    assert (low.tolist(), high.tolist()) == ([[5.0, 1.0]], [[5.0, 1.0]])
    assert block.total_bounds[1].tolist() == [10.0, 1.0]


@pytest.mark.parametrize("method", METHODS)
def test_resamples_whose_tie_chain_could_reach_a_skipped_entry_are_computed_again(method,
                                                                                 monkeypatch):
    # With no margin, the resample that sets the bound has its last candidate on the bound
    # itself: a tie chain could continue below it, among the skipped entries, so that
    # resample is computed again with every entry (the fallback), and the outcome is the
    # one computed on every entry in every resample.
    data = random_competition(4, entries=90, jurors=10)
    monkeypatch.setattr(bootstrap_module, "PRUNE_MARGIN", np.inf)
    everyone = compute_ranking(data, method, bootstrap_samples=400, seed=5)

    monkeypatch.setattr(bootstrap_module, "PRUNE_MARGIN", 0.0)
    computed_again = []
    tally_rows = bootstrap_module._tally_rows

    def spy(method, block, place, mult, rows, pairs, focus, floor):
        if floor == -np.inf:
            computed_again.append(mult.shape[0])
        return tally_rows(method, block, place, mult, rows, pairs, focus, floor)

    monkeypatch.setattr(bootstrap_module, "_tally_rows", spy)
    fallback = compute_ranking(data, method, bootstrap_samples=400, seed=5)

    assert sum(computed_again) > 0
    assert _confidences(fallback) == _confidences(everyone)
    assert [a.resamples for a in fallback.areas] == [a.resamples for a in everyone.areas]


def test_candidates_follow_a_tie_chain_below_the_last_place():
    # One place: 5.0 holds it; the next is within the tolerance of it, and the third within
    # the tolerance of the second (not of 5.0): a chain, so all three compete for it.
    step = 0.8 * TIE_TOLERANCE
    totals = np.array([[5.0, 5.0 - step, 5.0 - 2 * step, 4.0, -np.inf]])

    candidate, worst = bootstrap_module.select_candidates(totals, 1)

    assert candidate.tolist() == [[True, True, True, False, False]]
    assert worst.tolist() == [5.0 - 2 * step]


def test_the_sensitivity_report_reuses_the_runs_scores_and_ranking(monkeypatch):
    # The run's method is not computed again, and no other method scores every entry: each
    # is asked only for its places (`core.method_places`).
    data = random_competition(2, entries=50)
    compute_ranking_columns(data, "median", bootstrap_samples=50, seed=1)
    computed, placed = [], []
    scores, places = core_module.method_criterion_scores, core_module.method_places

    def spy_scores(prepared, method):
        computed.append(method)
        return scores(prepared, method)

    def spy_places(prepared, method):
        placed.append(method)
        return places(prepared, method)

    monkeypatch.setattr(core_module, "method_criterion_scores", spy_scores)
    monkeypatch.setattr(sensitivity_module, "method_places", spy_places)
    report = sensitivity_report(data, "median")

    assert computed == []
    assert sorted(placed) == ["trimmed_mean", "weighted_mean", "zscore"]
    assert report == sensitivity_report(random_competition(2, entries=50), "median")


def _places_of_every_entry(data, method) -> np.ndarray:
    prepared = data.prepared
    return core_module.place_entries(
        prepared, core_module.method_criterion_scores(prepared, method), prepared.weights)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [1, 7, 12])
def test_places_computed_for_the_entries_that_can_reach_one_are_every_entrys(method, seed):
    data = random_competition(seed, entries=150, jurors=10)

    places = core_module.method_places(data.prepared, method)

    assert places.tolist() == _places_of_every_entry(data, method).tolist()
    assert (places > 0).sum() >= 3


@pytest.mark.parametrize("method", METHODS)
def test_a_tie_chain_below_the_bounds_widens_the_entries_computed(method, monkeypatch):
    # A tolerance this wide chains most of an area together, below the awards-th best of
    # the lowest bounds: the entries left out are taken in again, and the places are still
    # those of computing every entry.
    for module in (core_module, bootstrap_module):
        monkeypatch.setattr(module, "TIE_TOLERANCE", 0.8)
    data = random_competition(3, entries=60, jurors=6)
    computed = []
    block_scores = core_module._block_scores

    def spy(method, block, mult, rows):
        computed.append(len(rows))
        return block_scores(method, block, mult, rows)

    monkeypatch.setattr(core_module, "_block_scores", spy)
    places = core_module.method_places(data.prepared, method)

    assert len(computed) > len(data.prepared.blocks)
    assert places.tolist() == _places_of_every_entry(data, method).tolist()
