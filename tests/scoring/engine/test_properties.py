"""Properties of the ranking engine, checked with hypothesis on small random competitions.

Besides the three invariants of the design (input order, monotonicity, equal inputs share
a rank), the vectorised engine is compared with a naive per-sheet reference written from
the rules alone (pure Python loops, pairwise rank definition), bootstrap included.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import (
    INDISTINGUISHABLE_SWAP_SHARE,
    METHODS,
    POLARISED_RANGE_SHARE,
    TIE_TOLERANCE,
    AreaSpec,
    CriterionSpec,
    EntrySpec,
    RankingInput,
    SheetSpec,
    compute_ranking,
)
from scoring.engine.bootstrap import area_rng, draw_multiplicities
from scoring.engine.constants import JUROR_EFFECT_ROUNDS

pytestmark = pytest.mark.unit

# No example database: the suite must not write files into the project.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SAMPLES = 12


@st.composite
def competitions(draw: st.DrawFn) -> RankingInput:
    """1-3 criteria, 1-2 areas, up to 6 entries per area, up to 5 jurors, integer scores.

    A narrow score range is drawn half of the time so that ties are common.
    """
    criteria_count = draw(st.integers(1, 3))
    criteria = [
        CriterionSpec(id=c + 1, weight=draw(st.integers(1, 4)), order=c)
        for c in range(criteria_count)
    ]
    areas = [
        AreaSpec(id=10 + a, awards=draw(st.integers(0, 3)), order=draw(st.integers(0, 2)))
        for a in range(draw(st.integers(1, 2)))
    ]
    top = draw(st.sampled_from((2, 10)))
    jurors = list(range(100, 100 + draw(st.integers(1, 5))))
    entries: list[EntrySpec] = []
    sheets: list[SheetSpec] = []
    for area in areas:
        for _ in range(draw(st.integers(0, 6))):
            entry = EntrySpec(id=len(entries) + 1, area_id=area.id)
            entries.append(entry)
            for juror in draw(st.lists(st.sampled_from(jurors), unique=True)):
                scores = draw(
                    st.lists(st.integers(0, top), min_size=criteria_count, max_size=criteria_count)
                )
                sheets.append(SheetSpec(entry.id, juror, tuple(scores)))
    return RankingInput(criteria, areas, entries, sheets, min_sheets=draw(st.integers(1, 2)))


# --- invariants of the design ----------------------------------------------------------


@SETTINGS
@given(data=competitions(), method=st.sampled_from(METHODS), shuffle=st.randoms())
def test_outcome_independent_of_input_order(data, method, shuffle):
    shuffled = RankingInput(
        criteria=shuffle.sample(data.criteria, len(data.criteria)),
        areas=shuffle.sample(data.areas, len(data.areas)),
        entries=shuffle.sample(data.entries, len(data.entries)),
        sheets=shuffle.sample(data.sheets, len(data.sheets)),
        min_sheets=data.min_sheets,
    )

    assert compute_ranking(shuffled, method, bootstrap_samples=SAMPLES) == compute_ranking(
        data, method, bootstrap_samples=SAMPLES
    )


@SETTINGS
@given(data=competitions(), pick=st.integers(0, 10**6), raise_by=st.integers(1, 10))
def test_raising_a_score_never_worsens_the_rank(data, pick, raise_by):
    if not data.sheets:
        return
    sheets = list(data.sheets)
    index = pick % len(sheets)
    criterion = pick % len(data.criteria)
    sheet = sheets[index]
    scores = list(sheet.scores)
    scores[criterion] = min(data.scale_max, scores[criterion] + raise_by)
    sheets[index] = dataclasses.replace(sheet, scores=tuple(scores))
    raised = RankingInput(
        data.criteria, data.areas, data.entries, sheets, min_sheets=data.min_sheets
    )

    before = compute_ranking(data, bootstrap_samples=0).result_for(sheet.entry_id).rank
    after = compute_ranking(raised, bootstrap_samples=0).result_for(sheet.entry_id).rank

    assert (before is None) == (after is None)
    if before is not None:
        assert after <= before


@SETTINGS
@given(data=competitions(), pick=st.integers(0, 10**6), method=st.sampled_from(METHODS))
def test_identical_sheets_share_a_rank(data, pick, method):
    if not data.entries:
        return
    original = data.entries[pick % len(data.entries)]
    twin = EntrySpec(id=10_000, area_id=original.area_id)
    twin_sheets = [
        dataclasses.replace(s, entry_id=twin.id) for s in data.sheets if s.entry_id == original.id
    ]
    doubled = RankingInput(
        data.criteria,
        data.areas,
        [*data.entries, twin],
        [*data.sheets, *twin_sheets],
        min_sheets=data.min_sheets,
    )

    outcome = compute_ranking(doubled, method, bootstrap_samples=0)

    first, second = outcome.result_for(original.id), outcome.result_for(twin.id)
    assert first.rank == second.rank
    assert first.place == second.place
    if first.rank is not None:
        assert "shared_rank" in first.flags


# --- the engine against a naive reference --------------------------------------------


def _criterion_scores(
    method: str,
    expanded: list[tuple[int, tuple[float, ...]]],
    z_of: dict[tuple[int, int], tuple[float, ...]],
    area_stats: tuple[list[float], list[float]],
    scale: tuple[float, float],
    criteria: int,
) -> list[float]:
    """One entry's criterion scores from its (juror, scores) list, repeats included."""
    columns = [[scores[c] for _, scores in expanded] for c in range(criteria)]
    if method == "weighted_mean":
        return [sum(col) / len(col) for col in columns]
    if method == "median":
        return [statistics.median(col) for col in columns]
    if method == "trimmed_mean":
        return [
            sum(sorted(col)[1:-1]) / (len(col) - 2) if len(col) >= 5 else sum(col) / len(col)
            for col in columns
        ]
    mean, spread = area_stats
    return [
        statistics.fmean(mean[c] + z_of[juror, c] * spread[c] for juror, _ in expanded)
        for c in range(criteria)
    ]


