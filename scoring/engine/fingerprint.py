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
        "entries": [list(pair) for pair in zip(
            data.entry_ids.tolist(), data.entry_area_ids.tolist(), strict=True)],
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


RECORD_FINGERPRINT_VERSION = 2


def canonical_snapshot(snapshot: dict) -> bytes:
    """The snapshot of a run as canonical JSON: keys sorted, no spaces, ASCII only. The
    published verification script (tools/verify_results.py) writes it the same way."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("ascii")


def record_fingerprint(snapshot: dict, sheet_entry_ids: np.ndarray,
                       sheet_juror_codes: np.ndarray, scores: np.ndarray) -> str:
    """SHA-256 hex of what a run publishes, so that anyone can recompute it from the
    downloads: the canonical JSON of the run's snapshot (set-up, method, parameters, the
    entries left out), a zero byte, then the counted sheets sorted by (entry id, juror
    code) as little-endian int64 entry ids, int64 juror codes (the hexadecimal code read as
    a number) and float64 scores in criterion order (-0.0 normalised to 0.0).

    Juror codes, not user ids: the published sheets name jurors only by their code."""
    entries = np.asarray(sheet_entry_ids, dtype=np.int64)
    codes = np.asarray(sheet_juror_codes, dtype=np.int64)
    order = np.lexsort((codes, entries))
    values = np.asarray(scores, dtype=np.float64)[order] + 0.0  # -0.0 -> 0.0
    digest = hashlib.sha256(canonical_snapshot(snapshot))
    digest.update(b"\x00")
    digest.update(np.ascontiguousarray(entries[order], dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(codes[order], dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(values, dtype="<f8").tobytes())
    return digest.hexdigest()
