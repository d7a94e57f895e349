"""input_fingerprint: a SHA-256 of a run's canonical inputs, independent of input order."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from scoring.engine.constants import check_method
from scoring.engine.specs import RankingInput

FINGERPRINT_VERSION = 1


def canonical_header(data: RankingInput, method: str) -> bytes:
    """JSON of everything but the scores: method, criteria by (order, id) with weights,
    areas by (order, id) with awards, entries by id with their area, scale, min_sheets and
    the number of counted sheets."""
    header = {
        "version": FINGERPRINT_VERSION,
        "method": method,
        "criteria": [[c.id, float(c.weight), c.order] for c in data.criteria],
        "areas": [[a.id, a.order, a.awards] for a in data.areas],
        "entries": [[e.id, e.area_id] for e in data.entries],
        "scale": [data.scale_min, data.scale_max],
        "min_sheets": data.min_sheets,
        "sheets": data.sheet_count,
    }
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def input_fingerprint(data: RankingInput, method: str) -> str:
    """SHA-256 hex of the header above, then the counted sheets sorted by (entry, juror) as
    little-endian int64 entry ids, int64 juror ids and float64 scores in criterion order.

    RankingInput already holds the sheets in that canonical order without recusals, so
    shuffled inputs give the same fingerprint and any changed score gives another one.
    The bootstrap seed and sample count are run parameters, stored beside it.
    """
    check_method(method)
    digest = hashlib.sha256(canonical_header(data, method))
    digest.update(b"\x00")
    digest.update(np.ascontiguousarray(data.sheet_entry_ids, dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(data.sheet_juror_ids, dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(data.scores, dtype="<f8").tobytes())
    return digest.hexdigest()
