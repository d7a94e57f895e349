"""Timings and peak memory of the ranking engine alone (no Django, no database).

Data shape of the performance target: 10,000 entries in 3 thematic areas, 5 sheets per
entry from a pool of 60 jurors, 4 weighted criteria (200,000 scores), integer scale 0..10,
generated with a seeded RNG. Run from the project root:

    python bench/engine.py [--entries 10000] [--jurors 60] [--sheets 5] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.engine import (  # noqa: E402 - needs the path above
    METHODS,
    AreaSpec,
    CriterionSpec,
    EntrySpec,
    RankingInput,
    compute_ranking,
    sensitivity_report,
)
from scoring.engine.constants import DEFAULT_BOOTSTRAP_SAMPLES  # noqa: E402

AREAS = 3
JURORS = 60
SHEETS_PER_ENTRY = 5
WEIGHTS = (3.0, 2.0, 2.0, 1.0)
AWARDS = 3


def generate(
    entries: int, jurors: int = JURORS, sheets: int = SHEETS_PER_ENTRY, seed: int = 2016
) -> dict[str, Any]:
    """Seeded competition: entry quality + juror leniency + noise, rounded to 0..10."""
    rng = np.random.default_rng(seed)
    criteria = [CriterionSpec(id=100 + c, weight=w, order=c) for c, w in enumerate(WEIGHTS)]
    areas = [AreaSpec(id=10 + a, awards=AWARDS, order=a) for a in range(AREAS)]
    entry_specs = [EntrySpec(id=1 + e, area_id=10 + e % AREAS) for e in range(entries)]
    # Each entry gets `sheets` distinct jurors from the pool.
    assigned = np.argsort(rng.random((entries, jurors)), axis=1)[:, :sheets]
    quality = rng.normal(6.0, 1.5, size=(entries, 1, 1))
    leniency = rng.normal(0.0, 0.7, size=jurors)[assigned][..., None]
    noise = rng.normal(0.0, 1.2, size=(entries, sheets, len(WEIGHTS)))
    scores = np.clip(np.rint(quality + leniency + noise), 0, 10)
    return {
        "criteria": criteria,
        "areas": areas,
        "entries": entry_specs,
        "sheet_entry_ids": np.repeat(np.arange(1, entries + 1), sheets),
        "sheet_juror_ids": (assigned + 1000).ravel(),
        "scores": scores.reshape(-1, len(WEIGHTS)),
    }


def build(columns: dict[str, Any]) -> RankingInput:
    return RankingInput.from_arrays(
        columns["criteria"],
        columns["areas"],
        columns["entries"],
        sheet_entry_ids=columns["sheet_entry_ids"],
        sheet_juror_ids=columns["sheet_juror_ids"],
        scores=columns["scores"],
        scale_min=0,
        scale_max=10,
        min_sheets=3,
    )


def timed(work: Callable[[], Any], setup: Callable[[], Any], repeat: int) -> list[float]:
    """Wall times of `work(setup())`, setup excluded, one fresh setup per repetition."""
    times = []
    for _ in range(repeat):
        prepared = setup()
        start = time.perf_counter()
        work(prepared)
        times.append(time.perf_counter() - start)
    return times


def peak_memory(work: Callable[[Any], Any], setup: Callable[[], Any]) -> float:
    """Peak traced allocation (MB) of one `work(setup())`, setup excluded."""
    prepared = setup()
    tracemalloc.start()
    work(prepared)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def report(name: str, times: list[float], peak: float) -> None:
    print(
        f"{name:<34} best {min(times) * 1000:8.1f} ms   median "
        f"{statistics.median(times) * 1000:8.1f} ms   peak {peak:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--jurors", type=int, default=JURORS)
    parser.add_argument("--sheets", type=int, default=SHEETS_PER_ENTRY)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--samples", type=int, default=DEFAULT_BOOTSTRAP_SAMPLES)
    args = parser.parse_args()

    columns = generate(args.entries, args.jurors, args.sheets)
    scores = columns["scores"].size
    print(
        f"engine benchmark: {args.entries} entries, {AREAS} areas, {args.jurors} jurors, "
        f"{args.sheets} sheets/entry, {len(WEIGHTS)} criteria ({scores} scores), "
        f"{args.samples} bootstrap samples, numpy {np.__version__}"
    )

    def nothing() -> None:
        return None

    report(
        "RankingInput.from_arrays",
        timed(lambda _: build(columns), nothing, args.repeat),
        peak_memory(lambda _: build(columns), nothing),
    )

    def fresh() -> RankingInput:
        return build(columns)

    for method in METHODS:

        def run(data: RankingInput, method: str = method) -> Any:
            return compute_ranking(data, method, bootstrap_samples=args.samples)

        report(
            f"compute_ranking({method})", timed(run, fresh, args.repeat), peak_memory(run, fresh)
        )

    def whole(_: Any) -> Any:
        return compute_ranking(build(columns), bootstrap_samples=args.samples)

    report(
        "from_arrays + compute_ranking",
        timed(whole, nothing, args.repeat),
        peak_memory(whole, nothing),
    )
    report(
        "sensitivity_report(weighted_mean)",
        timed(sensitivity_report, fresh, args.repeat),
        peak_memory(sensitivity_report, fresh),
    )


if __name__ == "__main__":
    main()
