"""Anonymous juror codes of a ranking run's published sheets.

A code is the first 12 hexadecimal digits of HMAC-SHA256(run's random salt, juror's id):
the same juror has one code across the areas of a run (so the sheets can be checked per
juror), unrelated codes in two runs, and a code says nothing about who they are without
the salt, which is never published. 48 bits: two jurors of one run share a code with a
chance below one in ten billion even with a thousand jurors; the run refuses that case.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

CODE_DIGITS = 12


def juror_code(salt: str, juror_id: int) -> str:
    return hmac.new(salt.encode("ascii"), str(int(juror_id)).encode("ascii"),
                    hashlib.sha256).hexdigest()[:CODE_DIGITS]


def juror_code_numbers(salt: str, juror_ids: np.ndarray) -> np.ndarray:
    """Per sheet, its juror's code read as a number (what the fingerprint hashes): each
    distinct juror is coded once."""
    ids = np.asarray(juror_ids, dtype=np.int64)
    distinct, inverse = np.unique(ids, return_inverse=True)
    numbers = np.array([int(juror_code(salt, juror), 16) for juror in distinct.tolist()],
                       dtype=np.int64)
    if len(np.unique(numbers)) != len(numbers):
        raise ValueError("two jurors of the run have the same anonymous code: run it again")
    return numbers[inverse]
