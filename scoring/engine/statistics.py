"""Descriptive statistics reported with every run: spread, agreement and leniency.

All of them are computed on sheet totals (the weighted mean of one sheet's scores, on the
edition's scale), whatever the ranking method, so that they describe the jury's sheets
rather than a method's transformation of them. A juror's leniency compares each of their
sheets with the OTHER sheets of the same entry; `polarised` looks at the sheets once each
juror's leniency is taken out, so that one harsh and one lenient juror do not make an entry
look disputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.engine.constants import (
    JUROR_EFFECT_ROUNDS,
    POLARISED_RANGE_SHARE,
    TIE_TOLERANCE,
)
from scoring.engine.prepared import AreaBlock, Prepared


@dataclass(frozen=True, eq=False)
class SheetSpread:
    """Per entry (global order): sheet-total mean, population std, min and max (NaN if none)."""

    mean: np.ndarray
    std: np.ndarray
    low: np.ndarray
    high: np.ndarray
    polarised: np.ndarray


def sheet_spread(prepared: Prepared, adjusted_totals: np.ndarray | None = None) -> SheetSpread:
    """Spread of each entry's sheet totals and the `polarised` flag.

    The standard deviation is the population one (ddof=0): it describes the sheets that
    exist and is defined for a single sheet. An entry is polarised when it has at least
    two sheets whose totals, each less its juror's leniency in the area
    (`adjusted_totals`, see `leniency_adjusted_totals`; the raw totals when None), span
    >= POLARISED_RANGE_SHARE of the scale width.
    """
    entries = len(prepared.entry_ids)
    counts = prepared.counts
    which = prepared.sheet_entry
    totals = prepared.sheet_totals
    safe = np.maximum(counts, 1)
    mean = np.bincount(which, weights=totals, minlength=entries) / safe
    deviation = totals - mean[which]
    std = np.sqrt(np.bincount(which, weights=deviation**2, minlength=entries) / safe)
    low = np.full(entries, np.nan)
    high = np.full(entries, np.nan)
    scored = counts > 0
    if scored.any():
        starts = prepared.sheet_start[:-1][scored]
        low[scored] = np.minimum.reduceat(totals, starts)
        high[scored] = np.maximum.reduceat(totals, starts)
    empty = ~scored
    mean[empty] = np.nan
    std[empty] = np.nan
    width = prepared.scale_max - prepared.scale_min
    span = high - low
    if adjusted_totals is not None and scored.any():
        starts = prepared.sheet_start[:-1][scored]
        span = np.full(entries, np.nan)
        span[scored] = (np.maximum.reduceat(adjusted_totals, starts)
                        - np.minimum.reduceat(adjusted_totals, starts))
    with np.errstate(invalid="ignore"):
        polarised = (counts >= 2) & (span >= POLARISED_RANGE_SHARE * width - TIE_TOLERANCE)
    return SheetSpread(mean=mean, std=std, low=low, high=high, polarised=polarised)


def krippendorff_alpha_interval(units: np.ndarray, values: np.ndarray) -> float | None:
    """Krippendorff's alpha for interval data; one value per (unit, coder) pair.

    alpha = 1 - D_o / D_e with the squared difference as metric. Only units with at least
    two values are pairable. With n pairable values, m_u values in unit u:
    D_o = (2/n) * sum_u m_u * SSW_u / (m_u - 1) and D_e = 2 * SST / (n - 1), where SSW_u
    is the unit's and SST the overall sum of squared deviations from the mean. None when
    nothing is pairable or all pairable values are equal (alpha is undefined, 0/0).
    """
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        return None
    _, unit = np.unique(np.asarray(units), return_inverse=True)
    unit = unit.reshape(-1)
    per_unit = np.bincount(unit)
    pairable = per_unit[unit] >= 2
    unit, values = unit[pairable], values[pairable]
    n = len(values)
    if n < 2:
        return None
    size = np.bincount(unit)
    safe = np.maximum(size, 1)
    unit_mean = np.bincount(unit, weights=values) / safe
    within = np.bincount(unit, weights=(values - unit_mean[unit]) ** 2)
    total = float(((values - values.mean()) ** 2).sum())
    if total <= n * TIE_TOLERANCE**2:
        return None
    used = size >= 2
    observed = float((size[used] * within[used] / (size[used] - 1)).sum())
    return 1.0 - (n - 1) * observed / (n * total)


def area_agreement(prepared: Prepared, block: AreaBlock) -> float | None:
    """Agreement of an area's jury: alpha over sheet totals, units = entries."""
    sheets = prepared.sheet_slice(block)
    return krippendorff_alpha_interval(prepared.sheet_entry[sheets], prepared.sheet_totals[sheets])


def juror_leniency(prepared: Prepared, block: AreaBlock) -> tuple[np.ndarray, np.ndarray]:
    """Per juror of the area: mean of (sheet total - mean of the OTHER sheets of the same
    entry) over their sheets that have another sheet to compare with, and that count.

    Positive means lenient (above the other jurors of the same entries), negative severe.
    Measuring against a mean that includes the juror's own sheet would understate it by a
    factor (n - 1) / n with n sheets per entry (a third with three). A juror whose entries
    have no other sheet has no comparison: 0 over 0 sheets.
    """
    sheets = prepared.sheet_slice(block)
    totals = prepared.sheet_totals[sheets]
    which = prepared.sheet_entry[sheets]
    first = int(prepared.sheet_entry[sheets.start]) if len(totals) else 0
    local = which - first
    entry_sum = np.bincount(local, weights=totals)[local]
    others = prepared.counts[which] - 1
    compared = others > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        deviation = np.where(compared, totals - (entry_sum - totals) / np.maximum(others, 1),
                             0.0)
    who = block.sheet_juror
    count = np.bincount(who[compared], minlength=block.juror_count)
    total = np.bincount(who, weights=deviation, minlength=block.juror_count)
    return total / np.maximum(count, 1), count


def juror_effects(prepared: Prepared, block: AreaBlock) -> np.ndarray:
    """Per juror of the area: their effect in the additive model total = entry level +
    juror effect (least squares, effects averaging 0 over the area's sheets), fitted by
    JUROR_EFFECT_ROUNDS rounds of backfitting.

    This is what "removing each juror's leniency" takes out of a sheet: unlike `leniency`
    (a juror against the others), it splits a difference between two jurors between them,
    so one harsh and one lenient juror on the same entries end up level.
    """
    sheets = prepared.sheet_slice(block)
    totals = prepared.sheet_totals[sheets]
    effect = np.zeros(block.juror_count)
    if not len(totals):
        return effect
    local = prepared.sheet_entry[sheets] - int(prepared.sheet_entry[sheets.start])
    per_entry = np.bincount(local)
    safe_entry = np.maximum(per_entry, 1)
    who = block.sheet_juror
    per_juror = np.maximum(np.bincount(who, minlength=block.juror_count), 1)
    for _ in range(JUROR_EFFECT_ROUNDS):
        level = np.bincount(local, weights=totals - effect[who]) / safe_entry
        effect = np.bincount(who, weights=totals - level[local],
                             minlength=block.juror_count) / per_juror
        effect -= effect[who].mean()
    return effect


def leniency_adjusted_totals(prepared: Prepared) -> np.ndarray:
    """Every sheet's total less its juror's effect in the sheet's area (global order)."""
    adjusted = prepared.sheet_totals.astype(np.float64, copy=True)
    for block in prepared.blocks:
        sheets = prepared.sheet_slice(block)
        adjusted[sheets] -= juror_effects(prepared, block)[block.sheet_juror]
    return adjusted
