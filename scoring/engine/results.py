"""Outputs of the ranking engine: plain frozen dataclasses of ints, floats, strs and None.

`dataclasses.asdict` of any of them is JSON-serialisable (tuples become lists).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class EntryResult:
    """One entry's outcome; rank and place are None when it is not ranked or not placed."""

    entry_id: int
    area_id: int
    criterion_scores: tuple[float, ...] | None  # criterion order; None without sheets
    total: float | None
    rank: int | None
    place: int | None
    sheet_count: int
    spread: float | None  # population standard deviation of the sheet totals
    sheet_total_min: float | None
    sheet_total_max: float | None
    rank_confidence: float | None  # share of bootstrap resamples keeping the place
    flags: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class JurorLeniency:
    """A juror's mean (sheet total - entry mean total) over their sheets in an area."""

    juror_id: int
    mean_deviation: float
    sheet_count: int


@dataclass(frozen=True)
class AreaReport:
    """Per thematic area: counts, jury agreement and each juror's leniency."""

    area_id: int
    entry_count: int
    ranked_count: int
    agreement: float | None
    agreement_statistic: str
    leniency: tuple[JurorLeniency, ...]  # by juror id
    awards: int = 0
    placed_count: int = 0
    juror_count: int = 0
    resamples: int = 0  # bootstrap resamples drawn for this area (see bootstrap_area)


@dataclass(frozen=True)
class RankingOutcome:
    """A whole run: results by area order then rank (unranked last, then entry id)."""

    method: str
    results: tuple[EntryResult, ...]
    areas: tuple[AreaReport, ...]
    bootstrap_samples: int = 0
    seed: int = 0
    fingerprint: str = ""

    def result_for(self, entry_id: int) -> EntryResult:
        """The result of one entry (KeyError if the entry was not in the input)."""
        for result in self.results:
            if result.entry_id == entry_id:
                return result
        raise KeyError(entry_id)

    def area(self, area_id: int) -> AreaReport:
        """The report of one area (KeyError if unknown)."""
        for report in self.areas:
            if report.area_id == area_id:
                return report
        raise KeyError(area_id)


@dataclass(frozen=True)
class PlaceChange:
    """An entry whose place differs in a scenario (None = no place)."""

    entry_id: int
    place_before: int | None
    place_after: int | None


@dataclass(frozen=True)
class Scenario:
    """One what-if: another method, or one criterion's weight scaled."""

    name: str
    changes: tuple[PlaceChange, ...]


@dataclass(frozen=True)
class SensitivityReport:
    """Which places move under each scenario, compared with `method` as given."""

    method: str
    scenarios: tuple[Scenario, ...]

    def scenario(self, name: str) -> Scenario:
        """A scenario by name (KeyError if unknown)."""
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        raise KeyError(name)


# Every combination of flags, as the sorted tuple stored in EntryResult.flags (bit i of a
# mask is FLAGS[i]).
def _flag_tuples() -> tuple[tuple[str, ...], ...]:
    from scoring.engine.constants import FLAGS

    return tuple(tuple(flag for i, flag in enumerate(FLAGS) if mask >> i & 1)
                 for mask in range(1 << len(FLAGS)))


FLAG_TUPLES = _flag_tuples()


@dataclass(frozen=True, eq=False)
class ResultColumns:
    """Every entry's outcome as numpy columns, in result order (what EntryResult holds,
    one array per field): the job writes its rows from these without an object per entry.

    Missing values: criterion_scores rows of an entry without sheets, total, spread, the
    sheet totals and rank_confidence are NaN; rank and place are 0; `flags` is a bit mask
    (bit i = FLAGS[i], see FLAG_TUPLES).
    """

    entry_id: np.ndarray
    area_id: np.ndarray
    criterion_scores: np.ndarray  # (E, C)
    total: np.ndarray
    rank: np.ndarray
    place: np.ndarray
    sheet_count: np.ndarray
    spread: np.ndarray
    sheet_total_min: np.ndarray
    sheet_total_max: np.ndarray
    rank_confidence: np.ndarray
    flags: np.ndarray

    def __len__(self) -> int:
        return len(self.entry_id)

    def rows(self, part: slice) -> ResultColumns:
        """The same columns for the results `part` (views, no copy)."""
        return ResultColumns(**{field.name: getattr(self, field.name)[part]
                                for field in fields(self)})

    @property
    def has_scores(self) -> np.ndarray:
        return self.sheet_count > 0

    def plain(self, name: str) -> list:
        """A column as Python numbers, None where missing (no NaN, no 0 rank or place)."""
        values = getattr(self, name)
        missing = (values == 0) if name in ("rank", "place") else np.isnan(values)
        if not missing.any():
            return values.tolist()
        out = values.astype(object)
        out[missing] = None
        return out.tolist()

    def entry_results(self) -> tuple[EntryResult, ...]:
        """The same outcome as EntryResult objects."""
        scored = self.has_scores.tolist()
        columns = zip(
            self.entry_id.tolist(),
            self.area_id.tolist(),
            scored,
            self.criterion_scores.tolist(),
            self.plain("total"),
            self.plain("rank"),
            self.plain("place"),
            self.sheet_count.tolist(),
            self.plain("spread"),
            self.plain("sheet_total_min"),
            self.plain("sheet_total_max"),
            self.plain("rank_confidence"),
            self.flags.tolist(),
            strict=True,
        )
        return _frozen_instances(
            EntryResult,
            ((entry_id, area_id, tuple(row) if has else None, total, rank, place, count, std,
              low, high, share, FLAG_TUPLES[mask])
             for (entry_id, area_id, has, row, total, rank, place, count, std, low, high,
                  share, mask) in columns),
        )


def _frozen_instances(cls: type, rows) -> tuple:
    """Instances of a frozen dataclass from tuples of field values, in field order.

    The generated __init__ of a frozen dataclass sets each field through
    object.__setattr__; filling __dict__ directly builds the same objects about three
    times faster.
    """
    names = tuple(field.name for field in fields(cls))
    new = object.__new__
    out = []
    for row in rows:
        instance = new(cls)
        instance.__dict__.update(zip(names, row, strict=True))
        out.append(instance)
    return tuple(out)


@dataclass(frozen=True, eq=False)
class RankingColumns:
    """A whole run with its results as columns (`compute_ranking_columns`); `outcome()`
    is the same run as a RankingOutcome."""

    method: str
    columns: ResultColumns
    areas: tuple[AreaReport, ...]
    bootstrap_samples: int = 0
    seed: int = 0

    def outcome(self, fingerprint: str = "") -> RankingOutcome:
        return RankingOutcome(
            method=self.method, results=self.columns.entry_results(), areas=self.areas,
            bootstrap_samples=self.bootstrap_samples, seed=self.seed,
            fingerprint=fingerprint)
