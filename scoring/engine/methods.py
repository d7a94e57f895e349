"""Criterion scores of entries under each ranking method.

Every method works on one area's padded block and a multiplicity matrix `mult` of shape
(B, J_a + 1): row b says how many times each juror of the area counts (the last column, the
pad juror, is always 0). The real run uses a single row of ones; a bootstrap resample of
jurors uses their draw counts, so a juror drawn twice counts twice. Using the same code for
both guarantees the bootstrap recomputes exactly the method that ranked the entries.

Each function returns criterion scores of shape (B, R, C) for the R entries in `rows`, NaN
where an entry has no (counted or drawn) sheet.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scoring.engine.constants import (
    MEDIAN,
    TRIM_MIN_SHEETS,
    TRIMMED_MEAN,
    WEIGHTED_MEAN,
    ZSCORE,
)
from scoring.engine.prepared import AreaBlock

ScoreFunction = Callable[[AreaBlock, np.ndarray, np.ndarray], np.ndarray]


def weighted_sum(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_c values[..., c] * weights[c], without BLAS.

    These products are tiny (a handful of criteria or jurors); a BLAS call may wake worker
    threads for them, which costs more than the arithmetic and stalls badly when the
    machine is busy.
    """
    return np.einsum("...c,c->...", values, weights)


def unit_multiplicity(block: AreaBlock) -> np.ndarray:
    """The real run: every juror of the area counts once."""
    mult = np.ones((1, block.juror_count + 1))
    mult[:, -1] = 0.0
    return mult