def _shown(value: float, data: RankingInput) -> float:
    """A figure as the results show it: on the scale (only zscore can leave it)."""
    return min(data.scale_max, max(data.scale_min, value))


def reference_juror_effects(
    sheets: list[tuple[int, int, float]], rounds: int = JUROR_EFFECT_ROUNDS
) -> dict[int, float]:
    """Juror effects of the additive model total = entry level + juror effect, by
    backfitting: (entry, juror, total) per sheet of one area; effects average 0 per sheet."""
    effect: dict[int, float] = defaultdict(float)
    if not sheets:
        return effect
    entries = sorted({e for e, _, _ in sheets})
    jurors = sorted({j for _, j, _ in sheets})
    for _ in range(rounds):
        level = {e: statistics.fmean(t - effect[j] for e2, j, t in sheets if e2 == e)
                 for e in entries}
        effect = defaultdict(float, {
            j: statistics.fmean(t - level[e] for e, j2, t in sheets if j2 == j) for j in jurors})
        centre = statistics.fmean(effect[j] for _, j, _ in sheets)
        effect = defaultdict(float, {j: v - centre for j, v in effect.items()})
    return effect


def _better(a: list[float], b: list[float]) -> int:
    """+1 if key a ranks ahead of key b, -1 if behind, 0 if equal (tolerance per term)."""
    for x, y in zip(a, b, strict=True):
        if abs(x - y) > TIE_TOLERANCE:
            return 1 if x > y else -1
    return 0


def reference_area(
    data: RankingInput, method: str, area: AreaSpec, multiplicity: dict[int, int] | None
) -> dict[int, tuple[list[float], float, int | None, int | None]]:
    """entry -> (criterion scores, total, rank, place) of one area, from the rules."""
    weights = [c.weight for c in data.criteria]
    criteria = len(weights)
    ids = [e.id for e in data.entries if e.area_id == area.id]
    area_sheets = [s for s in data.sheets if s.entry_id in ids]
    count = defaultdict(int)
    for s in area_sheets:
        count[s.entry_id] += 1

    def times(juror: int) -> int:
        return 1 if multiplicity is None else multiplicity[juror]

    z_of = _reference_z_scores(area_sheets, criteria)
    drawn = [s for s in area_sheets for _ in range(times(s.juror_id))]
    area_stats = (
        [statistics.fmean(s.scores[c] for s in drawn) for c in range(criteria)] if drawn else [],
        [statistics.pstdev([s.scores[c] for s in drawn]) for c in range(criteria)] if drawn else [],
    )

    scored = {}
    for entry in ids:
        expanded = [((s.entry_id, s.juror_id), s.scores) for s in drawn if s.entry_id == entry]
        if not expanded:
            continue
        z_entry = {key: value for key, value in z_of.items() if key[0][0] == entry}
        crit = _criterion_scores(
            method,
            expanded,
            z_entry,
            area_stats,
            (data.scale_min, data.scale_max),
            criteria,
        )
        total = sum(w * x for w, x in zip(weights, crit, strict=True)) / sum(weights)
        scored[entry] = (crit, total)
    eligible = [e for e in scored if count[e] >= data.min_sheets]
    return _reference_ranks(scored, eligible, area.awards)


