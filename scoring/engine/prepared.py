"""Array layout of a RankingInput, built once and shared by every method and statistic.

Entries are numbered globally in (area order, entry id) order, so each thematic area is a
contiguous slice. Counted sheets are sorted by (entry, juror id). Each area also gets a
padded block: one row per entry and one column per sheet slot (K = the largest number of
sheets of an entry in the area), which lets a method and its bootstrap work on whole
arrays instead of looping over sheets in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from scoring.engine.constants import TIE_TOLERANCE

if TYPE_CHECKING:  # pragma: no cover - typing only
    from scoring.engine.specs import AreaSpec, RankingInput

@dataclass(eq=False)
class AreaBlock:
    """Padded sheets of one thematic area; pads have juror index `juror_count` (weight 0)."""

    position: int
    area_id: int
    awards: int
    start: int
    stop: int
    counts: np.ndarray  # (E_a,) counted sheets per entry
    eligible: np.ndarray  # (E_a,) counts >= min_sheets
    juror_ids: np.ndarray  # (J_a,) juror ids, ascending
    values: np.ndarray  # (E_a, K, C) scores, 0 in pads
    juror: np.ndarray  # (E_a, K) local juror index, J_a in pads
    present: np.ndarray  # (E_a, K) True for a real sheet
    sheet_totals: np.ndarray  # (E_a, K) weighted sheet totals, 0 in pads
    sheet_entry: np.ndarray  # (n_a,) local entry of each sheet of the area
    sheet_juror: np.ndarray  # (n_a,) local juror of each sheet of the area
    sheet_slot: np.ndarray  # (n_a,) slot (column) of each sheet in the padded block
    weights: np.ndarray  # (C,)
    weight_sum: float
    scale_min: float
    scale_max: float

    @property
    def entry_count(self) -> int:
        return self.stop - self.start

    @property
    def juror_count(self) -> int:
        return len(self.juror_ids)

    @property
    def slots(self) -> int:
        return self.values.shape[1]

    def padded(self, per_sheet: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """Scatter a per-sheet array (n_a, ...) into the padded (E_a, K, ...) layout."""
        out = np.full((self.entry_count, self.slots) + per_sheet.shape[1:], fill)
        out[self.sheet_entry, self.sheet_slot] = per_sheet
        return out

    def sorted_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per criterion, the sheets of the entries `rows` sorted by score (pads last) with
        their jurors.

        Shapes (R, C, K): slots last, so per-entry reductions run over contiguous memory.
        Used by the order statistics (median, trimmed mean). The order does not depend on
        the bootstrap multiplicities, and each entry's sheets are sorted on their own, so
        only the entries asked for are sorted: a resample or a sensitivity scenario
        computes a few of an area's entries, the real run all of them once.
        """
        values = np.ascontiguousarray(self.values[rows].transpose(0, 2, 1))
        key = np.where(self.present[rows][:, None, :], values, np.inf)
        order = np.argsort(key, axis=2, kind="stable")
        jurors = np.broadcast_to(self.juror[rows][:, None, :], values.shape)
        return (
            np.take_along_axis(values, order, axis=2),
            np.take_along_axis(jurors, order, axis=2),
        )

    @cached_property
    def total_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(E_a,) lowest and highest possible total of each entry (+inf and -inf for an
        entry without sheets): any mean, median or trimmed mean of its sheets lies between
        its lowest and highest score per criterion, whatever the multiplicities."""
        present = self.present[..., None]
        weights = self.weights / self.weight_sum
        low = np.where(present, self.values, np.inf).min(axis=1, initial=np.inf)
        high = np.where(present, self.values, -np.inf).max(axis=1, initial=-np.inf)
        return np.einsum("ec,c->e", low, weights), np.einsum("ec,c->e", high, weights)

    @cached_property
    def sheet_total_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(E_a,) lowest and highest weighted total of one sheet of each entry (+inf and
        -inf for an entry without sheets): a weighted mean's total is the mean of its
        (drawn) sheets' totals, so it lies between them whatever the multiplicities; a
        tighter bound than `total_bounds`, which holds for every method."""
        low = np.where(self.present, self.sheet_totals, np.inf).min(axis=1, initial=np.inf)
        high = np.where(self.present, self.sheet_totals, -np.inf).max(axis=1, initial=-np.inf)
        return low, high

    @cached_property
    def zscore_layout(self) -> ZScoreLayout:
        """Each sheet's z-value per criterion within its juror's scores in this area.

        A juror with a single sheet or (numerically) zero spread gets z = 0; the spread is
        the population standard deviation (ddof=0) of the juror's scores in the area.
        """
        return ZScoreLayout.build(self)


