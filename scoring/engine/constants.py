"""Names and thresholds of the ranking engine (the README explains each choice)."""

from __future__ import annotations

WEIGHTED_MEAN = "weighted_mean"
MEDIAN = "median"
TRIMMED_MEAN = "trimmed_mean"
ZSCORE = "zscore"
METHODS: tuple[str, ...] = (WEIGHTED_MEAN, MEDIAN, TRIMMED_MEAN, ZSCORE)

# Totals and criterion scores closer than this are equal (design of record, rule 5).
TIE_TOLERANCE = 1e-9
# trimmed_mean drops the highest and the lowest sheet only from this many sheets on.
TRIM_MIN_SHEETS = 5
# An entry is polarised when its sheet totals span at least this share of the scale width.
POLARISED_RANGE_SHARE = 0.4
# Rounds of backfitting of the jurors' effects that `polarised` takes out of each sheet
# (statistics.juror_effects); each round halves the remaining error or better on the
# designs a jury makes, and 30 rounds cost a few bincounts per area.
JUROR_EFFECT_ROUNDS = 30
# Bootstrap resamples of a run: at most DEFAULT_BOOTSTRAP_SAMPLES per area, unless told
# otherwise. A first pass of FIRST_PASS_SAMPLES estimates each share; an area draws more
# only while a share it reports needs them for a standard error of CONFIDENCE_ERROR (a
# share near 0.5 needs 0.25 / 0.008^2 = 3,907), so every rank confidence and swap share is
# stable to +-0.02 (two and a half standard errors: 99 times in 100) from one seed to
# another. 200 resamples alone moved a confidence near 0.5 by about +-0.07.
DEFAULT_BOOTSTRAP_SAMPLES = 4000
FIRST_PASS_SAMPLES = 200
# Later passes draw at most this many at once (about 30 MB per array at 3,300 entries).
PASS_SAMPLES = 1000
CONFIDENCE_ERROR = 0.008
# A placed entry is indistinguishable from a neighbour when the neighbour comes out ahead
# (ties count half) in at least this share of the bootstrap resamples.
INDISTINGUISHABLE_SWAP_SHARE = 0.25

AGREEMENT_STATISTIC = "krippendorff_alpha_interval"

FLAG_INDISTINGUISHABLE = "indistinguishable"
FLAG_INSUFFICIENT_REVIEWS = "insufficient_reviews"
FLAG_POLARISED = "polarised"
FLAG_SHARED_RANK = "shared_rank"
FLAG_TIE_BROKEN_BY_CRITERIA = "tie_broken_by_criteria"
FLAGS: tuple[str, ...] = (
    FLAG_INDISTINGUISHABLE,
    FLAG_INSUFFICIENT_REVIEWS,
    FLAG_POLARISED,
    FLAG_SHARED_RANK,
    FLAG_TIE_BROKEN_BY_CRITERIA,
)


def check_method(method: str) -> str:
    """Refuse an unknown method with the list of known ones."""
    if method not in METHODS:
        raise ValueError(f"unknown ranking method {method!r}; expected one of {', '.join(METHODS)}")
    return method