def _reference_z_scores(area_sheets: list, criteria: int) -> dict:
    """((entry, juror), criterion) -> the score standardised over the juror's own sheets
    of the area (0 with fewer than two sheets or no spread)."""
    by_juror = defaultdict(list)
    for s in area_sheets:
        by_juror[s.juror_id].append(s)
    z_of = {}
    for juror, own in by_juror.items():
        for c in range(criteria):
            values = [s.scores[c] for s in own]
            mean, spread = statistics.fmean(values), statistics.pstdev(values)
            usable = len(own) >= 2 and spread > TIE_TOLERANCE
            for s in own:
                z_of[(s.entry_id, juror), c] = (s.scores[c] - mean) / spread if usable else 0.0
    return z_of


def _reference_ranks(scored: dict, eligible: list[int], awards: int) -> dict:
    """entry -> (criterion scores, total, rank, place): the rank counts the eligible entries
    ahead (total, then criteria in order); places go to the first `awards` ranks."""
    out = {}
    for entry, (crit, total) in scored.items():
        rank = place = None
        if entry in eligible:
            key = [total, *crit]
            rank = 1 + sum(
                _better([scored[o][1], *scored[o][0]], key) > 0 for o in eligible if o != entry
            )
            place = rank if rank <= awards else None
        out[entry] = (crit, total, rank, place)
    return out


def reference_confidence(
    data: RankingInput, method: str, area: AreaSpec, main: dict, samples: int, seed: int
) -> tuple[dict[int, float], set[int]]:
    """Share of resamples keeping each ranked entry's place, and indistinguishable entries.

    The juror draws come from the engine's own seeded generator so that both replay the
    same resamples; test_juror_draws_resample_the_whole_jury checks the draws themselves.
    """
    ids = {e.id for e in data.entries if e.area_id == area.id}
    jurors = sorted({s.juror_id for s in data.sheets if s.entry_id in ids})
    ranked = {e: v for e, v in main.items() if v[2] is not None}
    if not jurors or not ranked:
        return {}, set()
    draws = draw_multiplicities(len(jurors), samples, area_rng(seed, area.id))
    kept = defaultdict(int)
    keys_per_sample = []
    for b in range(samples):
        if area.awards == 0:
            for entry in ranked:
                kept[entry] += 1
            continue
        multiplicity = {j: int(draws[b, k]) for k, j in enumerate(jurors)}
        sample = reference_area(data, method, area, multiplicity)
        for entry, (_, _, _, place) in ranked.items():
            sample_place = sample[entry][3] if entry in sample else None
            kept[entry] += sample_place == place
        keys_per_sample.append({e: [v[1], *v[0]] for e, v in sample.items()})
    confidence = {entry: kept[entry] / samples for entry in ranked}
    return confidence, _reference_indistinguishable(ranked, keys_per_sample, area.awards)


def _reference_indistinguishable(ranked: dict, keys_per_sample: list[dict],
                                 awards: int) -> set[int]:
    """Entries of neighbouring ranks (down to the last award) that swap order in enough
    resamples (ties count half)."""
    levels = sorted({v[2] for v in ranked.values()})
    close = set()
    for above, below in zip(levels, levels[1:], strict=False):
        if above > awards:
            break
        for a in (e for e, v in ranked.items() if v[2] == above):
            for b in (e for e, v in ranked.items() if v[2] == below):
                votes = [
                    _better(keys[b], keys[a]) for keys in keys_per_sample if a in keys and b in keys
                ]
                share = (votes.count(1) + 0.5 * votes.count(0)) / len(votes) if votes else 0.0
                if share >= INDISTINGUISHABLE_SWAP_SHARE:
                    close |= {a, b}
    return close


