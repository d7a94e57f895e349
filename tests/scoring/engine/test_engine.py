"""Hand-worked examples of the ranking engine (pure Python, no database)."""

from __future__ import annotations

import dataclasses
import json
import math
import random

import numpy as np
import pytest

from scoring.engine import (
    METHODS,
    AreaReport,
    AreaSpec,
    CriterionSpec,
    EntrySpec,
    JurorLeniency,
    PlaceChange,
    RankingInput,
    RankingOutcome,
    SheetSpec,
    compute_ranking,
    input_fingerprint,
    krippendorff_alpha_interval,
    sensitivity_report,
)

pytestmark = pytest.mark.unit


def competition(
    sheets: dict[int, dict[int, tuple[float, ...]]],
    *,
    weights: tuple[float, ...] = (1.0,),
    awards: int = 3,
    area_of: dict[int, int] | None = None,
    areas: tuple[AreaSpec, ...] | None = None,
    min_sheets: int = 1,
    extra_sheets: tuple[SheetSpec, ...] = (),
) -> RankingInput:
    """Entries {entry: {juror: scores}}; criteria 1..C with `weights`; one area (id 1)."""
    area_of = area_of or {}
    areas = areas or (AreaSpec(id=1, awards=awards),)
    return RankingInput(
        criteria=[CriterionSpec(id=c + 1, weight=w, order=c) for c, w in enumerate(weights)],
        areas=areas,
        entries=[EntrySpec(id=e, area_id=area_of.get(e, 1)) for e in sheets],
        sheets=[
            SheetSpec(entry_id=e, juror_id=j, scores=tuple(s))
            for e, by_juror in sheets.items()
            for j, s in by_juror.items()
        ]
        + list(extra_sheets),
        min_sheets=min_sheets,
    )


def by_entry(outcome: RankingOutcome) -> dict[int, dict]:
    return {r.entry_id: dataclasses.asdict(r) for r in outcome.results}


def ranks(outcome: RankingOutcome) -> dict[int, int | None]:
    return {r.entry_id: r.rank for r in outcome.results}


def places(outcome: RankingOutcome) -> dict[int, int | None]:
    return {r.entry_id: r.place for r in outcome.results}


# --- methods -------------------------------------------------------------------------


def test_weighted_mean_hand_worked_example():
    # Weights 2 and 1, two jurors.
    # entry 1: (8, 6), (6, 9) -> criteria (7, 7.5)   -> total (2*7 + 7.5) / 3 = 21.5/3
    # entry 2: (9, 3), (7, 5) -> criteria (8, 4)     -> total (2*8 + 4) / 3   = 20/3
    # entry 3: (5, 10), (6, 10) -> criteria (5.5, 10) -> total (2*5.5 + 10) / 3 = 7
    data = competition(
        {
            1: {11: (8, 6), 12: (6, 9)},
            2: {11: (9, 3), 12: (7, 5)},
            3: {11: (5, 10), 12: (6, 10)},
        },
        weights=(2.0, 1.0),
        awards=2,
    )

    outcome = compute_ranking(data)

    results = by_entry(outcome)
    assert [r.entry_id for r in outcome.results] == [1, 3, 2]
    assert results[1]["criterion_scores"] == (7.0, 7.5)
    assert results[1]["total"] == pytest.approx(21.5 / 3)
    assert results[2]["criterion_scores"] == (8.0, 4.0)
    assert results[2]["total"] == pytest.approx(20 / 3)
    assert results[3]["total"] == pytest.approx(7.0)
    assert ranks(outcome) == {1: 1, 3: 2, 2: 3}
    assert places(outcome) == {1: 1, 3: 2, 2: None}


def test_weighted_mean_sheet_spread_of_an_entry():
    # Sheet totals of entry 1 (weights 2, 1): (2*8 + 6)/3 = 22/3 and (2*6 + 9)/3 = 7.
    # Population standard deviation of two values = half their distance = 1/6.
    data = competition({1: {11: (8, 6), 12: (6, 9)}}, weights=(2.0, 1.0))

    result = compute_ranking(data).results[0]

    assert result.sheet_count == 2
    assert result.sheet_total_min == pytest.approx(7.0)
    assert result.sheet_total_max == pytest.approx(22 / 3)
    assert result.spread == pytest.approx(1 / 6)
    assert result.flags == ()


