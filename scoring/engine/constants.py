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
