"""Outputs of the ranking engine: plain frozen dataclasses of ints, floats, strs and None.

`dataclasses.asdict` of any of them is JSON-serialisable (tuples become lists).
"""

from __future__ import annotations

from dataclasses import dataclass


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