def test_median_hand_worked_example():
    # entry 1: 3, 9, 4, 8, 5 -> sorted 3 4 5 8 9 -> median 5   (mean 29/5 = 5.8)
    # entry 2: 2, 4, 6, 10   -> (4 + 6) / 2 = 5                (mean 22/4 = 5.5)
    # entry 3: 7, 7, 1       -> 7                              (mean 15/3 = 5)
    data = competition(
        {
            1: {11: (3,), 12: (9,), 13: (4,), 14: (8,), 15: (5,)},
            2: {11: (2,), 12: (4,), 13: (6,), 14: (10,)},
            3: {11: (7,), 12: (7,), 13: (1,)},
        }
    )

    median = compute_ranking(data, "median")
    mean = compute_ranking(data, "weighted_mean")

    assert {r.entry_id: r.total for r in median.results} == {3: 7.0, 1: 5.0, 2: 5.0}
    assert ranks(median) == {3: 1, 1: 2, 2: 2}
    assert ranks(mean) == {1: 1, 2: 2, 3: 3}


def test_trimmed_mean_drops_extremes_with_five_sheets():
    # 2, 6, 7, 8, 10 -> drop 2 and 10 -> (6 + 7 + 8) / 3 = 7   (plain mean 33/5 = 6.6)
    data = competition({1: {11: (2,), 12: (6,), 13: (7,), 14: (8,), 15: (10,)}})

    assert compute_ranking(data, "trimmed_mean").results[0].total == pytest.approx(7.0)
    assert compute_ranking(data, "weighted_mean").results[0].total == pytest.approx(6.6)


def test_trimmed_mean_is_plain_mean_with_four_sheets():
    # 2, 6, 7, 10 -> fewer than 5 sheets, nothing dropped -> 25 / 4 = 6.25
    data = competition({1: {11: (2,), 12: (6,), 13: (7,), 14: (10,)}})

    assert compute_ranking(data, "trimmed_mean").results[0].total == pytest.approx(6.25)


def test_trimmed_mean_trims_each_criterion_separately():
    # criterion 1: 1, 5, 5, 5, 9 -> 5; criterion 2: 9, 5, 5, 5, 1 -> 5 (other jurors' extremes)
    data = competition(
        {1: {11: (1, 9), 12: (5, 5), 13: (5, 5), 14: (5, 5), 15: (9, 1)}}, weights=(1.0, 1.0)
    )

    result = compute_ranking(data, "trimmed_mean").results[0]

    assert result.criterion_scores == (5.0, 5.0)


def lenient_juror_competition(shift: float = 0.0) -> RankingInput:
    # Juror 21 (lenient, +3) scores entries 1 and 2; juror 22 scores entries 3 and 4.
    # True quality: 1 -> 6, 2 -> 4, 3 -> 7, 4 -> 5.
    return competition(
        {1: {21: (9 + shift,)}, 2: {21: (7 + shift,)}, 3: {22: (7,)}, 4: {22: (5,)}},
        awards=1,
    )


def test_weighted_mean_favours_lenient_juror():
    # Totals 9, 7, 7, 5: entry 1 wins only because juror 21 is lenient.
    outcome = compute_ranking(lenient_juror_competition())

    assert ranks(outcome) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert places(outcome) == {1: 1, 2: None, 3: None, 4: None}


def test_zscore_removes_lenient_juror_bias():
    # Juror 21: mean 8, sd 1 -> z(1) = +1, z(2) = -1. Juror 22: mean 6, sd 1 -> z(3) = +1,
    # z(4) = -1. Area: mean (9+7+7+5)/4 = 7, variance (4+0+0+4)/4 = 2, sd sqrt(2).
    # Mapped: entries 1 and 3 -> 7 + sqrt(2); entries 2 and 4 -> 7 - sqrt(2).
    outcome = compute_ranking(lenient_juror_competition(), "zscore")

    totals = {r.entry_id: r.total for r in outcome.results}
    assert totals == {
        1: pytest.approx(7 + math.sqrt(2)),
        3: pytest.approx(7 + math.sqrt(2)),
        2: pytest.approx(7 - math.sqrt(2)),
        4: pytest.approx(7 - math.sqrt(2)),
    }
    assert ranks(outcome) == {1: 1, 3: 1, 2: 3, 4: 3}
    assert places(outcome) == {1: 1, 3: 1, 2: None, 4: None}


