"""Time and peak memory of the whole ranking job against its floor, on a real database.

The job is the real service function (`ranking_run_execute`: load with one query, the
engine with the configured bootstrap resamples (at most 4000 per area, as many as rank
confidence needs to be stable to +-0.02) and the sensitivity report, store 10,000 results
in one transaction). The floor is one plain SQL query that reads every
counted score once (cursor.fetchall, no ORM). Data: 10,000 eligible entries in 3 thematic
areas, 5 submitted sheets each from 60 jurors, 4 weighted criteria (200,000 scores), made
once per database.

    python bench/ranking.py                                   # SQLite file in /tmp
    python bench/ranking.py --database-url postgres://postgres@127.0.0.1:5432/bench_ranking
    python bench/ranking.py --sqlite /tmp/other.sqlite3 --repeat 5

The PostgreSQL database is created when missing. Times are the best and the median of
`--repeat` runs, with the best CPU time of this process beside them (on a shared machine
the wall time also measures the neighbours; on PostgreSQL the server's work is not in
it); peak memory is measured in a separate run under tracemalloc (Python and numpy
allocations). The peak RSS of the job is measured in a fresh process that runs one job
and nothing else (this process's peak includes making the data).

    python bench/ranking.py --entries 100000 --sqlite /tmp/ranking-100k.sqlite3 --skip-page
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "bench-ranking"
AREAS = 3
JURORS = 60
SHEETS = 5
WEIGHTS = (3, 2, 2, 1)

FLOOR_SQL = """
SELECT ss.sheet_id, s.entry_id, s.juror_id, ss.criterion_id, ss.value
FROM scoring_sheetscore ss
JOIN scoring_jurysheet s ON s.id = ss.sheet_id
JOIN practices_entry e ON e.id = s.entry_id
WHERE e.edition_id = %s AND e.status = 'eligible' AND s.status = 'submitted'
  AND s.recused = %s
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="",
                        help="postgres://... (default: a SQLite file, see --sqlite)")
    parser.add_argument("--sqlite", default="/tmp/bench-ranking.sqlite3",
                        help="SQLite file used without --database-url")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap-samples", type=int, default=None,
                        help="resamples per run at most (default: the setting, 4000)")
    parser.add_argument("--skip-page", action="store_true",
                        help="do not measure the organiser's results page")
    parser.add_argument("--child-job", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _setup(args: argparse.Namespace) -> str:
    url = args.database_url or f"sqlite:///{args.sqlite}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())
    if args.bootstrap_samples is not None:
        os.environ["RANKING_BOOTSTRAP_SAMPLES"] = str(args.bootstrap_samples)
    os.environ["LOG_LEVEL"] = "WARNING"
    # DEBUG keeps a copy of every query with its parameters quoted (on SQLite by a query of
    # its own per 999 of them): 10-15% of the job with multi-row INSERTs, not its cost.
    os.environ["DEBUG"] = "0"
    os.environ.pop("CELERY_BROKER_URL", None)
    if url.startswith("postgres"):
        _create_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.child_job:  # the child measures the job alone: the tables exist by then
        call_command("migrate", verbosity=0)
    return url


def _create_postgres_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    base, name = url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def _make_data(entries: int):
    """The edition, made once: bulk inserts, seeded scores (quality + leniency + noise)."""
    import datetime as dt
    from decimal import Decimal

    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from practices.enums import EntryStatus
    from practices.models import Entry, Practice
    from scoring.enums import SheetStatus
    from scoring.models import JurySheet, SheetScore

    edition = Edition.objects.filter(slug=SLUG).first()
    if edition is not None and edition.entries.count() == entries:
        return edition
    if edition is not None:
        sys.exit(f"{SLUG} exists with another size: use another database")
    started = time.perf_counter()
    now = timezone.now()
    rng = np.random.default_rng(2016)
    with transaction.atomic():
        edition = Edition.objects.create(
            slug=SLUG, title="Bench", phase=Phase.RANKED, min_sheets_per_entry=3,
            submissions_open_at=now - dt.timedelta(days=90),
            submissions_close_at=now - dt.timedelta(days=60),
            review_open_at=now - dt.timedelta(days=59),
            review_close_at=now - dt.timedelta(days=1))
        areas = [ThematicArea.objects.create(edition=edition, code=f"B{a}", title=f"Area {a}",
                                             order=a, awards=3) for a in range(AREAS)]
        criteria = [Criterion.objects.create(edition=edition, title=f"C{c}", order=c + 1,
                                             weight=Decimal(w))
                    for c, w in enumerate(WEIGHTS)]
        municipality, _ = Municipality.objects.get_or_create(
            code="BENCH", defaults={"name": "Bench", "name_en": "Bench", "region": "Bench"})
        jurors = User.objects.bulk_create(
            User(username=f"bench-juror-{j}", email=f"bench-juror-{j}@example.org")
            for j in range(JURORS))
        practices = Practice.objects.bulk_create(
            (Practice(municipality=municipality, title=f"Bench practice {e}",
                      implemented_on=dt.date(2016, 1, 1)) for e in range(entries)),
            batch_size=2000)
        entry_rows = Entry.objects.bulk_create(
            (Entry(practice=p, area=areas[e % AREAS], edition=edition,
                   status=EntryStatus.ELIGIBLE) for e, p in enumerate(practices)),
            batch_size=2000)
        assigned = np.argsort(rng.random((entries, JURORS)), axis=1)[:, :SHEETS]
        first_round = edition.rounds.get(number=1)
        sheets = JurySheet.objects.bulk_create(
            (JurySheet(entry=entry, juror=jurors[int(j)], status=SheetStatus.SUBMITTED,
                       submitted_at=now, round=first_round)
             for entry, chosen in zip(entry_rows, assigned, strict=True) for j in chosen),
            batch_size=2000)
        quality = rng.normal(6.0, 1.5, size=(entries, 1, 1))
        leniency = rng.normal(0.0, 0.7, size=JURORS)[assigned][..., None]
        noise = rng.normal(0.0, 1.2, size=(entries, SHEETS, len(WEIGHTS)))
        values = np.clip(np.rint(quality + leniency + noise), 0, 10).astype(int)
        values = values.reshape(-1, len(WEIGHTS)).tolist()
        SheetScore.objects.bulk_create(
            (SheetScore(sheet=sheet, criterion=criterion, value=row[c])
             for sheet, row in zip(sheets, values, strict=True)
             for c, criterion in enumerate(criteria)),
            batch_size=5000)
    print(f"made {entries} entries, {len(sheets)} sheets, {len(sheets) * len(WEIGHTS)} "
          f"scores in {time.perf_counter() - started:.1f} s")
    return edition


def _analyze() -> None:
    """PostgreSQL plans with the tables' statistics, which autovacuum gathers a minute or so
    after a bulk load: gathered here at once, so that the floor and the job are both
    planned as they would be on a live database (without them the floor's query sorted on
    disk, three times slower)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _floor(edition) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [edition.pk, False])
        return len(cursor.fetchall())


def _job(edition) -> int:
    from scoring.enums import RunStatus
    from scoring.services.ranking import ranking_run_create, ranking_run_execute

    run = ranking_run_execute(run_id=ranking_run_create(edition=edition).pk)
    if run.status != RunStatus.SUCCEEDED:
        sys.exit(f"the run failed: {run.error}")
    return run.pk


def _peak_mb(function, edition) -> float:
    """Peak traced memory (MB) of one call, Python and numpy allocations."""
    from scoring.models import RankingRun

    tracemalloc.start()
    function(edition)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    RankingRun.objects.filter(edition=edition).delete()
    return peak / 2**20


def _measure(edition, repeat: int) -> dict[str, tuple[float, float, float, float]]:
    """(best s, median s, peak MB, best CPU s of this process) of the floor and of the
    job, run alternately so that both meet the same load of a shared machine."""
    from scoring.models import RankingRun

    times: dict[str, list[float]] = {"floor": [], "job": []}
    cpu: dict[str, list[float]] = {"floor": [], "job": []}
    for _ in range(repeat):
        for name, function in (("floor", _floor), ("job", _job)):
            started, cpu_started = time.perf_counter(), time.process_time()
            function(edition)
            times[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
            RankingRun.objects.filter(edition=edition).delete()
    return {name: (min(values), statistics.median(values),
                   _peak_mb(_floor if name == "floor" else _job, edition), min(cpu[name]))
            for name, values in times.items()}


def _rss_mb() -> float:
    """Peak RSS of this process in MB: the high-water mark of its memory (VmHWM), which
    a fresh process starts afresh (ru_maxrss would keep its parent's peak at the fork)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_job(edition) -> None:
    """One job in this fresh process: print the peak RSS before and after it."""
    from scoring.models import RankingRun

    before = _rss_mb()
    _job(edition)
    print(f"rss {before:.1f} {_rss_mb():.1f}")
    RankingRun.objects.filter(edition=edition).delete()


def _job_rss(args: argparse.Namespace) -> tuple[float, float]:
    """(peak RSS MB of a fresh process once set up, peak RSS MB after one job in it): the
    job's own memory, apart from what making the data cost this process."""
    import subprocess

    command = [sys.executable, __file__, "--child-job", "--entries", str(args.entries),
               "--sqlite", args.sqlite, "--database-url", args.database_url]
    if args.bootstrap_samples is not None:
        command += ["--bootstrap-samples", str(args.bootstrap_samples)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("rss "))
    before, after = (float(value) for value in line.split()[1:])
    return before, after


def _results_page(edition, repeat: int) -> tuple[float, float, int]:
    """(best s, median s, queries) of the organiser's results page comparing two runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from scoring.enums import RankingMethod
    from scoring.models import RankingRun
    from scoring.services.ranking import ranking_run_create, ranking_run_execute

    runs = [ranking_run_execute(run_id=ranking_run_create(edition=edition, method=method).pk)
            for method in (RankingMethod.WEIGHTED_MEAN, RankingMethod.MEDIAN)]
    organiser, _ = User.objects.get_or_create(username="bench-organiser",
                                              defaults={"is_staff": True})
    client = Client()
    client.force_login(organiser)
    _pass_second_factor(client, organiser)
    url = reverse("organiser_results", args=[edition.slug])
    query = {"run": runs[0].pk, "compare": runs[1].pk}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
    RankingRun.objects.filter(edition=edition).delete()
    return min(times), statistics.median(times), len(queries)


def _pass_second_factor(client, user) -> None:
    """Organisers pass a second factor before any page: a real confirmed authenticator
    device recorded in the session as the code page does (as tests/second_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import SESSION_REQUIRED

    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_REQUIRED] = True
    session.save()


def main() -> None:
    args = _arguments()
    url = _setup(args)
    from django.db import connection

    edition = _make_data(args.entries)
    _analyze()
    if args.child_job:
        _child_job(edition)
        return
    vendor = connection.vendor
    from django.conf import settings

    samples = settings.RANKING_BOOTSTRAP_SAMPLES
    figures = _measure(edition, args.repeat)
    floor, job = figures["floor"], figures["job"]
    page = None if args.skip_page else _results_page(edition, args.repeat)
    rss = _rss_mb()
    rss_before, rss_job = _job_rss(args)
    print(f"database: {vendor} ({url.split('@')[-1]}); {args.entries} entries x {SHEETS} "
          f"sheets x {len(WEIGHTS)} criteria; bootstrap {samples}; "
          f"best / median of {args.repeat}")
    print(f"{'step':<44}{'best s':>8}{'median s':>10}{'peak MB':>9}{'CPU s':>8}")
    print(f"{'floor: one SQL query reading every score':<44}{floor[0]:>8.3f}{floor[1]:>10.3f}"
          f"{floor[2]:>9.1f}{floor[3]:>8.3f}")
    print(f"{'job: load + engine + store (service)':<44}{job[0]:>8.3f}{job[1]:>10.3f}"
          f"{job[2]:>9.1f}{job[3]:>8.3f}")
    if page is not None:
        print(f"{'organiser results page, two runs compared':<44}{page[0]:>8.3f}"
              f"{page[1]:>10.3f}{'':>9} ({page[2]} queries)")
    print(f"job / floor: {job[0] / floor[0]:.2f}x best, {job[1] / floor[1]:.2f}x median, "
          f"{job[3] / floor[3]:.2f}x CPU of this process; process peak RSS {rss:.0f} MB")
    print(f"job alone in a fresh process: peak RSS {rss_job:.0f} MB "
          f"({rss_before:.0f} MB once Django is set up, +{rss_job - rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