@dataclass(eq=False)
class ZScoreLayout:
    """Juror-standardised scores of one area plus per-juror sums for re-weighted area stats."""

    z: np.ndarray  # (E_a, C, K), 0 in pads
    z_min: np.ndarray  # (E_a, C) smallest z of an entry's sheets (for bootstrap bounds)
    z_max: np.ndarray  # (E_a, C)
    reference: np.ndarray  # (C,) area mean, the origin of the sums below (less cancellation)
    juror_sheets: np.ndarray  # (J_a+1,) sheets per juror, 0 for the pad juror
    juror_sum: np.ndarray  # (J_a+1, C) sum of (score - reference)
    juror_square: np.ndarray  # (J_a+1, C) sum of (score - reference)^2

    @classmethod
    def build(cls, block: AreaBlock) -> ZScoreLayout:
        jurors = block.juror_count
        criteria = block.values.shape[2]
        scores = block.values[block.sheet_entry, block.sheet_slot]  # (n_a, C)
        who = block.sheet_juror
        sheets = np.bincount(who, minlength=jurors).astype(np.float64)
        safe = np.maximum(sheets, 1.0)
        mean = _column_bincount(who, scores, jurors) / safe[:, None]
        deviation = scores - mean[who]
        spread = np.sqrt(_column_bincount(who, deviation**2, jurors) / safe[:, None])
        # Two-pass spread and a tolerance: a juror who gives the same score everywhere must
        # map to z = 0, not to rounding noise divided by rounding noise.
        usable = (sheets[:, None] >= 2) & (spread > TIE_TOLERANCE)
        z_sheet = np.where(usable[who], deviation / np.where(usable, spread, 1.0)[who], 0.0)
        z = block.padded(z_sheet)  # (E_a, K, C)
        reference = scores.mean(axis=0) if len(scores) else np.zeros(criteria)
        centred = scores - reference
        pad_row = np.zeros((1, criteria))
        return cls(
            z=np.ascontiguousarray(z.transpose(0, 2, 1)),
            z_min=np.where(block.present[..., None], z, np.inf).min(axis=1, initial=np.inf),
            z_max=np.where(block.present[..., None], z, -np.inf).max(axis=1, initial=-np.inf),
            reference=reference,
            juror_sheets=np.append(sheets, 0.0),
            juror_sum=np.vstack([_column_bincount(who, centred, jurors), pad_row]),
            juror_square=np.vstack([_column_bincount(who, centred**2, jurors), pad_row]),
        )