def weighted_mean_scores(block: AreaBlock, mult: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Criterion score = mean of the entry's sheets (rule 2 of the design of record)."""
    m = mult[:, block.juror[rows]]  # (B, R, K)
    count = m.sum(axis=2)
    total = np.einsum("brk,rkc->brc", m, block.values[rows])
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count[..., None]


def count_dtype(block: AreaBlock) -> type[np.integer]:
    """Smallest integer type that holds any running sum of multiplicities of one entry.

    A resample draws J_a jurors in all, and the real run counts at most K sheets, so sums
    never exceed max(J_a, K); small integers make the gathers and running sums cheaper.
    """
    bound = max(block.juror_count, block.slots)
    if bound <= np.iinfo(np.int8).max:
        return np.int8
    if bound <= np.iinfo(np.int16).max:
        return np.int16
    return np.int32


def _sorted_multiplicities(
    block: AreaBlock, mult: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted scores (R, C, K); multiplicities and their running sums (B, R, C, K); counts.

    The counts (B, R, C) are the number of (drawn) sheets of each entry.
    """
    values, jurors = block.sorted_rows(rows)
    dtype = count_dtype(block)
    m = mult.astype(dtype)[:, jurors]
    cumulative = np.cumsum(m, axis=3, dtype=dtype)
    count = cumulative[..., -1] if block.slots else np.zeros(m.shape[:3], dtype=dtype)
    return values, m, cumulative, count


def _value_at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """values (R, C, K) at per-sample slot `index` (B, R, C), clipped into range."""
    slots = values.shape[2]
    if slots == 0:
        return np.full(index.shape, np.nan)
    safe = np.minimum(index, slots - 1)[..., None]
    return np.take_along_axis(values[None], safe, axis=3)[..., 0]


def median_scores(block: AreaBlock, mult: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Criterion score = median of the entry's sheets (mean of the two middle ones if even).

    In the sorted multiset of n sheets the value at position p (0-based) is the first slot
    whose running multiplicity exceeds p, i.e. the number of slots with running sum <= p.
    """
    values, _, cumulative, count = _sorted_multiplicities(block, mult, rows)
    lower = ((count - 1) // 2)[..., None]
    upper = (count // 2)[..., None]
    low = _value_at(values, (cumulative <= lower).sum(axis=3))
    high = _value_at(values, (cumulative <= upper).sum(axis=3))
    return np.where(count > 0, (low + high) / 2, np.nan)


def trimmed_mean_scores(block: AreaBlock, mult: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Criterion score = mean without the highest and lowest sheet when there are >= 5.

    Per criterion: one highest and one lowest value are dropped (one copy each, also when a
    resampled juror counts twice); below 5 sheets it is the plain mean.
    """
    values, m, cumulative, count = _sorted_multiplicities(block, mult, rows)
    total = (m * values[None]).sum(axis=3)
    lowest = _value_at(values, (cumulative == 0).sum(axis=3))
    highest = _value_at(values, (cumulative < count[..., None]).sum(axis=3))
    with np.errstate(invalid="ignore", divide="ignore"):
        trimmed = (total - lowest - highest) / (count - 2)
        plain = total / count
    return np.where(count >= TRIM_MIN_SHEETS, trimmed, plain)


def zscore_area_stats(block: AreaBlock, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Area mean and population standard deviation per criterion, per sample: (B, C) each."""
    layout = block.zscore_layout
    sheets = weighted_sum(mult, layout.juror_sheets)
    safe = np.where(sheets > 0, sheets, 1.0)[:, None]
    offset = np.einsum("bj,jc->bc", mult, layout.juror_sum) / safe
    variance = np.einsum("bj,jc->bc", mult, layout.juror_square) / safe - offset**2
    return layout.reference + offset, np.sqrt(np.maximum(variance, 0.0))


def zscore_scores(block: AreaBlock, mult: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Criterion score = mean of juror-standardised sheets mapped back onto the scale.

    Each sheet's z (from its juror's mean and spread in the area) becomes
    area mean + z * area spread for that criterion; the entry's criterion score is the mean
    over its sheets of these values. Nothing is clipped here: cutting values at the top of
    the scale before averaging changes which entry wins (the README's constructed case);
    only the figures shown are clipped (`display_clip`).
    """
    mean, spread = zscore_area_stats(block, mult)
    mapped = block.zscore_layout.z[rows][None] * spread[:, None, :, None]  # (B, R, C, K)
    mapped += mean[:, None, :, None]
    m = mult[:, block.juror[rows]][:, :, None, :]  # (B, R, 1, K)
    mapped *= m
    total = mapped.sum(axis=3)
    count = m.sum(axis=3)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


def display_clip(
    scale_min: float, scale_max: float, criterion_scores: np.ndarray, totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The figures shown and stored for a run: criterion scores and totals on the scale.

    Ranks are decided on the unclipped values; only `zscore` can leave the scale (a mapped
    value beyond the top or bottom), so for the other methods this changes nothing. Two
    entries may then both show the scale's maximum while one ranks ahead of the other.
    """
    return (np.clip(criterion_scores, scale_min, scale_max),
            np.clip(totals, scale_min, scale_max))


SCORE_FUNCTIONS: dict[str, ScoreFunction] = {
    WEIGHTED_MEAN: weighted_mean_scores,
    MEDIAN: median_scores,
    TRIMMED_MEAN: trimmed_mean_scores,
    ZSCORE: zscore_scores,
}


def total_bounds(method: str, block: AreaBlock, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds (1, E_a) of an entry's total in any resample of `mult`.

    A weighted mean's total lies between the entry's lowest and highest sheet total;
    medians and trimmed means lie between the entry's lowest and highest sheet per
    criterion whatever the multiplicities; a zscore value lies between the mapped values of
    the entry's lowest and highest z. The bootstrap uses the bounds to skip entries that
    cannot reach a place.
    """
    if method == WEIGHTED_MEAN:
        low, high = block.sheet_total_bounds
        return low[None], high[None]
    if method != ZSCORE:
        low, high = block.total_bounds
        return low[None], high[None]
    weights = block.weights / block.weight_sum
    low, high = _zscore_value_bounds(block, mult)
    return weighted_sum(low, weights)[None], weighted_sum(high, weights)[None]


def _zscore_value_bounds(block: AreaBlock, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(E_a, C) bounds of an entry's zscore criterion scores over all resamples in `mult`.

    A mapped value mean_b + z * spread_b is largest for the entry's highest z with the
    largest mean and, if z >= 0, the largest spread (the smallest if z < 0); symmetrically
    for the lower bound.
    """
    layout = block.zscore_layout
    mean, spread = zscore_area_stats(block, mult)
    top_mean, low_mean = mean.max(axis=0), mean.min(axis=0)
    top_spread, low_spread = spread.max(axis=0), spread.min(axis=0)
    # Entries without sheets have infinite z bounds (inf * 0 spread is NaN): never used.
    with np.errstate(invalid="ignore"):
        high = top_mean + layout.z_max * np.where(layout.z_max >= 0, top_spread, low_spread)
        low = low_mean + layout.z_min * np.where(layout.z_min >= 0, low_spread, top_spread)
    return low, high
