"""Cost of the public exports (results.csv and results.json) of a large published edition,
against the one-query floor: the single query that reads the same rows (results with their
practice and municipality) into Python tuples.

    python bench/exports.py [--entries 10000 100000] [--rounds 3]

For each size it prints, per export: the time to write it (a cache miss: read in chunks,
formatted, written to its file), the time to serve it from its file (every later request
until the showcase version changes), the time to stream it with the cache off, each as a
ratio to the floor, and the Python memory a cache miss adds at its peak (tracemalloc), with
the floor's own peak for comparison. Uses its own SQLite file (BENCH_DB, default a temporary
directory) unless DATABASE_URL is set. Targets (issue 18): at 10,000 entries served at most
1x the floor and under 100 MB added; at 100,000 under 5x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = "sqlite:///" + os.environ.get(
            "BENCH_DB", str(workdir / "db.sqlite3"))
    os.environ.setdefault("DEBUG", "1")
    os.environ["OPENDATA_EXPORTS_DIR"] = str(workdir / "exports")
    import showcase  # bench/showcase.py: its seed

    for entries in args.entries:
        showcase.seed(entries)
        from django.conf import settings
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from portal.cache import showcase_bump
        from scoring.models import RankingResult, RankingRun

        settings.ALLOWED_HOSTS = ["*"]
        run = RankingRun.objects.get(edition__slug=showcase.SLUG, is_published=True)
        rows = (RankingResult.objects.filter(run=run)
                .values_list("area_id", "entry_id", "rank", "place", "entry__practice_id",
                             "entry__practice__title", "entry__practice__title_en",
                             "entry__practice__municipality__name",
                             "entry__practice__municipality__name_en",
                             "entry__practice__municipality__region", "criterion_scores",
                             "total", "sheet_count", "rank_confidence", "flags"))
        sql, params = rows.query.sql_with_params()

        def floor(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        count = len(floor())
        client = Client()

        def fetch(url: str, client=client) -> int:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return sum(len(chunk) for chunk in response.streaming_content)

        floor_s = best(floor, args.rounds)
        floor_mb = peak_mb(floor)
        print(f"\n{connection.vendor}, {entries:,} entries ({count:,} result rows): "
              f"one-query floor {floor_s:.3f} s, its peak {floor_mb:.1f} MB")
        for name in ("results.csv", "results.json"):
            url = f"/showcase/{showcase.SLUG}/{name}"
            settings.SHOWCASE_CACHE_SECONDS = 3600

            def miss(url=url):
                showcase_bump()
                return fetch(url)

            write_s = best(miss, args.rounds)
            size = miss()
            write_mb = peak_mb(miss)
            served_s = best(lambda url=url: fetch(url), args.rounds)
            settings.SHOWCASE_CACHE_SECONDS = 0
            stream_s = best(lambda url=url: fetch(url), args.rounds)
            stream_mb = peak_mb(lambda url=url: fetch(url))
            print(f"  {name:13} {size / 1e6:6.1f} MB  written {write_s:.3f} s "
                  f"({write_s / floor_s:.2f}x floor, peak +{write_mb:.1f} MB)  "
                  f"served from its file {served_s:.4f} s ({served_s / floor_s:.2f}x)  "
                  f"streamed {stream_s:.3f} s ({stream_s / floor_s:.2f}x, "
                  f"peak +{stream_mb:.1f} MB)")
        cache.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