def _column_bincount(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per-group sums of each column of `values` (n, C) -> (size, C)."""
    return np.stack(
        [np.bincount(groups, weights=values[:, c], minlength=size) for c in range(values.shape[1])],
        axis=1,
    ).reshape(size, values.shape[1])


@dataclass(eq=False)
class Prepared:
    """Global arrays of a RankingInput (see the module docstring for the numbering)."""

    weights: np.ndarray
    weight_sum: float
    criterion_ids: tuple[int, ...]
    areas: tuple[AreaSpec, ...]
    entry_ids: np.ndarray  # (E,) in global order
    entry_area: np.ndarray  # (E,) area position
    area_start: np.ndarray  # (A+1,)
    awards: np.ndarray  # (A,)
    sheet_entry: np.ndarray  # (n,) global entry index, ascending
    sheet_juror_ids: np.ndarray  # (n,)
    sheet_totals: np.ndarray  # (n,)
    sheet_start: np.ndarray  # (E+1,) first sheet of each entry
    counts: np.ndarray  # (E,)
    eligible: np.ndarray  # (E,)
    scale_min: float
    scale_max: float
    min_sheets: int
    blocks: tuple[AreaBlock, ...]
    # Per method, what core.method_standing computed on this input (criterion scores and
    # the real run's ranking): a run and its sensitivity report share it.
    standings: dict[str, tuple] = field(default_factory=dict)

    @classmethod
    def build(cls, data: RankingInput) -> Prepared:
        weights = np.array([float(c.weight) for c in data.criteria])
        weight_sum = float(weights.sum())
        areas = data.areas
        ids_by_id = data.entry_ids  # sorted by id
        area_ids = np.array([a.id for a in areas], dtype=np.int64)
        area_order = np.argsort(area_ids)
        area_by_id = area_order[np.searchsorted(area_ids[area_order],
                                                data.entry_area_ids)].astype(np.intp)
        order = np.lexsort((ids_by_id, area_by_id))
        entry_ids = ids_by_id[order]
        entry_area = area_by_id[order]
        area_start = np.searchsorted(entry_area, np.arange(len(areas) + 1)).astype(np.intp)
        global_of_sorted = np.empty(len(order), dtype=np.intp)
        global_of_sorted[order] = np.arange(len(order))

        sheet_entry = global_of_sorted[np.searchsorted(ids_by_id, data.sheet_entry_ids)]
        # Stable: the input is sorted by (entry id, juror id), so jurors stay ascending.
        sheet_order = np.argsort(sheet_entry, kind="stable")
        sheet_entry = sheet_entry[sheet_order]
        juror_ids = data.sheet_juror_ids[sheet_order]
        scores = data.scores[sheet_order]
        # einsum rather than a BLAS product: see methods.weighted_sum.
        sheet_totals = np.einsum("nc,c->n", scores, weights) / weight_sum
        counts = np.bincount(sheet_entry, minlength=len(entry_ids))
        sheet_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        eligible = counts >= data.min_sheets
        prepared = cls(
            weights=weights,
            weight_sum=weight_sum,
            criterion_ids=tuple(c.id for c in data.criteria),
            areas=areas,
            entry_ids=entry_ids,
            entry_area=entry_area,
            area_start=area_start,
            awards=np.array([a.awards for a in areas], dtype=np.int64),
            sheet_entry=sheet_entry,
            sheet_juror_ids=juror_ids,
            sheet_totals=sheet_totals,
            sheet_start=sheet_start,
            counts=counts,
            eligible=eligible,
            scale_min=float(data.scale_min),
            scale_max=float(data.scale_max),
            min_sheets=data.min_sheets,
            blocks=(),
        )
        # The sorted scores are only cut into the blocks (not kept: the blocks hold them).
        prepared.blocks = tuple(prepared._block(i, scores) for i in range(len(areas)))
        return prepared

    def _block(self, position: int, scores: np.ndarray) -> AreaBlock:
        """Cut one area's sheets out of the global arrays into its padded block."""
        start, stop = int(self.area_start[position]), int(self.area_start[position + 1])
        first, last = int(self.sheet_start[start]), int(self.sheet_start[stop])
        counts = self.counts[start:stop]
        local_entry = self.sheet_entry[first:last] - start
        slot = np.arange(first, last) - self.sheet_start[self.sheet_entry[first:last]]
        juror_ids, local_juror = np.unique(self.sheet_juror_ids[first:last], return_inverse=True)
        slots = int(counts.max()) if len(counts) else 0
        criteria = len(self.weights)
        values = np.zeros((stop - start, slots, criteria))
        values[local_entry, slot] = scores[first:last]
        juror = np.full((stop - start, slots), len(juror_ids), dtype=np.intp)
        juror[local_entry, slot] = local_juror
        present = np.zeros((stop - start, slots), dtype=bool)
        present[local_entry, slot] = True
        totals = np.zeros((stop - start, slots))
        totals[local_entry, slot] = self.sheet_totals[first:last]
        return AreaBlock(
            position=position,
            area_id=self.areas[position].id,
            awards=int(self.awards[position]),
            start=start,
            stop=stop,
            counts=counts,
            eligible=self.eligible[start:stop],
            juror_ids=juror_ids,
            values=values,
            juror=juror,
            present=present,
            sheet_totals=totals,
            sheet_entry=local_entry,
            sheet_juror=local_juror.astype(np.intp).reshape(-1),
            sheet_slot=slot,
            weights=self.weights,
            weight_sum=self.weight_sum,
            scale_min=self.scale_min,
            scale_max=self.scale_max,
        )

    def sheet_slice(self, block: AreaBlock) -> slice:
        """Global sheet range of an area (sheets are sorted by entry, areas are contiguous)."""
        return slice(int(self.sheet_start[block.start]), int(self.sheet_start[block.stop]))
