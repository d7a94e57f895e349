"""Rank confidence and indistinguishable places from a seeded bootstrap over jurors.

One resample of an area draws as many jurors as the area has, with replacement, from the
area's jurors; a juror drawn k times counts k times (each of their sheets weighs k). The
method is recomputed with these multiplicities and the area re-ranked with the same rules.

Only places matter (confidence = share of resamples in which the entry keeps its place),
so a resample is not fully sorted and most entries are never recomputed. Per batch of
resamples, the exact totals of the real run's leaders give each resample a lower bound of
its awards-th best total; an entry whose highest possible total (its best sheet, see
`methods.total_bounds`) is below the smallest of these bounds cannot hold a place in any
resample of the batch, so it keeps "no place" in all of them and its confidence counts
that without computing it. Only the remaining entries are recomputed, as a (resamples x
entries) array built a chunk of resamples at a time (at most CHUNK_CELLS cells), the
candidates of each resample (within the tolerance of the awards-th best total, tie chains
included) are ranked, and criterion scores are computed only for candidates tied on the
total (the tie-break) and for the neighbours of places (swap shares). The skip is exact:
if a tie chain could reach a skipped entry, that resample is computed again with every
entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from scoring.engine.constants import (
    CONFIDENCE_ERROR,
    FIRST_PASS_SAMPLES,
    INDISTINGUISHABLE_SWAP_SHARE,
    PASS_SAMPLES,
    TIE_TOLERANCE,
    WEIGHTED_MEAN,
)
from scoring.engine.methods import SCORE_FUNCTIONS, total_bounds, weighted_sum
from scoring.engine.prepared import AreaBlock
from scoring.engine.ranking import competition_ranks

# Safety margin of the bound-based skip; far above rounding, far below score steps.
PRUNE_MARGIN = 1e-6
# Largest (samples x entries x slots x criteria) array built at once (8 MB of float64).
CHUNK_CELLS = 1 << 20
# Leaders whose exact totals bound the places of a resample from below (see `leaders`).
LEADER_FACTOR = 2
LEADER_EXTRA = 8


@dataclass(frozen=True, eq=False)
class AreaBootstrap:
    """Per entry of the area: share of resamples keeping its place, indistinguishable flag."""

    keep_share: np.ndarray  # NaN for entries that are not ranked
    indistinguishable: np.ndarray
    samples: int  # resamples drawn


def area_rng(seed: int, area_id: int) -> np.random.Generator:
    """One generator per (seed, area id): an area's figures do not depend on other areas."""
    return np.random.default_rng(np.random.SeedSequence([seed % 2**64, area_id % 2**64]))


def draw_multiplicities(jurors: int, samples: int, rng: np.random.Generator) -> np.ndarray:
    """(samples, jurors + 1) draw counts; the last column (the pad juror) stays 0."""
    draws = rng.integers(0, jurors, size=(samples, jurors))
    flat = (draws + np.arange(samples)[:, None] * (jurors + 1)).ravel()
    counts = np.bincount(flat, minlength=samples * (jurors + 1))
    return counts.reshape(samples, jurors + 1).astype(np.float64)


