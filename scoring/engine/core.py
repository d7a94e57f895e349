"""compute_ranking: scores, ranks, places, statistics and bootstrap of one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from scoring.engine.bootstrap import PRUNE_MARGIN, bootstrap_area, nth_largest, select_candidates
from scoring.engine.constants import (
    AGREEMENT_STATISTIC,
    DEFAULT_BOOTSTRAP_SAMPLES,
    FLAG_INDISTINGUISHABLE,
    FLAG_INSUFFICIENT_REVIEWS,
    FLAG_POLARISED,
    FLAG_SHARED_RANK,
    FLAG_TIE_BROKEN_BY_CRITERIA,
    FLAGS,
    TIE_TOLERANCE,
    WEIGHTED_MEAN,
    check_method,
)
from scoring.engine.fingerprint import input_fingerprint
from scoring.engine.methods import (
    SCORE_FUNCTIONS,
    display_clip,
    total_bounds,
    unit_multiplicity,
    weighted_sum,
)
from scoring.engine.prepared import AreaBlock, Prepared
from scoring.engine.ranking import competition_ranks
from scoring.engine.results import (
    AreaReport,
    JurorLeniency,
    RankingColumns,
    RankingOutcome,
    ResultColumns,
)
from scoring.engine.specs import RankingInput
from scoring.engine.statistics import (
    SheetSpread,
    area_agreement,
    juror_leniency,
    leniency_adjusted_totals,
    sheet_spread,
)

# The cached layouts of an area block that the methods build (prepared.AreaBlock).
LAYOUTS = ("zscore_layout",)
# Entries whose criterion scores are computed at once (method_criterion_scores).
ROW_CHUNK = 8192
# Bit of each flag in ResultColumns.flags (results.FLAG_TUPLES reads them back).
_FLAG_BIT = {flag: 1 << i for i, flag in enumerate(FLAGS)}


def method_criterion_scores(prepared: Prepared, method: str) -> np.ndarray:
    """(E, C) criterion scores of every entry under `method`; NaN rows for no sheets."""
    function = SCORE_FUNCTIONS[method]
    parts = []
    for block in prepared.blocks:
        cached = set(block.__dict__)
        # ROW_CHUNK entries at a time: the methods' temporary (entries x criteria x slots)
        # arrays stay small whatever the size of an area.
        parts.extend(
            function(block, unit_multiplicity(block),
                     np.arange(start, min(start + ROW_CHUNK, block.entry_count)))[0]
            for start in range(0, block.entry_count, ROW_CHUNK))
        # A layout made for this one pass is not kept: one area's at a time, not every
        # area's (the bootstrap makes and keeps its own method's).
        for name in LAYOUTS:
            if name not in cached:
                block.__dict__.pop(name, None)
    if not parts:
        return np.zeros((0, len(prepared.weights)))
    return np.concatenate(parts, axis=0)


@dataclass(frozen=True, eq=False)
class Standing:
    """The real run's ranking of every entry (global order); 0 means none."""

    total: np.ndarray
    rank: np.ndarray
    place: np.ndarray
    tie_broken: np.ndarray
    shared: np.ndarray


def rank_entries(prepared: Prepared, criterion_scores: np.ndarray, weights: np.ndarray) -> Standing:
    """Rules 4-6: rank eligible entries per area, then give places 1..awards.

    Entries with fewer counted sheets than min_sheets get rank 0 (None) and no place.
    """
    entries = len(prepared.entry_ids)
    total = weighted_sum(criterion_scores, weights) / weights.sum()
    ranked = np.flatnonzero(prepared.eligible)
    ranks = competition_ranks(prepared.entry_area[ranked], total[ranked], criterion_scores[ranked])
    rank = np.zeros(entries, dtype=np.int64)
    rank[ranked] = ranks.rank
    awards = prepared.awards[prepared.entry_area] if entries else np.zeros(0, dtype=np.int64)
    place = np.where((rank > 0) & (rank <= awards), rank, 0)
    tie_broken = np.zeros(entries, dtype=bool)
    tie_broken[ranked] = ranks.tie_broken_by_criteria
    shared = np.zeros(entries, dtype=bool)
    shared[ranked] = ranks.shared_rank
    return Standing(total, rank, place, tie_broken, shared)


