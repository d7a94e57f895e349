"""Inputs of the ranking engine: criteria, thematic areas, entries and jury sheets.

`RankingInput` validates everything once and keeps the counted sheets as read-only numpy
columns sorted by (entry id, juror id), so that every later step is independent of the
order in which the caller listed its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from scoring.engine.prepared import Prepared


@dataclass(frozen=True)
class CriterionSpec:
    """A weighted criterion; `order` is the display order and the tie-break order."""

    id: int
    weight: float
    order: int


@dataclass(frozen=True)
class AreaSpec:
    """A thematic area; places 1..`awards` of its ranking are awarded."""

    id: int
    awards: int
    order: int = 0


@dataclass(frozen=True)
class EntrySpec:
    """An eligible entry (a practice entered into one thematic area)."""

    id: int
    area_id: int


@dataclass(frozen=True)
class SheetSpec:
    """One juror's scores for one entry, in criterion order (criteria sorted by order, id).

    A recused sheet never counts; it may be passed (with any scores) or left out.
    """

    entry_id: int
    juror_id: int
    scores: tuple[float, ...]
    recused: bool = False


def _is_int(value: Any) -> bool:
    """True for integers (numpy ones included) but not for booleans."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def _plain_number(value: Any, name: str) -> int | float:
    """A finite real number; integral floats become ints so 10 and 10.0 fingerprint alike."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if _is_int(value):
        return int(value)
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def _unique_ids(ids: Iterable[int], what: str) -> None:
    """Ids of criteria, areas and entries must be integers and unique."""
    seen: set[int] = set()
    for value in ids:
        if not _is_int(value):
            raise ValueError(f"{what} id must be an integer, got {value!r}")
        if value in seen:
            raise ValueError(f"duplicate {what} id {value}")
        seen.add(value)


def _validated_criteria(criteria: Iterable[CriterionSpec]) -> tuple[CriterionSpec, ...]:
    """At least one criterion, unique ids, weights finite and > 0; sorted by (order, id)."""
    items = tuple(criteria)
    if not items:
        raise ValueError("at least one criterion is required")
    _unique_ids((c.id for c in items), "criterion")
    for c in items:
        weight = c.weight
        if isinstance(weight, bool) or not isinstance(weight, Real):
            raise ValueError(f"criterion {c.id}: weight must be a number, got {weight!r}")
        if not math.isfinite(weight) or weight <= 0:
            raise ValueError(f"criterion {c.id}: weight must be > 0, got {weight!r}")
        if not _is_int(c.order):
            raise ValueError(f"criterion {c.id}: order must be an integer, got {c.order!r}")
    plain = (CriterionSpec(int(c.id), float(c.weight), int(c.order)) for c in items)
    return tuple(sorted(plain, key=lambda c: (c.order, c.id)))


def _validated_areas(areas: Iterable[AreaSpec]) -> tuple[AreaSpec, ...]:
    """Unique area ids, awards an integer >= 0; sorted by (order, id)."""
    items = tuple(areas)
    _unique_ids((a.id for a in items), "area")
    for a in items:
        if not _is_int(a.awards) or a.awards < 0:
            raise ValueError(f"area {a.id}: awards must be an integer >= 0, got {a.awards!r}")
        if not _is_int(a.order):
            raise ValueError(f"area {a.id}: order must be an integer, got {a.order!r}")
    plain = (AreaSpec(int(a.id), int(a.awards), int(a.order)) for a in items)
    return tuple(sorted(plain, key=lambda a: (a.order, a.id)))


def _validated_entries(
    entries: Iterable[EntrySpec], areas: Sequence[AreaSpec]
) -> tuple[EntrySpec, ...]:
    """Unique entry ids, each in a known area; sorted by id."""
    items = tuple(entries)
    _unique_ids((e.id for e in items), "entry")
    area_ids = {a.id for a in areas}
    for e in items:
        if e.area_id not in area_ids:
            raise ValueError(f"entry {e.id}: unknown area id {e.area_id!r}")
    return tuple(sorted((EntrySpec(int(e.id), int(e.area_id)) for e in items), key=lambda e: e.id))


def _validated_entry_columns(
    entry_ids: Any, entry_area_ids: Any, areas: Sequence[AreaSpec]
) -> tuple[np.ndarray, np.ndarray]:
    """`_validated_entries` for two integer columns (ids, area ids): sorted by id."""
    ids = _integer_column(entry_ids, "entry_ids")
    area_ids = _integer_column(entry_area_ids, "entry_area_ids")
    if ids.shape != area_ids.shape:
        raise ValueError("entry_ids and entry_area_ids differ in length")
    order = np.argsort(ids, kind="stable")
    ids, area_ids = ids[order], area_ids[order]
    repeated = np.flatnonzero(ids[1:] == ids[:-1])
    if len(repeated):
        raise ValueError(f"duplicate entry id {int(ids[repeated[0]])}")
    unknown = np.flatnonzero(~np.isin(area_ids, [a.id for a in areas]))
    if len(unknown):
        at = unknown[0]
        raise ValueError(f"entry {int(ids[at])}: unknown area id {int(area_ids[at])!r}")
    return ids, area_ids


def _integer_column(values: Any, name: str) -> np.ndarray:
    """A 1-D int64 column; floats are refused rather than silently truncated."""
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D array of integers")
    return array.astype(np.int64, copy=False)


def _read_only(array: np.ndarray) -> np.ndarray:
    """Freeze a column so that a RankingInput (and its cached preparation) stays valid."""
    array.flags.writeable = False
    return array


class RankingInput:
    """Validated, canonical input of one ranking run.

    Rules enforced: criteria weights > 0; scale_min < scale_max; min_sheets >= 1; every
    counted sheet names a known entry, has one finite score per criterion within the scale,
    and no juror has two counted sheets for the same entry. Recused sheets are dropped.
    """

    criteria: tuple[CriterionSpec, ...]
    areas: tuple[AreaSpec, ...]
    entry_ids: np.ndarray  # sorted
    entry_area_ids: np.ndarray
    scale_min: int | float
    scale_max: int | float
    min_sheets: int
    sheet_entry_ids: np.ndarray
    sheet_juror_ids: np.ndarray
    scores: np.ndarray

    def __init__(
        self,
        criteria: Iterable[CriterionSpec],
        areas: Iterable[AreaSpec],
        entries: Iterable[EntrySpec],
        sheets: Iterable[SheetSpec],
        scale_min: int | float = 0,
        scale_max: int | float = 10,
        min_sheets: int = 1,
    ) -> None:
        criteria = _validated_criteria(criteria)
        counted = [s for s in sheets if not s.recused]
        width = len(criteria)
        for s in counted:
            if len(s.scores) != width:
                raise ValueError(
                    f"sheet of juror {s.juror_id} for entry {s.entry_id} has "
                    f"{len(s.scores)} scores, expected {width}"
                )
        scores = np.array([s.scores for s in counted], dtype=np.float64).reshape(-1, width)
        self._build(
            criteria,
            areas,
            entries,
            np.array([s.entry_id for s in counted], dtype=np.int64),
            np.array([s.juror_id for s in counted], dtype=np.int64),
            scores,
            scale_min,
            scale_max,
            min_sheets,
        )

    @classmethod
    def from_arrays(
        cls,
        criteria: Iterable[CriterionSpec],
        areas: Iterable[AreaSpec],
        entries: Iterable[EntrySpec] | tuple[np.ndarray, np.ndarray],
        *,
        sheet_entry_ids: np.ndarray,
        sheet_juror_ids: np.ndarray,
        scores: np.ndarray,
        scale_min: int | float = 0,
        scale_max: int | float = 10,
        min_sheets: int = 1,
        recused: np.ndarray | None = None,
    ) -> RankingInput:
        """Columnar constructor: one row per sheet, `scores` of shape (sheets, criteria).

        `entries` are EntrySpec objects or two integer arrays (entry ids, their area ids);
        `recused` is an optional boolean mask of sheets that never count.
        """
        criteria = _validated_criteria(criteria)
        entry_ids = _integer_column(sheet_entry_ids, "sheet_entry_ids")
        juror_ids = _integer_column(sheet_juror_ids, "sheet_juror_ids")
        score_array = np.asarray(scores, dtype=np.float64)
        if score_array.size == 0:
            score_array = score_array.reshape(0, len(criteria))
        if score_array.ndim != 2 or score_array.shape != (len(entry_ids), len(criteria)):
            raise ValueError(
                f"scores must have shape ({len(entry_ids)}, {len(criteria)}), "
                f"got {score_array.shape}"
            )
        if len(juror_ids) != len(entry_ids):
            raise ValueError("sheet_entry_ids and sheet_juror_ids differ in length")
        if recused is not None:
            mask = np.asarray(recused, dtype=bool)
            if mask.shape != entry_ids.shape:
                raise ValueError("recused must be a boolean mask with one value per sheet")
            keep = ~mask
            entry_ids, juror_ids, score_array = entry_ids[keep], juror_ids[keep], score_array[keep]
        data = cls.__new__(cls)
        data._build(
            criteria,
            areas,
            entries,
            entry_ids,
            juror_ids,
            score_array,
            scale_min,
            scale_max,
            min_sheets,
        )
        return data

    def _build(
        self,
        criteria: tuple[CriterionSpec, ...],
        areas: Iterable[AreaSpec],
        entries: Iterable[EntrySpec],
        entry_ids: np.ndarray,
        juror_ids: np.ndarray,
        scores: np.ndarray,
        scale_min: int | float,
        scale_max: int | float,
        min_sheets: int,
    ) -> None:
        """Validate and store canonical (sorted, read-only) columns of counted sheets."""
        self.criteria = criteria
        self.areas = _validated_areas(areas)
        if isinstance(entries, tuple) and len(entries) == 2 and all(
                isinstance(column, np.ndarray) for column in entries):
            self.entry_ids, self.entry_area_ids = _validated_entry_columns(*entries,
                                                                           self.areas)
        else:
            specs = _validated_entries(entries, self.areas)
            self.entry_ids = np.array([e.id for e in specs], dtype=np.int64)
            self.entry_area_ids = np.array([e.area_id for e in specs], dtype=np.int64)
            self.__dict__["entries"] = specs
        _read_only(self.entry_ids)
        _read_only(self.entry_area_ids)
        self.scale_min = _plain_number(scale_min, "scale_min")
        self.scale_max = _plain_number(scale_max, "scale_max")
        if self.scale_min >= self.scale_max:
            raise ValueError(f"scale_min {scale_min!r} must be below scale_max {scale_max!r}")
        if not _is_int(min_sheets) or min_sheets < 1:
            raise ValueError(f"min_sheets must be an integer >= 1, got {min_sheets!r}")
        self.min_sheets = int(min_sheets)

        known = self.entry_ids
        slot = np.searchsorted(known, entry_ids)
        slot_ok = slot < len(known)
        found = np.zeros(len(entry_ids), dtype=bool)
        found[slot_ok] = known[slot[slot_ok]] == entry_ids[slot_ok]
        if not found.all():
            bad = int(entry_ids[~found][0])
            raise ValueError(f"a sheet names entry {bad}, which is not among the entries")
        self._check_scores(scores, entry_ids, juror_ids)

        order = np.lexsort((juror_ids, entry_ids))
        entry_ids, juror_ids, scores = entry_ids[order], juror_ids[order], scores[order]
        same = (entry_ids[1:] == entry_ids[:-1]) & (juror_ids[1:] == juror_ids[:-1])
        if same.any():
            at = int(np.flatnonzero(same)[0])
            raise ValueError(
                f"juror {int(juror_ids[at])} has more than one counted sheet "
                f"for entry {int(entry_ids[at])}"
            )
        # +0.0 turns -0.0 into 0.0 so equal scores always hash alike in the fingerprint.
        self.sheet_entry_ids = _read_only(np.ascontiguousarray(entry_ids))
        self.sheet_juror_ids = _read_only(np.ascontiguousarray(juror_ids))
        self.scores = _read_only(np.ascontiguousarray(scores + 0.0))

    def _check_scores(
        self, scores: np.ndarray, entry_ids: np.ndarray, juror_ids: np.ndarray
    ) -> None:
        """Every counted score is finite and within [scale_min, scale_max]."""
        bad = ~np.isfinite(scores) | (scores < self.scale_min) | (scores > self.scale_max)
        if bad.any():
            row, col = (int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"score {scores[row, col]!r} of juror {int(juror_ids[row])} for entry "
                f"{int(entry_ids[row])} (criterion {self.criteria[col].id}) is outside the "
                f"scale {self.scale_min}..{self.scale_max}"
            )

    @cached_property
    def entries(self) -> tuple[EntrySpec, ...]:
        """The entries as EntrySpec by id, built on demand (the columns are the source)."""
        return tuple(EntrySpec(e, a) for e, a in zip(
            self.entry_ids.tolist(), self.entry_area_ids.tolist(), strict=True))

    @property
    def sheet_count(self) -> int:
        """Number of counted sheets."""
        return len(self.sheet_entry_ids)

    @cached_property
    def sheets(self) -> tuple[SheetSpec, ...]:
        """The counted sheets as SheetSpec, built on demand (the columns are the source)."""
        return tuple(
            SheetSpec(entry_id=e, juror_id=j, scores=tuple(row))
            for e, j, row in zip(
                self.sheet_entry_ids.tolist(),
                self.sheet_juror_ids.tolist(),
                self.scores.tolist(),
                strict=True,
            )
        )

    @cached_property
    def prepared(self) -> Prepared:
        """Array layout shared by every method run on this input (computed once)."""
        from scoring.engine.prepared import Prepared

        return Prepared.build(self)

    def __repr__(self) -> str:
        return (
            f"RankingInput(criteria={len(self.criteria)}, areas={len(self.areas)}, "
            f"entries={len(self.entry_ids)}, sheets={self.sheet_count}, "
            f"scale={self.scale_min}..{self.scale_max}, min_sheets={self.min_sheets})"
        )