def _sample_chunks(samples: int, cells_per_sample: int) -> Iterator[slice]:
    """Slices of samples small enough to keep temporary arrays under CHUNK_CELLS."""
    step = max(1, CHUNK_CELLS // max(cells_per_sample, 1))
    for start in range(0, samples, step):
        yield slice(start, min(start + step, samples))


def criterion_scores_in_samples(
    method: str, block: AreaBlock, mult: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """(B, R, C) criterion scores of the entries `rows` in every resample."""
    function = SCORE_FUNCTIONS[method]
    criteria = len(block.weights)
    out = np.empty((mult.shape[0], len(rows), criteria))
    for part in _sample_chunks(mult.shape[0], len(rows) * max(block.slots, 1) * criteria):
        out[part] = function(block, mult[part], rows)
    return out


def sample_totals(method: str, block: AreaBlock, mult: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(B, R) totals of the entries `rows` in every resample; -inf where none of an entry's
    jurors was drawn (the entry is unranked in that resample).

    The weighted mean's total is the mean of the drawn sheets' weighted totals (the same
    number as the weighted sum of its criterion means), read from one gather of the
    multiplicities; the other methods go through their criterion scores.
    """
    totals = np.empty((mult.shape[0], len(rows)))
    if method == WEIGHTED_MEAN:
        sheet_totals = block.sheet_totals[rows]
        jurors = block.juror[rows]
        for part in _sample_chunks(mult.shape[0], len(rows) * max(block.slots, 1)):
            m = mult[part][:, jurors]  # (b, R, K)
            count = m.sum(axis=2)
            with np.errstate(invalid="ignore", divide="ignore"):
                totals[part] = np.einsum("brk,rk->br", m, sheet_totals) / count
    else:
        function = SCORE_FUNCTIONS[method]
        weights = block.weights / block.weight_sum
        cells = len(rows) * max(block.slots, 1) * len(weights)
        for part in _sample_chunks(mult.shape[0], cells):
            totals[part] = weighted_sum(function(block, mult[part], rows), weights)
    return np.where(np.isnan(totals), -np.inf, totals)


def nth_largest(values: np.ndarray, n: int) -> np.ndarray:
    """Per row, the n-th largest value (-inf when a row has fewer than n entries)."""
    width = values.shape[1]
    if n > width or n < 1:
        return np.full(values.shape[0], -np.inf)
    return np.partition(values, width - n, axis=1)[:, width - n]


def select_candidates(totals: np.ndarray, awards: int) -> tuple[np.ndarray, np.ndarray]:
    """Entries that may hold a place in each resample, and each row's lowest candidate.

    Every entry within the tolerance of the awards-th best total, extended while the best
    excluded entry is within tolerance of the worst included one (tie chains).
    """
    finite = np.isfinite(totals)
    threshold = nth_largest(totals, awards)
    candidate = finite & (totals >= threshold[:, None] - TIE_TOLERANCE)
    while True:
        # `initial`: an area with no entry in this round (nothing shortlisted) has none.
        worst = np.where(candidate, totals, np.inf).min(axis=1, initial=np.inf)
        best_left_out = np.where(finite & ~candidate, totals, -np.inf).max(axis=1,
                                                                            initial=-np.inf)
        chained = np.isfinite(best_left_out) & (best_left_out >= worst - TIE_TOLERANCE)
        if not chained.any():
            return candidate, worst
        threshold = np.where(chained, best_left_out, threshold)
        candidate = finite & (totals >= threshold[:, None] - TIE_TOLERANCE)


def leaders(rank: np.ndarray, awards: int) -> np.ndarray:
    """The ranked entries most likely to hold the places in a resample: the real run's
    best LEADER_FACTOR x awards + LEADER_EXTRA ranks (ties included), best first."""
    ranked = np.flatnonzero(rank > 0)
    order = ranked[np.argsort(rank[ranked], kind="stable")]
    count = LEADER_FACTOR * awards + LEADER_EXTRA
    if len(order) > count:
        order = order[rank[order] <= rank[order[count - 1]]]
    return order


def _needed_rows(
    method: str, block: AreaBlock, mult: np.ndarray, lead: np.ndarray, focus: np.ndarray
) -> tuple[np.ndarray, float]:
    """The eligible entries that could hold a place in some resample of `mult`, and the
    bound below which the others lie in every one of them.

    In each resample the awards-th best total of the leaders (`lead`, computed exactly) is
    at most the awards-th best total of the area: an entry whose highest possible total
    (`methods.total_bounds`) is below the smallest of these over the resamples can hold no
    place in any of them. The neighbours of places (`focus`) are always kept.
    """
    floor = nth_largest(sample_totals(method, block, mult, lead), block.awards)
    floor_min = float(floor.min()) - PRUNE_MARGIN if len(floor) else -np.inf
    _low, high = total_bounds(method, block, mult)
    needed = block.eligible & (high[0] >= floor_min)
    needed[focus] = True
    needed[lead] = True
    return np.flatnonzero(needed & block.eligible), floor_min


def neighbour_pairs(rank: np.ndarray, awards: int) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) entries of adjacent rank groups where the upper group is placed.

    Entries sharing a rank are not paired (their `shared_rank` flag already says it); the
    first group below the last place is included, since it competes for that place.
    """
    ranked = np.flatnonzero(rank > 0)
    levels = np.unique(rank[ranked])
    upper: list[np.ndarray] = []
    lower: list[np.ndarray] = []
    for above, below in zip(levels[:-1], levels[1:], strict=True):
        if above > awards:
            break
        top = ranked[rank[ranked] == above]
        bottom = ranked[rank[ranked] == below]
        upper.append(np.repeat(top, len(bottom)))
        lower.append(np.tile(bottom, len(top)))
    if not upper:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(upper), np.concatenate(lower)


def _lower_ahead_counts(
    totals_upper: np.ndarray,
    totals_lower: np.ndarray,
    criteria_upper: np.ndarray,
    criteria_lower: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: resamples where the lower entry ranks ahead (ties count half), and the
    resamples in which both entries have a score (the only ones that count)."""
    both = np.isfinite(totals_upper) & np.isfinite(totals_lower)
    with np.errstate(invalid="ignore"):
        difference = totals_upper - totals_lower
    sign = np.where(np.abs(difference) > TIE_TOLERANCE, np.sign(difference), 0.0)
    for c in range(criteria_upper.shape[2]):
        difference = criteria_upper[:, :, c] - criteria_lower[:, :, c]
        undecided = (sign == 0) & (np.abs(difference) > TIE_TOLERANCE)
        sign = np.where(undecided, np.sign(difference), sign)
    lower_ahead = ((sign < 0) & both).sum(axis=0) + 0.5 * ((sign == 0) & both).sum(axis=0)
    return lower_ahead, both.sum(axis=0)


@dataclass
class _Tally:
    """Counts over the resamples drawn so far (added up pass by pass)."""

    samples: int
    kept: np.ndarray  # per entry: resamples keeping its place
    placed: np.ndarray  # per entry: resamples giving it a place
    lower_ahead: np.ndarray  # per neighbour pair
    usable: np.ndarray  # per neighbour pair

    @classmethod
    def empty(cls, entries: int, pairs: int) -> _Tally:
        return cls(0, np.zeros(entries, dtype=np.int64), np.zeros(entries, dtype=np.int64),
                   np.zeros(pairs), np.zeros(pairs))

    def __iadd__(self, other: _Tally) -> _Tally:
        self.samples += other.samples
        self.kept = self.kept + other.kept
        self.placed = self.placed + other.placed
        self.lower_ahead = self.lower_ahead + other.lower_ahead
        self.usable = self.usable + other.usable
        return self

    def keep_share(self, place: np.ndarray) -> np.ndarray:
        return np.where(place > 0, self.kept, self.samples - self.placed) / self.samples

    def swap_share(self) -> np.ndarray:
        return np.where(self.usable > 0, self.lower_ahead / np.maximum(self.usable, 1), 0.0)


def tied_on_total(group: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Items whose total is within the tolerance of another item's in the same group,
    with the single linkage of `ranking.competition_ranks`: exactly the items whose
    criteria the ranking compares."""
    order = np.lexsort((-totals, group))
    close = (group[order][1:] == group[order][:-1]) & (
        totals[order][:-1] - totals[order][1:] <= TIE_TOLERANCE)
    tied = np.zeros(len(totals), dtype=bool)
    tied[order[1:][close]] = True
    tied[order[:-1][close]] = True
    return tied


def _tie_break_scores(
    method: str,
    block: AreaBlock,
    mult: np.ndarray,
    sample: np.ndarray,
    entry: np.ndarray,
    totals: np.ndarray,
) -> np.ndarray:
    """(P, C) criterion scores of the (sample, entry) pairs ranked in the resamples.

    The ranking reads criteria only to order items tied on the total; only those are
    computed (the others get zeros, which nothing reads).
    """
    out = np.zeros((len(entry), len(block.weights)))
    tied = tied_on_total(sample, totals)
    if tied.any() and method == WEIGHTED_MEAN:
        # Pair by pair: each tied entry's drawn sheets in its own resample.
        m = mult[sample[tied][:, None], block.juror[entry[tied]]]  # (P, K)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[tied] = (np.einsum("pk,pkc->pc", m, block.values[entry[tied]])
                         / m.sum(axis=1)[:, None])
    elif tied.any():
        samples, at_sample = np.unique(sample[tied], return_inverse=True)
        rows, at_row = np.unique(entry[tied], return_inverse=True)
        scores = criterion_scores_in_samples(method, block, mult[samples], rows)
        out[tied] = scores[at_sample, at_row]
    return out


def _tally(
    method: str,
    block: AreaBlock,
    place: np.ndarray,
    mult: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    lead: np.ndarray,
) -> _Tally:
    """Places kept and neighbours swapped in the resamples `mult`.

    Only the entries that can reach a place are computed (`_needed_rows`; every other
    entry keeps "no place" in every resample, exactly), a chunk of resamples at a time so
    that no array exceeds CHUNK_CELLS cells whatever the size of the area. If a tolerance
    chain could reach a skipped entry in a resample, that resample is computed again with
    every eligible entry.
    """
    focus = np.union1d(*pairs).astype(np.intp)
    rows, floor = _needed_rows(method, block, mult, lead, focus)
    tally = _Tally.empty(block.entry_count, len(pairs[0]))
    again = []
    for part in _sample_chunks(mult.shape[0], len(rows)):
        counted, reached = _tally_rows(method, block, place, mult[part], rows, pairs, focus,
                                       floor)
        tally += counted
        again.append(np.flatnonzero(reached) + part.start)
    again = np.concatenate(again) if again else np.zeros(0, dtype=np.intp)
    everyone = np.flatnonzero(block.eligible)
    for part in _sample_chunks(len(again), len(everyone)):
        tally += _tally_rows(method, block, place, mult[again[part]], everyone, pairs, focus,
                             -np.inf)[0]
    return tally


def _tally_rows(
    method: str,
    block: AreaBlock,
    place: np.ndarray,
    mult: np.ndarray,
    rows: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    focus: np.ndarray,
    floor: float,
) -> tuple[_Tally, np.ndarray]:
    """The tally of the resamples `mult` computed on the entries `rows` (every entry not
    in `rows` is below `floor` in every resample), and the resamples left out of it
    because a tie chain reaches `floor` (a skipped entry could be tied into a place)."""
    totals = sample_totals(method, block, mult, rows)
    candidate, worst = select_candidates(totals, block.awards)
    reached = candidate.any(axis=1) & (worst - TIE_TOLERANCE < floor)
    if reached.any():
        keep = ~reached
        mult, totals, candidate = mult[keep], totals[keep], candidate[keep]
    sample, column = np.nonzero(candidate)
    entry = rows[column]
    candidate_totals = totals[sample, column]
    ranks = competition_ranks(sample, candidate_totals,
                              _tie_break_scores(method, block, mult, sample, entry,
                                                candidate_totals))
    placed = ranks.rank <= block.awards
    kept = placed & (ranks.rank == place[entry])
    upper, lower = pairs
    lower_ahead = usable = np.zeros(len(upper))
    if len(upper):
        criteria = criterion_scores_in_samples(method, block, mult, focus)
        lower_ahead, usable = _lower_ahead_counts(
            totals[:, np.searchsorted(rows, upper)], totals[:, np.searchsorted(rows, lower)],
            criteria[:, np.searchsorted(focus, upper)],
            criteria[:, np.searchsorted(focus, lower)],
        )
    entries = block.entry_count
    return _Tally(
        samples=mult.shape[0],
        kept=np.bincount(entry[kept], minlength=entries),
        placed=np.bincount(entry[placed], minlength=entries),
        lower_ahead=lower_ahead,
        usable=usable,
    ), reached


def samples_needed(shares: np.ndarray, error: float = CONFIDENCE_ERROR) -> int:
    """Resamples for every share to have a standard error of at most `error`: the largest
    p (1 - p) / error^2 (binomial), so that the share is stable to +-2 errors."""
    if not len(shares):
        return 0
    return int(np.ceil((shares * (1 - shares)).max() / error**2))


def bootstrap_area(
    method: str,
    block: AreaBlock,
    rank: np.ndarray,
    place: np.ndarray,
    samples: int,
    seed: int,
) -> AreaBootstrap:
    """Rank confidence and indistinguishable flags of one area.

    `rank` and `place` are the real run's (0 = none). Eligibility (min_sheets) is decided
    once on the real data: in a resample an eligible entry is ranked when at least one of
    its jurors was drawn, and unplaced (place None) otherwise.

    `samples` is the most resamples drawn. A first pass of FIRST_PASS_SAMPLES (or
    `samples`, if fewer) estimates every share reported; while one of them needs more
    resamples to have a standard error of CONFIDENCE_ERROR (`samples_needed`, estimated
    again after each pass), more passes are drawn from the same generator, up to `samples`.
    Clear places stop after the first pass; close ones get the resamples they need. The
    same data, samples and seed give the same draws, so the same outcome.
    """
    entries = block.entry_count
    keep = np.where(rank > 0, 1.0, np.nan)
    indistinguishable = np.zeros(entries, dtype=bool)
    if samples == 0:
        return AreaBootstrap(np.full(entries, np.nan), indistinguishable, 0)
    if block.juror_count == 0 or block.awards == 0 or not (rank > 0).any():
        # Nobody can be placed in any resample, so every ranked entry keeps "no place".
        return AreaBootstrap(keep, indistinguishable, 0)

    rng = area_rng(seed, block.area_id)
    pairs = neighbour_pairs(rank, block.awards)
    ranked = rank > 0
    lead = leaders(rank, block.awards)
    tally = _tally(method, block, place, draw_multiplicities(
        block.juror_count, min(samples, FIRST_PASS_SAMPLES), rng), pairs, lead)
    while True:
        # Passes of at most PASS_SAMPLES keep memory bounded; the need is estimated
        # again after each, from every resample drawn so far.
        needed = min(samples, samples_needed(np.concatenate(
            [tally.keep_share(place)[ranked], tally.swap_share()])))
        if tally.samples >= needed:
            break
        more = min(needed - tally.samples, PASS_SAMPLES)
        tally += _tally(method, block, place,
                        draw_multiplicities(block.juror_count, more, rng), pairs, lead)
    keep = np.where(ranked, tally.keep_share(place), np.nan)
    upper, lower = pairs
    if len(upper):
        close = tally.swap_share() >= INDISTINGUISHABLE_SWAP_SHARE
        # Both sides of a close pair: the first unplaced rival of the last place too.
        indistinguishable[upper[close]] = True
        indistinguishable[lower[close]] = True
    return AreaBootstrap(keep, indistinguishable, tally.samples)