def method_standing(prepared: Prepared, method: str) -> tuple[np.ndarray, Standing]:
    """The criterion scores of every entry under `method` and the real run's ranking with
    the input's weights, computed once per input (a run and its sensitivity report both
    read them; neither changes them)."""
    if method not in prepared.standings:
        scores = method_criterion_scores(prepared, method)
        prepared.standings[method] = (scores, rank_entries(prepared, scores, prepared.weights))
    return prepared.standings[method]


def place_entries(prepared: Prepared, criterion_scores: np.ndarray,
                  weights: np.ndarray) -> np.ndarray:
    """The places of `rank_entries` (0 = none), ranking only the entries that can hold one.

    In each area those are the eligible entries within the tolerance of the awards-th best
    total, tie chains included (`bootstrap.select_candidates`); every other entry is below
    all of them by more than the tolerance, so it neither holds a place nor changes a
    candidate's rank.
    """
    entries = len(prepared.entry_ids)
    total = weighted_sum(criterion_scores, weights) / weights.sum()
    place = np.zeros(entries, dtype=np.int64)
    for block in prepared.blocks:
        if block.awards == 0:
            continue
        part = slice(block.start, block.stop)
        totals = np.where(prepared.eligible[part], total[part], -np.inf)
        candidate = select_candidates(totals[None], block.awards)[0][0]
        place[part] = _candidate_places(candidate, total[part], criterion_scores[part],
                                        block.awards)
    return place


def _candidate_places(candidate: np.ndarray, total: np.ndarray, criterion_scores: np.ndarray,
                      awards: int) -> np.ndarray:
    """The places (0 = none) of entries whose `candidate` mask says they can hold one,
    ranked among themselves by total then criteria (`ranking.competition_ranks`)."""
    place = np.zeros(len(total), dtype=np.int64)
    chosen = np.flatnonzero(candidate)
    if len(chosen):
        ranks = competition_ranks(np.zeros(len(chosen), dtype=np.intp), total[chosen],
                                  criterion_scores[chosen]).rank
        place[chosen] = np.where(ranks <= awards, ranks, 0)
    return place


def method_places(prepared: Prepared, method: str) -> np.ndarray:
    """The places under `method` with the input's weights: what
    `place_entries(prepared, method_criterion_scores(prepared, method), prepared.weights)`
    gives, computing criterion scores only for the entries that can reach a place.

    An entry's total under any method lies within its bounds (`methods.total_bounds`); an
    entry whose highest possible total is below the awards-th best of the lowest ones (less
    the tie tolerance) neither holds a place nor changes a candidate's rank. If a tie chain
    of the computed totals reaches down to the bound of an entry left out, the bound is
    lowered to it and the area computed again, so the places are always exact.
    """
    place = np.zeros(len(prepared.entry_ids), dtype=np.int64)
    weights = prepared.weights
    for block in prepared.blocks:
        if block.awards == 0:
            continue
        cached = set(block.__dict__)
        mult = unit_multiplicity(block)
        low, high = (np.where(np.isnan(bound[0]), -np.inf, bound[0])
                     for bound in total_bounds(method, block, mult))
        eligible = prepared.eligible[block.start:block.stop]
        reach = nth_largest(np.where(eligible, low, -np.inf)[None], block.awards)[0]
        while True:
            reach -= TIE_TOLERANCE + PRUNE_MARGIN
            rows = np.flatnonzero(eligible & (high >= reach))
            scores = _block_scores(method, block, mult, rows)
            total = weighted_sum(scores, weights) / weights.sum()
            candidate, worst = select_candidates(
                np.where(np.isnan(total), -np.inf, total)[None], block.awards)
            left_out = np.where(eligible & (high < reach), high, -np.inf)
            if not (left_out >= worst[0] - TIE_TOLERANCE - PRUNE_MARGIN).any():
                break
            reach = float(worst[0]) - TIE_TOLERANCE
        for name in LAYOUTS:  # as in method_criterion_scores: not kept for one pass
            if name not in cached:
                block.__dict__.pop(name, None)
        place[block.start + rows] = _candidate_places(candidate[0], total, scores,
                                                      block.awards)
    return place