def test_zscore_ranks_ignore_a_jurors_constant_shift():
    # Shifting every score of juror 21 by -1 changes the area's mean, not anyone's z.
    assert ranks(compute_ranking(lenient_juror_competition(-1.0), "zscore")) == ranks(
        compute_ranking(lenient_juror_competition(), "zscore")
    )


def test_zscore_single_sheet_juror_maps_to_area_mean():
    # Juror 31 scored only entry 2: z = 0 -> the area mean (8+4+6)/3 = 6.
    # Juror 30: mean 6, sd 2 -> z(1) = +1, z(3) = -1; area sd = sqrt((4+4+0)/3).
    data = competition({1: {30: (8,)}, 3: {30: (4,)}, 2: {31: (6,)}})

    totals = {r.entry_id: r.total for r in compute_ranking(data, "zscore").results}

    spread = math.sqrt(8 / 3)
    assert totals == {
        1: pytest.approx(6 + spread),
        2: pytest.approx(6.0),
        3: pytest.approx(6 - spread),
    }


def test_zscore_clips_to_the_scale():
    # Juror 40: 10 on entry 1 and 0 on entries 2..8 -> mean 1.25, sd sqrt(10.9375),
    # z(entry 1) = 8.75 / sqrt(10.9375) = sqrt(7). Juror 41: 5, 5, 6, 4 on entries 9..12
    # -> mean 5, sd sqrt(0.5), z(entry 12) = -1 / sqrt(0.5) = -sqrt(2).
    # Area: 12 sheets summing to 30 -> mean 2.5, variance 127/12.
    # entry 1: 2.5 + sqrt(7) * sqrt(127/12) = 11.11 -> clipped to 10
    # entry 12: 2.5 - sqrt(2) * sqrt(127/12) = -2.10 -> clipped to 0
    sheets = {1: {40: (10,)}} | {e: {40: (0,)} for e in range(2, 9)}
    sheets |= {9: {41: (5,)}, 10: {41: (5,)}, 11: {41: (6,)}, 12: {41: (4,)}}

    totals = {r.entry_id: r.total for r in compute_ranking(competition(sheets), "zscore").results}

    assert totals[1] == 10.0
    assert totals[12] == 0.0
    assert totals[11] == pytest.approx(2.5 + math.sqrt(2) * math.sqrt(127 / 12))
    assert totals[9] == pytest.approx(2.5)


# --- ties, shared ranks and places -----------------------------------------------------


def test_equal_totals_broken_by_criteria_in_criterion_order():
    # Criteria are listed out of order: id 7 has order 2, id 5 has order 1, so scores are
    # given as (criterion 5, criterion 7) and criterion 5 breaks ties first.
    # Totals all 7; criterion 5: entry 1 -> 8, entry 3 -> 7, entry 2 -> 6.
    data = RankingInput(
        criteria=[CriterionSpec(id=7, weight=1, order=2), CriterionSpec(id=5, weight=1, order=1)],
        areas=[AreaSpec(id=1, awards=3)],
        entries=[EntrySpec(id=e, area_id=1) for e in (1, 2, 3)],
        sheets=[
            SheetSpec(entry_id=1, juror_id=9, scores=(8, 6)),
            SheetSpec(entry_id=2, juror_id=9, scores=(6, 8)),
            SheetSpec(entry_id=3, juror_id=9, scores=(7, 7)),
        ],
    )

    outcome = compute_ranking(data)

    assert ranks(outcome) == {1: 1, 3: 2, 2: 3}
    assert {r.entry_id: r.flags for r in outcome.results} == {
        1: ("tie_broken_by_criteria",),
        2: ("tie_broken_by_criteria",),
        3: ("tie_broken_by_criteria",),
    }