def reference_alpha(data: RankingInput, area: AreaSpec) -> float | None:
    """Krippendorff's alpha (interval) by explicit pairs, on sheet totals."""
    weights = [c.weight for c in data.criteria]
    units = defaultdict(list)
    for s in data.sheets:
        if any(e.id == s.entry_id and e.area_id == area.id for e in data.entries):
            total = sum(w * x for w, x in zip(weights, s.scores, strict=True)) / sum(weights)
            units[s.entry_id].append(total)
    pairable = [u for u in units.values() if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    if n < 2:
        return None
    observed = (
        sum(
            sum((x - y) ** 2 for i, x in enumerate(u) for j, y in enumerate(u) if i != j)
            / (len(u) - 1)
            for u in pairable
        )
        / n
    )
    expected = sum((x - y) ** 2 for x in values for y in values) / (n * (n - 1))
    if expected <= 2 * TIE_TOLERANCE**2:
        return None
    return 1 - observed / expected


@settings(SETTINGS, max_examples=80)
@given(data=competitions(), method=st.sampled_from(METHODS), seed=st.integers(0, 2**32))
def test_engine_matches_naive_reference(data, method, seed):
    outcome = compute_ranking(data, method, bootstrap_samples=SAMPLES, seed=seed)
    weights = [c.weight for c in data.criteria]

    for area in data.areas:
        main = reference_area(data, method, area, None)
        confidence, close = reference_confidence(data, method, area, main, SAMPLES, seed)
        report = outcome.area(area.id)
        expected_alpha = reference_alpha(data, area)
        if expected_alpha is None:
            assert report.agreement is None
        else:
            assert report.agreement == pytest.approx(expected_alpha, rel=1e-9, abs=1e-9)
        assert report.ranked_count == sum(v[2] is not None for v in main.values())

        def total_of(sheet) -> float:
            return sum(w * x for w, x in zip(weights, sheet.scores, strict=True)) / sum(weights)

        in_area = {e.id for e in data.entries if e.area_id == area.id}
        effects = reference_juror_effects(
            [(s.entry_id, s.juror_id, total_of(s)) for s in data.sheets if s.entry_id in in_area])
        for entry in (e for e in data.entries if e.area_id == area.id):
            result = outcome.result_for(entry.id)
            sheets = [s for s in data.sheets if s.entry_id == entry.id]
            totals = [total_of(s) for s in sheets]
            adjusted = [total_of(s) - effects[s.juror_id] for s in sheets]
            assert result.sheet_count == len(sheets)
            if entry.id not in main:
                assert (result.total, result.rank, result.criterion_scores) == (None, None, None)
                continue
            crit, total, rank, place = main[entry.id]
            assert result.criterion_scores == pytest.approx(
                tuple(_shown(x, data) for x in crit), abs=1e-9)
            assert result.total == pytest.approx(_shown(total, data), abs=1e-9)
            assert (result.rank, result.place) == (rank, place)
            assert result.spread == pytest.approx(statistics.pstdev(totals), abs=1e-9)
            assert (result.sheet_total_min, result.sheet_total_max) == pytest.approx(
                (min(totals), max(totals))
            )
            span = max(adjusted) - min(adjusted)
            threshold = POLARISED_RANGE_SHARE * (data.scale_max - data.scale_min) - TIE_TOLERANCE
            if len(totals) < 2:
                assert "polarised" not in result.flags
            elif abs(span - threshold) > 1e-6:  # not on the edge, where rounding decides
                assert ("polarised" in result.flags) == (span >= threshold)
            assert ("insufficient_reviews" in result.flags) == (len(sheets) < data.min_sheets)
            if rank is None:
                assert result.rank_confidence is None
            else:
                assert result.rank_confidence == confidence[entry.id]
                assert ("indistinguishable" in result.flags) == (entry.id in close)


@SETTINGS
@given(jurors=st.integers(1, 40), samples=st.integers(1, 50), seed=st.integers(0, 2**32))
def test_juror_draws_resample_the_whole_jury(jurors, samples, seed):
    draws = draw_multiplicities(jurors, samples, area_rng(seed, 3))

    assert draws.shape == (samples, jurors + 1)
    assert (draws.sum(axis=1) == jurors).all()  # as many draws as the area has jurors
    assert (draws[:, -1] == 0).all()  # the pad column never counts
    assert (draws == draw_multiplicities(jurors, samples, area_rng(seed, 3))).all()


@SETTINGS
@given(data=competitions())
def test_leniency_deviations_balance_per_entry(data):
    # Deviations from each entry's own mean sum to zero over the entry's sheets, so the
    # sheet-weighted leniencies of an area sum to zero.
    outcome = compute_ranking(data, bootstrap_samples=0)

    for report in outcome.areas:
        weighted = sum(j.mean_deviation * j.sheet_count for j in report.leniency)
        assert math.isclose(weighted, 0.0, abs_tol=1e-9)


def _brute_force_ranks(group, total, criteria, tolerance=1e-9):
    """Rule 5 by hand: an item's rank is 1 + the number of items of its group that beat it
    (higher total, or equal total and a better first differing criterion)."""
    def beats(a, b):
        for x, y in [(total[a], total[b])] + [(criteria[a][c], criteria[b][c])
                                              for c in range(len(criteria[a]))]:
            if x - y > tolerance:
                return True
            if y - x > tolerance:
                return False
        return False

    return [1 + sum(1 for j in range(len(total)) if group[j] == group[i] and beats(j, i))
            for i in range(len(total))]


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4),
                          st.lists(st.integers(0, 3), min_size=3, max_size=3)),
                min_size=1, max_size=40))
def test_competition_ranks_match_the_rule_by_hand_with_many_ties(items):
    import numpy as np

    from scoring.engine.ranking import competition_ranks

    group = np.array([g for g, _t, _c in items])
    total = np.array([float(t) for _g, t, _c in items])
    criteria = np.array([[float(v) for v in c] for _g, _t, c in items])
    ranks = competition_ranks(group, total, criteria)
    assert ranks.rank.tolist() == _brute_force_ranks(group, total, criteria.tolist())