def _block_scores(method: str, block: AreaBlock, mult: np.ndarray,
                  rows: np.ndarray) -> np.ndarray:
    """(R, C) criterion scores under `method` of the block's entries `rows`, ROW_CHUNK at a
    time."""
    function = SCORE_FUNCTIONS[method]
    parts = [function(block, mult, rows[start:start + ROW_CHUNK])[0]
             for start in range(0, len(rows), ROW_CHUNK)]
    return np.concatenate(parts) if parts else np.zeros((0, len(block.weights)))


def _check_run_parameters(bootstrap_samples: int, seed: int) -> None:
    """Bootstrap samples: an integer >= 0; seed: an integer."""
    for name, value in (("bootstrap_samples", bootstrap_samples), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise ValueError(f"{name} must be an integer, got {value!r}")
    if bootstrap_samples < 0:
        raise ValueError(f"bootstrap_samples must be >= 0, got {bootstrap_samples!r}")


def compute_ranking(
    data: RankingInput,
    method: str = WEIGHTED_MEAN,
    *,
    bootstrap_samples: int = DEFAULT_BOOTSTRAP_SAMPLES,
    seed: int = 2016,
) -> RankingOutcome:
    """Rank every entry of every thematic area and report the run's statistics, with the
    fingerprint of the inputs.

    The same data, method, bootstrap_samples and seed always give the same outcome,
    whatever the order of the inputs.
    """
    return compute_ranking_columns(data, method, bootstrap_samples=bootstrap_samples,
                                   seed=seed).outcome(input_fingerprint(data, method))


def compute_ranking_columns(
    data: RankingInput,
    method: str = WEIGHTED_MEAN,
    *,
    bootstrap_samples: int = DEFAULT_BOOTSTRAP_SAMPLES,
    seed: int = 2016,
    on_area: Callable[[ResultColumns], object] | None = None,
) -> RankingColumns:
    """compute_ranking with the results as numpy columns (no object per entry): what the
    ranking job stores. No input fingerprint: the job records its own (the run's record,
    `fingerprint.record_fingerprint`).

    The results come area by area, in result order: `on_area`, if given, is handed each
    area's columns as soon as its bootstrap is done (the job stores them meanwhile), and
    the run's columns are those parts one after the other.
    """
    check_method(method)
    _check_run_parameters(bootstrap_samples, seed)
    prepared = data.prepared
    criterion_scores, standing = method_standing(prepared, method)
    leniency = [juror_leniency(prepared, block) for block in prepared.blocks]
    spread = sheet_spread(prepared, leniency_adjusted_totals(prepared))
    shown_scores, shown_totals = display_clip(
        prepared.scale_min, prepared.scale_max, criterion_scores, standing.total)

    entries = len(prepared.entry_ids)
    confidence = np.full(entries, np.nan)
    # Every flag but "indistinguishable", which each area's bootstrap adds.
    flags = _flag_masks(prepared, standing, spread, np.zeros(entries, dtype=bool))
    sources = _ResultSources(prepared, shown_scores, shown_totals, standing, spread,
                             confidence, flags)
    columns = sources.empty_columns()
    reports = []
    for block, (deviation, compared) in zip(prepared.blocks, leniency, strict=True):
        part = slice(block.start, block.stop)
        boot = bootstrap_area(
            method, block, standing.rank[part], standing.place[part], bootstrap_samples, seed
        )
        confidence[part] = boot.keep_share
        flags[part] |= np.where(boot.indistinguishable, _FLAG_BIT[FLAG_INDISTINGUISHABLE], 0)
        reports.append(_area_report(prepared, block, standing, deviation, compared,
                                    boot.samples))
        sources.fill(columns, block)
        if on_area is not None:
            on_area(columns.rows(part))

    return RankingColumns(
        method=method,
        columns=columns,
        areas=tuple(reports),
        bootstrap_samples=bootstrap_samples,
        seed=seed,
    )


def _area_report(
    prepared: Prepared,
    block: AreaBlock,
    standing: Standing,
    deviation: np.ndarray,
    sheets: np.ndarray,
    resamples: int,
) -> AreaReport:
    """Counts, Krippendorff's alpha and the jurors' leniency of one area."""
    part = slice(block.start, block.stop)
    leniency = tuple(
        JurorLeniency(juror_id=j, mean_deviation=d, sheet_count=n)
        for j, d, n in zip(
            block.juror_ids.tolist(), deviation.tolist(), sheets.tolist(), strict=True
        )
    )
    return AreaReport(
        area_id=block.area_id,
        entry_count=block.entry_count,
        ranked_count=int((standing.rank[part] > 0).sum()),
        agreement=area_agreement(prepared, block),
        agreement_statistic=AGREEMENT_STATISTIC,
        leniency=leniency,
        awards=block.awards,
        placed_count=int((standing.place[part] > 0).sum()),
        juror_count=block.juror_count,
        resamples=resamples,
    )


def _flag_masks(
    prepared: Prepared, standing: Standing, spread: SheetSpread, indistinguishable: np.ndarray
) -> np.ndarray:
    """Bit mask of each entry's flags (bits as in _FLAG_BIT)."""
    masks = np.zeros(len(prepared.entry_ids), dtype=np.int64)
    for flag, on in (
        (FLAG_INDISTINGUISHABLE, indistinguishable),
        (FLAG_INSUFFICIENT_REVIEWS, ~prepared.eligible),
        (FLAG_POLARISED, spread.polarised),
        (FLAG_SHARED_RANK, standing.shared),
        (FLAG_TIE_BROKEN_BY_CRITERIA, standing.tie_broken),
    ):
        masks |= np.where(on, _FLAG_BIT[flag], 0)
    return masks


def _unranked_last(rank: np.ndarray) -> np.ndarray:
    """Ranks as a sort key in which entries without a rank (0) come last."""
    return np.where(rank > 0, rank, np.iinfo(np.int64).max)


def result_order(prepared: Prepared, rank: np.ndarray) -> np.ndarray:
    """Area order, then rank (unranked last), then entry id."""
    return np.lexsort((prepared.entry_ids, _unranked_last(rank), prepared.entry_area))


@dataclass(frozen=True, eq=False)
class _ResultSources:
    """Where each column of the results comes from (arrays in the input's global order)."""

    prepared: Prepared
    criterion_scores: np.ndarray
    totals: np.ndarray
    standing: Standing
    spread: SheetSpread
    confidence: np.ndarray
    flags: np.ndarray

    def _columns(self) -> dict[str, np.ndarray]:
        return {
            "entry_id": self.prepared.entry_ids,
            "criterion_scores": self.criterion_scores,
            "total": self.totals,
            "rank": self.standing.rank,
            "place": self.standing.place,
            "sheet_count": self.prepared.counts,
            "spread": self.spread.std,
            "sheet_total_min": self.spread.low,
            "sheet_total_max": self.spread.high,
            "rank_confidence": self.confidence,
            "flags": self.flags,
        }

    def empty_columns(self) -> ResultColumns:
        """Columns for every entry, to be filled area by area (`fill`)."""
        columns = {name: np.empty_like(source) for name, source in self._columns().items()}
        return ResultColumns(area_id=np.zeros(len(self.prepared.entry_ids), dtype=np.int64),
                             **columns)

    def fill(self, columns: ResultColumns, block: AreaBlock) -> None:
        """Write the results of one area's entries into `columns`, in result order: rank
        (unranked last), then entry id. Areas follow one another in the input's order and
        keep their places in it, so the filled columns are the run's in `result_order`."""
        part = slice(block.start, block.stop)
        order = np.lexsort((self.prepared.entry_ids[part],
                            _unranked_last(self.standing.rank[part]))) + block.start
        for name, source in self._columns().items():
            getattr(columns, name)[part] = source[order]
        columns.area_id[part] = block.area_id