def test_totals_within_tolerance_are_equal():
    # (0.1 + 0.2) / 2 = 0.15000000000000002 and (0.3 + 0.0) / 2 = 0.15 differ by rounding
    # only: they are equal totals, and criterion 1 (0.3 > 0.1) puts entry 2 first.
    data = RankingInput(
        criteria=[CriterionSpec(1, 1.0, 1), CriterionSpec(2, 1.0, 2)],
        areas=[AreaSpec(1, 1)],
        entries=[EntrySpec(1, 1), EntrySpec(2, 1)],
        sheets=[SheetSpec(1, 9, (0.1, 0.2)), SheetSpec(2, 9, (0.3, 0.0))],
    )

    outcome = compute_ranking(data)

    assert outcome.result_for(1).total > outcome.result_for(2).total
    assert ranks(outcome) == {2: 1, 1: 2}
    assert [r.flags for r in outcome.results] == [("tie_broken_by_criteria",)] * 2


def test_shared_ranks_follow_competition_ranking_and_share_places():
    # Totals 9, 8, 8, 7, 6 -> ranks 1, 2, 2, 4, 5; with 3 awards places 1, 2, 2, -, -.
    data = competition(
        {1: {9: (9,)}, 2: {9: (8,)}, 3: {9: (8,)}, 4: {9: (7,)}, 5: {9: (6,)}}, awards=3
    )

    outcome = compute_ranking(data)

    assert [(r.entry_id, r.rank, r.place) for r in outcome.results] == [
        (1, 1, 1),
        (2, 2, 2),
        (3, 2, 2),
        (4, 4, None),
        (5, 5, None),
    ]
    assert [r.flags for r in outcome.results] == [(), ("shared_rank",), ("shared_rank",), (), ()]
    assert outcome.areas[0].placed_count == 3


def test_shared_rank_at_last_award_places_everyone_tied():
    # Ranks 1, 2, 2, 4 with 2 awards: rank 2 is a place, so both entries at rank 2 get it.
    data = competition({1: {9: (9,)}, 2: {9: (8,)}, 3: {9: (8,)}, 4: {9: (7,)}}, awards=2)

    assert places(compute_ranking(data)) == {1: 1, 2: 2, 3: 2, 4: None}


# --- sheets that do not count ----------------------------------------------------------


def test_insufficient_sheets_are_not_ranked():
    # min_sheets 2: entry 1 (one sheet of 10) is reported but not ranked.
    data = competition(
        {1: {11: (10,)}, 2: {11: (6,), 12: (8,)}, 3: {11: (5,), 12: (5,)}}, min_sheets=2
    )

    outcome = compute_ranking(data)

    results = by_entry(outcome)
    assert [r.entry_id for r in outcome.results] == [2, 3, 1]
    assert ranks(outcome) == {2: 1, 3: 2, 1: None}
    assert places(outcome) == {2: 1, 3: 2, 1: None}
    assert results[1]["flags"] == ("insufficient_reviews",)
    assert results[1]["total"] == 10.0
    assert results[1]["rank_confidence"] is None
    assert outcome.areas[0].ranked_count == 2


def test_recused_sheets_never_count():
    # Juror 13 recused on entry 1 with a 0 that would otherwise pull it below entry 2.
    plain = competition({1: {11: (9,), 12: (9,)}, 2: {11: (8,), 12: (8,)}})
    recused = competition(
        {1: {11: (9,), 12: (9,)}, 2: {11: (8,), 12: (8,)}},
        extra_sheets=(SheetSpec(entry_id=1, juror_id=13, scores=(0,), recused=True),),
    )

    assert compute_ranking(recused) == compute_ranking(plain)
    assert compute_ranking(recused).results[0].sheet_count == 2


def test_recused_mask_in_from_arrays_drops_sheets():
    kwargs = dict(
        criteria=[CriterionSpec(1, 1.0, 0)],
        areas=[AreaSpec(1, 1)],
        entries=[EntrySpec(1, 1), EntrySpec(2, 1)],
    )
    with_recusal = RankingInput.from_arrays(
        **kwargs,
        sheet_entry_ids=np.array([1, 1, 2]),
        sheet_juror_ids=np.array([11, 12, 11]),
        scores=np.array([[9.0], [0.0], [8.0]]),
        recused=np.array([False, True, False]),
    )
    without = RankingInput.from_arrays(
        **kwargs,
        sheet_entry_ids=np.array([1, 2]),
        sheet_juror_ids=np.array([11, 11]),
        scores=np.array([[9.0], [8.0]]),
    )

    assert compute_ranking(with_recusal) == compute_ranking(without)


