"""Cost of the open-data exports of a large published edition against the one-query floor.

The edition is bench/ranking.py's (10,000 eligible entries in 3 areas, 5 submitted sheets
each, 4 weighted criteria; made once per database), ranked by the real job (its report of
about 20 KB included) and published through the real service, which writes the exports'
files after the commit. For each export (results.csv/json, sheets.csv/json and the bulk
all-results.csv/json) it prints:

- floor: one plain SQL query reading the rows the export holds (cursor.fetchall, no ORM);
- served: a GET through the whole Django stack (test client) served from its file;
- written: the export written into its file (what the task does after publication: read a
  chunk at a time, formatted, written), and its peak of Python memory (tracemalloc);
- streamed: a GET when the file is missing (streamed from the database while written),
  and its peak of memory;

each time as a ratio to the floor. Times are the median of --repeat runs.

    python bench/exports.py                                   # SQLite file in /tmp
    python bench/exports.py --entries 100000 --sqlite /tmp/bench-exports-100k.sqlite3
    python bench/exports.py --database-url postgres://postgres@127.0.0.1:5432/portal_exports

Targets (issue 18): at 10,000 entries at most 1x the floor and under 100 MB added; at
100,000 under 5x.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="postgres://... (default: a SQLite file, see --sqlite)")
    parser.add_argument("--sqlite", default="/tmp/bench-exports.sqlite3",
                        help="SQLite file used without --database-url")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap-samples", type=int, default=None,
                        help="resamples of the ranking job (default: the setting)")
    return parser.parse_args()


def _median(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _peak_mb(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _published_run(edition):
    from scoring.models import RankingRun
    from scoring.services.ranking import (
        ranking_run_create,
        ranking_run_execute,
        ranking_run_publish,
    )

    run = RankingRun.objects.filter(edition=edition, is_published=True).first()
    if run is None:
        started = time.perf_counter()
        run = ranking_run_execute(run_id=ranking_run_create(edition=edition).pk)
        print(f"ranked in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ranking_run_publish(run=run, by=None, notify=False)  # the files: after the commit
        print(f"published (files written after the commit) in "
              f"{time.perf_counter() - started:.1f} s")
    return run


def _floors(run) -> dict[str, object]:
    """The one query each export's rows cost, as a function running it."""
    from django.db import connection

    from portal import selectors
    from scoring.enums import SheetStatus
    from scoring.models import SheetScore

    columns = {"scores_text": "criterion_scores", "flags_text": "flags"}
    results = (selectors.results_published().filter(run=run)
               .values_list(*(columns.get(name, name)
                              for name in selectors.EXPORT_RESULT_FIELDS)))
    sheets = (SheetScore.objects.filter(sheet__entry__ranking_results__run=run,
                                        sheet__status=SheetStatus.SUBMITTED,
                                        sheet__recused=False)
              .values_list("sheet__entry__ranking_results__area_id", "sheet__entry_id",
                           "sheet_id", "sheet__juror_id", "criterion_id", "value"))

    def query(queryset):
        sql, params = queryset.query.sql_with_params()

        def run_it():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run_it

    return {"results": query(results), "sheets": query(sheets)}


def _print_head(vendor: str, url: str, args, rows: dict, floor_s: dict) -> None:
    print(f"\ndatabase: {vendor} ({url.split('@')[-1]}); {args.entries:,} entries, "
          f"{rows['results']:,} public results, {rows['sheets']:,} scores of counted sheets; "
          f"median of {args.repeat}")
    print(f"floor: one SQL query of the results {floor_s['results']:.3f} s, "
          f"of the scores {floor_s['sheets']:.3f} s")
    print(f"{'export':<18}{'MB':>6}{'served s':>10}{'x floor':>8}{'written s':>11}"
          f"{'x floor':>8}{'peak MB':>8}{'streamed s':>11}{'x floor':>8}{'peak MB':>8}")


def main() -> None:
    args = _arguments()
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())
    os.environ["DEBUG"] = "0"  # no record of every query
    os.environ["OPEN_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-exports-")
    import ranking  # bench/ranking.py: its database set-up and its edition

    args.database_url = args.database_url or ""
    args.child_job = False  # bench/ranking.py's set-up: migrate here
    url = ranking._setup(args)
    from django.conf import settings
    from django.db import connection
    from django.http import FileResponse
    from django.test import Client

    from portal import selectors
    from portal.showcase.export_files import (
        BULK_SCOPE,
        export_path,
        export_write,
        exports_root,
        exports_stamp,
        run_scope,
    )
    from portal.showcase.exports import BULK_EXPORTS, EDITION_EXPORTS, PublishedRun

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SITE_URL = "http://testserver"
    edition = ranking._make_data(args.entries)
    run = _published_run(edition)
    base = "http://testserver"
    client = Client()
    floors = _floors(run)
    rows = {name: len(function()) for name, function in floors.items()}
    floor_s = {name: _median(function, args.repeat) for name, function in floors.items()}
    _print_head(connection.vendor, url, args, rows, floor_s)
    exports = ([(f"/showcase/{edition.slug}/{name}", kind, run_scope(run.pk), "edition")
                for name, kind in EDITION_EXPORTS.items()]
               + [(f"/open-data/{name}", kind, BULK_SCOPE, "bulk")
                  for name, kind in BULK_EXPORTS.items()])
    published = PublishedRun(*selectors.published_run(run_id=run.pk), base=base)
    worst_served = worst_peak = 0.0
    for address, kind, scope, owner in exports:
        floor = floor_s["sheets" if kind.name.startswith("sheets") else "results"]

        def get(address=address) -> int:
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            return sum(len(chunk) for chunk in response.streaming_content)

        def write(kind=kind, scope=scope, owner=owner) -> int:
            chunks = kind.write(published) if owner == "edition" else kind.write(base)
            path = export_path(scope=scope, name=kind.name, base=base, stamp=exports_stamp(
                               edition_id=edition.pk if owner == "edition" else None))
            return export_write(chunks, path)

        def streamed(get=get) -> int:
            shutil.rmtree(exports_root(), ignore_errors=True)
            return get()

        size = get()
        assert isinstance(client.get(address), FileResponse), "not served from its file"
        served = _median(get, args.repeat)
        written = _median(write, args.repeat)
        written_mb = _peak_mb(write)
        stream = _median(streamed, args.repeat)
        stream_mb = _peak_mb(streamed)
        get()  # the file again, for the next export's bulk
        worst_served = max(worst_served, served / floor)
        worst_peak = max(worst_peak, written_mb, stream_mb)
        print(f"{kind.name:<18}{size / 2**20:>6.1f}{served:>10.4f}{served / floor:>8.2f}"
              f"{written:>11.3f}{written / floor:>8.2f}{written_mb:>8.1f}"
              f"{stream:>11.3f}{stream / floor:>8.2f}{stream_mb:>8.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"served from the file: at most {worst_served:.2f}x the floor; peak memory of a "
          f"write or a stream at most {worst_peak:.1f} MB; process peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
