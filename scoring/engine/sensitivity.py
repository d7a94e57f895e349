"""sensitivity_report: whose places move under another method or a nudged weight."""

from __future__ import annotations

import numpy as np

from scoring.engine.constants import METHODS, WEIGHTED_MEAN, check_method
from scoring.engine.core import (
    method_places,
    method_standing,
    place_entries,
    result_order,
)
from scoring.engine.prepared import Prepared
from scoring.engine.results import PlaceChange, Scenario, SensitivityReport
from scoring.engine.specs import RankingInput

WEIGHT_FACTORS: tuple[float, ...] = (1.1, 0.9)


def scenario_name_for_method(method: str) -> str:
    """Scenario name of a method swap, e.g. 'method:median'."""
    return f"method:{method}"


def scenario_name_for_weight(criterion_id: int, factor: float) -> str:
    """Scenario name of a weight change, e.g. 'weight:12:x1.1'."""
    return f"weight:{criterion_id}:x{factor:g}"


def _changes(
    prepared: Prepared, order: np.ndarray, before: np.ndarray, after: np.ndarray
) -> tuple[PlaceChange, ...]:
    """Entries whose place differs, in the baseline's result order (0 = no place)."""
    moved = order[before[order] != after[order]]
    return tuple(
        PlaceChange(entry_id=e, place_before=b or None, place_after=a or None)
        for e, b, a in zip(
            prepared.entry_ids[moved].tolist(),
            before[moved].tolist(),
            after[moved].tolist(),
            strict=True,
        )
    )


def sensitivity_report(data: RankingInput, method: str = WEIGHTED_MEAN) -> SensitivityReport:
    """Compare places under `method` with each other method and with each criterion's
    weight multiplied by 1.1 and by 0.9 (the other weights unchanged).

    Only places are compared (no statistics, no bootstrap), so each scenario ranks only
    the entries that can hold a place (`core.place_entries`), and another method's
    criterion scores are computed only for the entries whose bounds let them reach one
    (`core.method_places`). A method's criterion scores do not depend on the weights, so
    weight scenarios only recompute totals and places.
    """
    check_method(method)
    prepared = data.prepared
    scores, baseline = method_standing(prepared, method)
    order = result_order(prepared, baseline.rank)
    scenarios = []
    for other in METHODS:
        if other == method:
            continue
        places = method_places(prepared, other)
        changes = _changes(prepared, order, baseline.place, places)
        scenarios.append(Scenario(scenario_name_for_method(other), changes))
    for c, criterion_id in enumerate(prepared.criterion_ids):
        for factor in WEIGHT_FACTORS:
            weights = prepared.weights.copy()
            weights[c] *= factor
            places = place_entries(prepared, scores, weights)
            changes = _changes(prepared, order, baseline.place, places)
            scenarios.append(Scenario(scenario_name_for_weight(criterion_id, factor), changes))
    return SensitivityReport(method=method, scenarios=tuple(scenarios))