def test_from_arrays_matches_sheet_specs():
    data = competition({1: {11: (8, 6), 12: (6, 9)}, 2: {11: (9, 3)}}, weights=(2.0, 1.0))
    columnar = RankingInput.from_arrays(
        data.criteria,
        data.areas,
        data.entries,
        sheet_entry_ids=np.array([2, 1, 1]),
        sheet_juror_ids=np.array([11, 12, 11]),
        scores=np.array([[9, 3], [6, 9], [8, 6]]),
    )

    assert compute_ranking(columnar) == compute_ranking(data)
    assert columnar.sheets == data.sheets


def test_area_without_entries_reports_zero_counts():
    data = competition(
        {1: {11: (7,)}},
        areas=(AreaSpec(id=1, awards=1, order=1), AreaSpec(id=2, awards=3, order=0)),
    )

    outcome = compute_ranking(data)

    assert outcome.areas[0] == AreaReport(
        area_id=2,
        entry_count=0,
        ranked_count=0,
        agreement=None,
        agreement_statistic="krippendorff_alpha_interval",
        leniency=(),
        awards=3,
        placed_count=0,
        juror_count=0,
    )
    assert [r.area_id for r in outcome.results] == [1]


def test_results_ordered_by_area_order_then_rank_then_entry():
    # Area 5 (order 0) before area 4 (order 1); entries 8 and 6 tie, then the unranked 9.
    data = competition(
        {1: {11: (5,)}, 2: {11: (6,)}, 6: {11: (7,)}, 8: {11: (7,)}, 9: {}},
        area_of={1: 4, 2: 4, 6: 5, 8: 5, 9: 5},
        areas=(AreaSpec(id=4, awards=1, order=1), AreaSpec(id=5, awards=1, order=0)),
    )

    outcome = compute_ranking(data)

    assert [(r.area_id, r.entry_id, r.rank) for r in outcome.results] == [
        (5, 6, 1),
        (5, 8, 1),
        (5, 9, None),
        (4, 2, 1),
        (4, 1, 2),
    ]


# --- weights and sensitivity -----------------------------------------------------------


def test_weight_change_changes_the_winner():
    # entry 1: (10, 4), entry 2: (6, 9).
    # weights 1, 1: totals 7 and 7.5 -> entry 2 wins.
    # weights 3, 1: totals (30+4)/4 = 8.5 and (18+9)/4 = 6.75 -> entry 1 wins.
    sheets = {1: {11: (10, 4)}, 2: {11: (6, 9)}}

    equal = compute_ranking(competition(sheets, weights=(1.0, 1.0), awards=1))
    heavy_first = compute_ranking(competition(sheets, weights=(3.0, 1.0), awards=1))

    assert places(equal) == {2: 1, 1: None}
    assert places(heavy_first) == {1: 1, 2: None}


def test_sensitivity_report_lists_weight_scenarios_that_move_places():
    # entry 1: criteria (9.5, 0), entry 2: (0, 10); weights 1, 1 -> 4.75 vs 5: entry 2 wins.
    # criterion 1 x1.1: (10.45 + 0) vs 10 (over 2.1)  -> entry 1 wins
    # criterion 1 x0.9: 8.55 vs 10                    -> no change
    # criterion 2 x1.1: 9.5 vs 11                     -> no change
    # criterion 2 x0.9: 9.5 vs 9                      -> entry 1 wins
    # Other methods: medians and trimmed means equal the means; zscore: 4.757 vs 4.994.
    data = competition(
        {1: {11: (9, 0), 12: (10, 0)}, 2: {11: (0, 10), 12: (0, 10)}},
        weights=(1.0, 1.0),
        awards=1,
    )
    swap = (
        PlaceChange(entry_id=2, place_before=1, place_after=None),
        PlaceChange(entry_id=1, place_before=None, place_after=1),
    )

    report = sensitivity_report(data)

    assert report.method == "weighted_mean"
    assert [(s.name, s.changes) for s in report.scenarios] == [
        ("method:median", ()),
        ("method:trimmed_mean", ()),
        ("method:zscore", ()),
        ("weight:1:x1.1", swap),
        ("weight:1:x0.9", ()),
        ("weight:2:x1.1", ()),
        ("weight:2:x0.9", swap),
    ]


