"""Pure-Python (numpy) ranking engine of the competition: data in, results out.

No Django here. The Django side builds a RankingInput (ideally with
RankingInput.from_arrays from one SQL query), calls compute_ranking and stores the
EntryResult rows; README.md in this folder explains the methods and statistics.
"""

from scoring.engine.constants import (
    AGREEMENT_STATISTIC,
    FLAGS,
    INDISTINGUISHABLE_SWAP_SHARE,
    METHODS,
    POLARISED_RANGE_SHARE,
    TIE_TOLERANCE,
    TRIM_MIN_SHEETS,
)
from scoring.engine.core import compute_ranking, compute_ranking_columns
from scoring.engine.fingerprint import (
    RECORD_FINGERPRINT_VERSION,
    canonical_snapshot,
    input_fingerprint,
    record_fingerprint,
)
from scoring.engine.results import (
    AreaReport,
    EntryResult,
    JurorLeniency,
    PlaceChange,
    RankingColumns,
    RankingOutcome,
    ResultColumns,
    Scenario,
    SensitivityReport,
)
from scoring.engine.sensitivity import sensitivity_report
from scoring.engine.specs import AreaSpec, CriterionSpec, EntrySpec, RankingInput, SheetSpec
from scoring.engine.statistics import krippendorff_alpha_interval

__all__ = [
    "AGREEMENT_STATISTIC",
    "FLAGS",
    "INDISTINGUISHABLE_SWAP_SHARE",
    "METHODS",
    "POLARISED_RANGE_SHARE",
    "RECORD_FINGERPRINT_VERSION",
    "TIE_TOLERANCE",
    "TRIM_MIN_SHEETS",
    "AreaReport",
    "AreaSpec",
    "CriterionSpec",
    "EntryResult",
    "EntrySpec",
    "JurorLeniency",
    "PlaceChange",
    "RankingColumns",
    "RankingInput",
    "RankingOutcome",
    "ResultColumns",
    "Scenario",
    "SensitivityReport",
    "SheetSpec",
    "canonical_snapshot",
    "compute_ranking",
    "compute_ranking_columns",
    "input_fingerprint",
    "krippendorff_alpha_interval",
    "record_fingerprint",
    "sensitivity_report",
]
