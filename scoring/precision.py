"""How precisely a ranking's figures are shown and exported: the one home of the precision.

The engine keeps full floating-point values (ranks and ties use them unrounded); every
page, export and API endpoint rounds what it shows to these places, so a visitor never
reads `8.299999999999999` and the open-data schema can state the precision.
"""

from __future__ import annotations

SCORE_DECIMALS = 2
"""Criterion scores, totals and spreads, on the edition's scale."""

SHARE_DECIMALS = 3
"""Rank confidence (a share of resamples) and jury agreement (a coefficient up to 1)."""


def round_score(value: float | None) -> float | None:
    return None if value is None else round(float(value), SCORE_DECIMALS)


def round_share(value: float | None) -> float | None:
    return None if value is None else round(float(value), SHARE_DECIMALS)