def test_sensitivity_report_lists_method_scenarios():
    # The median example: weighted_mean places entry 1 first, median places entry 3.
    data = competition(
        {
            1: {11: (3,), 12: (9,), 13: (4,), 14: (8,), 15: (5,)},
            2: {11: (2,), 12: (4,), 13: (6,), 14: (10,)},
            3: {11: (7,), 12: (7,), 13: (1,)},
        },
        awards=1,
    )

    report = sensitivity_report(data, "weighted_mean")

    assert report.scenario("method:median").changes == (
        PlaceChange(entry_id=1, place_before=1, place_after=None),
        PlaceChange(entry_id=3, place_before=None, place_after=1),
    )


# --- statistics ------------------------------------------------------------------------


def test_agreement_is_one_when_jurors_agree_perfectly():
    data = competition(
        {1: {11: (9,), 12: (9,), 13: (9,)}, 2: {11: (5,), 12: (5,)}, 3: {12: (2,), 13: (2,)}}
    )

    assert compute_ranking(data).areas[0].agreement == pytest.approx(1.0)


def test_agreement_reproduces_krippendorffs_interval_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 observers x 12
    # units with missing values; published interval alpha = 0.849 (exactly 951/1120).
    observers = {
        1: [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        2: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        3: [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        4: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    sheets: dict[int, dict[int, tuple[float, ...]]] = {unit: {} for unit in range(1, 13)}
    for juror, values in observers.items():
        for unit, value in enumerate(values, start=1):
            if value is not None:
                sheets[unit][juror] = (value,)

    outcome = compute_ranking(competition(sheets))

    assert outcome.areas[0].agreement == pytest.approx(951 / 1120)
    assert round(outcome.areas[0].agreement, 3) == 0.849


def test_agreement_is_none_without_pairable_units():
    data = competition({1: {11: (9,)}, 2: {12: (5,)}})

    assert compute_ranking(data).areas[0].agreement is None
    assert krippendorff_alpha_interval(np.array([1, 1]), np.array([4.0, 4.0])) is None


def test_agreement_is_negative_for_systematic_disagreement():
    # Two jurors who rank two entries in opposite orders: values (9, 1) and (1, 9).
    # n = 4; per unit m * SSW / (m - 1) = 2 * 32 / 1 = 64, twice -> 128;
    # SST = 4 * 4^2 = 64; alpha = 1 - (n - 1) * 128 / (n * 64) = 1 - 1.5 = -0.5.
    data = competition({1: {11: (9,), 12: (1,)}, 2: {11: (1,), 12: (9,)}})

    assert compute_ranking(data).areas[0].agreement == pytest.approx(-0.5)


def test_leniency_signs_follow_the_jurors_bias():
    # Juror 11 scores 1 above juror 12 on each entry: against the other juror of the same
    # entry, 11 deviates +1 and 12 -1 on every sheet; juror 13's single sheet has no other
    # sheet to be compared with (0 over 0 sheets).
    data = competition({1: {11: (8,), 12: (7,)}, 2: {11: (5,), 12: (4,)}, 3: {13: (6,)}})

    leniency = compute_ranking(data).areas[0].leniency

    assert leniency == (
        JurorLeniency(juror_id=11, mean_deviation=1.0, sheet_count=2),
        JurorLeniency(juror_id=12, mean_deviation=-1.0, sheet_count=2),
        JurorLeniency(juror_id=13, mean_deviation=0.0, sheet_count=0),
    )


def test_polarised_when_the_sheets_still_span_forty_percent_once_leniency_is_removed():
    # Scale 0..10, every juror scores every entry. Column means 4.67, 7.33, 4.67 around a
    # grand mean of 5.56: juror effects -0.89, +1.78, -0.89. Entry 1, less those effects:
    # 2.89, 8.22, 2.89 (span 5.33 >= 4): polarised. Entries 2 and 3: span 2.67, not.
    data = competition({1: {11: (2,), 12: (10,), 13: (2,)},
                        2: {11: (5,), 12: (5,), 13: (5,)},
                        3: {11: (7,), 12: (7,), 13: (7,)}})

    flags = {r.entry_id: r.flags for r in compute_ranking(data, bootstrap_samples=0).results}

    assert flags == {1: ("polarised",), 2: (), 3: ()}

# --- bootstrap -------------------------------------------------------------------------


def random_competition(seed: int, entries: int = 30, jurors: int = 8) -> RankingInput:
    """Three sheets per entry from a small pool; integer scores around an entry quality."""
    rng = random.Random(seed)
    sheets: dict[int, dict[int, tuple[float, ...]]] = {}
    for entry in range(1, entries + 1):
        quality = rng.uniform(3, 8)
        sheets[entry] = {
            juror: tuple(
                float(min(10, max(0, round(quality + rng.gauss(0, 1.5))))) for _ in range(2)
            )
            for juror in rng.sample(range(100, 100 + jurors), 3)
        }
    return competition(sheets, weights=(2.0, 1.0), awards=3)


def test_bootstrap_is_deterministic_for_a_seed():
    data = random_competition(1)

    first = compute_ranking(data, bootstrap_samples=100, seed=7)
    again = compute_ranking(random_competition(1), bootstrap_samples=100, seed=7)
    other = compute_ranking(data, bootstrap_samples=100, seed=8)

    assert first == again
    assert [r.rank_confidence for r in first.results] != [r.rank_confidence for r in other.results]
    assert [r.rank for r in first.results] == [r.rank for r in other.results]


def test_rank_confidence_is_one_when_every_juror_agrees():
    # Every juror scores every entry alike, so any resample gives the same totals.
    data = competition(
        {e: {j: (score,) for j in (11, 12, 13)} for e, score in ((1, 9), (2, 7), (3, 5))},
        awards=2,
    )

    outcome = compute_ranking(data, bootstrap_samples=50)

    assert [r.rank_confidence for r in outcome.results] == [1.0, 1.0, 1.0]
    assert all("indistinguishable" not in r.flags for r in outcome.results)


def test_indistinguishable_when_jurors_split_on_neighbours():
    # Entry 1: 9, 7, 7 (mean 7.67); entry 2: 7, 8, 7 (mean 7.33); entry 3 far below.
    # Over the 27 equally likely juror resamples entry 2 comes out ahead (ties half) in
    # 1/3 of them, above the 0.25 threshold: both placed entries are indistinguishable.
    data = competition(
        {
            1: {11: (9,), 12: (7,), 13: (7,)},
            2: {11: (7,), 12: (8,), 13: (7,)},
            3: {11: (1,), 12: (1,), 13: (1,)},
        },
        awards=2,
    )

    outcome = compute_ranking(data, bootstrap_samples=200)

    flags = {r.entry_id: r.flags for r in outcome.results}
    confidence = {r.entry_id: r.rank_confidence for r in outcome.results}
    assert ranks(outcome) == {1: 1, 2: 2, 3: 3}
    assert flags == {1: ("indistinguishable",), 2: ("indistinguishable",), 3: ()}
    assert confidence[3] == 1.0
    # A tied resample leaves both at rank 1: entry 1 keeps its place, entry 2 loses it.
    assert 0.5 < confidence[2] < confidence[1] < 0.9


def test_clear_winner_is_not_indistinguishable():
    # Entry 1 beats entry 2 on every juror's sheet: no resample can swap them.
    data = competition(
        {1: {11: (9,), 12: (8,), 13: (9,)}, 2: {11: (6,), 12: (7,), 13: (5,)}}, awards=1
    )

    outcome = compute_ranking(data, bootstrap_samples=100)

    assert [(r.entry_id, r.rank_confidence, r.flags) for r in outcome.results] == [
        (1, 1.0, ()),
        (2, 1.0, ()),
    ]


def test_no_bootstrap_leaves_confidence_empty():
    outcome = compute_ranking(random_competition(2), bootstrap_samples=0)

    assert {r.rank_confidence for r in outcome.results} == {None}


@pytest.mark.parametrize("method", METHODS)
def test_outcome_is_json_serialisable(method):
    outcome = compute_ranking(random_competition(3), method, bootstrap_samples=30)

    text = json.dumps(dataclasses.asdict(outcome), allow_nan=False)

    assert json.loads(text)["method"] == method


# --- fingerprint ---------------------------------------------------------------------


def test_fingerprint_is_stable_under_input_reordering():
    data = random_competition(4)
    shuffled = RankingInput(
        criteria=list(reversed(data.criteria)),
        areas=data.areas,
        entries=random.Random(1).sample(data.entries, len(data.entries)),
        sheets=random.Random(2).sample(data.sheets, len(data.sheets)),
    )

    assert input_fingerprint(shuffled, "weighted_mean") == input_fingerprint(data, "weighted_mean")
    assert compute_ranking(shuffled).fingerprint == compute_ranking(data).fingerprint


def test_fingerprint_changes_with_one_score():
    data = random_competition(5)
    sheets = list(data.sheets)
    first = sheets[0]
    changed_score = (first.scores[0] + 1 if first.scores[0] < 10 else 9.0,) + first.scores[1:]
    sheets[0] = dataclasses.replace(first, scores=changed_score)
    changed = RankingInput(data.criteria, data.areas, data.entries, sheets)

    assert input_fingerprint(changed, "weighted_mean") != input_fingerprint(data, "weighted_mean")


def test_fingerprint_covers_method_weights_awards_and_minimum():
    data = random_competition(6)
    base = input_fingerprint(data, "weighted_mean")
    reweighted = RankingInput(
        [dataclasses.replace(data.criteria[0], weight=3.0), data.criteria[1]],
        data.areas,
        data.entries,
        data.sheets,
    )
    more_awards = RankingInput(
        data.criteria, [dataclasses.replace(data.areas[0], awards=4)], data.entries, data.sheets
    )
    stricter = RankingInput(data.criteria, data.areas, data.entries, data.sheets, min_sheets=2)

    fingerprints = {
        base,
        input_fingerprint(data, "median"),
        input_fingerprint(reweighted, "weighted_mean"),
        input_fingerprint(more_awards, "weighted_mean"),
        input_fingerprint(stricter, "weighted_mean"),
    }

    assert len(fingerprints) == 5
    assert len(base) == 64


# --- errors --------------------------------------------------------------------------


def test_unknown_method_is_refused():
    data = competition({1: {11: (5,)}})

    with pytest.raises(ValueError, match="unknown ranking method 'borda'"):
        compute_ranking(data, "borda")
    with pytest.raises(ValueError, match="unknown ranking method"):
        sensitivity_report(data, "borda")
    with pytest.raises(ValueError, match="unknown ranking method"):
        input_fingerprint(data, "borda")


def test_score_above_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside the scale 0..10"):
        competition({1: {11: (11,)}})


def test_score_below_the_scale_is_refused_in_from_arrays():
    with pytest.raises(ValueError, match="outside the scale"):
        RankingInput.from_arrays(
            [CriterionSpec(1, 1.0, 0)],
            [AreaSpec(1, 1)],
            [EntrySpec(1, 1)],
            sheet_entry_ids=np.array([1]),
            sheet_juror_ids=np.array([11]),
            scores=np.array([[-1.0]]),
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sheets": [SheetSpec(2, 11, (5,))]}, "not among the entries"),
        ({"sheets": [SheetSpec(1, 11, (5,)), SheetSpec(1, 11, (6,))]}, "more than one"),
        ({"sheets": [SheetSpec(1, 11, (5, 5))]}, "expected 1"),
        ({"criteria": [CriterionSpec(1, 0.0, 0)]}, "weight must be > 0"),
        ({"criteria": []}, "at least one criterion"),
        ({"entries": [EntrySpec(1, 99)]}, "unknown area"),
        ({"min_sheets": 0}, "min_sheets"),
        ({"scale_min": 10}, "below scale_max"),
        ({"sheets": [SheetSpec(1, 11, (float("nan"),))]}, "outside the scale"),
    ],
)
def test_invalid_input_is_refused(change, message):
    arguments = {
        "criteria": [CriterionSpec(1, 1.0, 0)],
        "areas": [AreaSpec(1, 1)],
        "entries": [EntrySpec(1, 1)],
        "sheets": [SheetSpec(1, 11, (5,))],
    }
    arguments.update(change)

    with pytest.raises(ValueError, match=message):
        RankingInput(**arguments)


def test_negative_bootstrap_samples_are_refused():
    with pytest.raises(ValueError, match="bootstrap_samples"):
        compute_ranking(competition({1: {11: (5,)}}), bootstrap_samples=-1)
