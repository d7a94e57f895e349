"""Load test of the public showcase: seeds 5,000 published practices (each with a kind of
innovation and one to three topics, from municipalities of Bulgaria's 28 regions), serves
the site with gunicorn and loads /healthz, /showcase/, /showcase/ with facets chosen,
/showcase/map/, /showcase/<edition-slug>/ and /practices/<id>/ with wrk in the same run;
prints requests per second and p50/p99 latency for each.

    python bench/showcase.py [--practices 5000] [--duration 10] [--connections 8]
                             [--workers 2] [--rounds 3] [--keep]

It uses its own SQLite file (BENCH_DB, default a temporary directory) unless DATABASE_URL is
set, and the local-memory cache unless REDIS_URL is set. Needs `wrk` (apt-get install wrk).
Target: each showcase page at least half the throughput of /healthz.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-edition"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(practices: int) -> int:
    """A published edition with `practices` ranked practices in five areas; returns the id of
    the first-placed practice."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from practices.enums import EntryStatus, InnovationType
    from practices.models import Entry, Practice, Topic
    from scoring.enums import RunStatus
    from scoring.models import RankingResult, RankingRun

    call_command("migrate", verbosity=0)
    # a seed of another size before: its results and entries protect the edition
    RankingResult.objects.filter(run__edition__slug=SLUG).delete()
    Practice.objects.filter(entries__edition__slug=SLUG).delete()
    Entry.objects.filter(edition__slug=SLUG).delete()
    Edition.objects.filter(slug=SLUG).delete()
    rng = random.Random(2016)
    now = timezone.now()
    with transaction.atomic():
        edition = Edition.objects.create(
            title="Издание за натоварване", title_en="Load test edition", slug=SLUG,
            year_label="2016/2017", phase=Phase.PUBLISHED,
            submissions_open_at=now - dt.timedelta(days=400),
            submissions_close_at=now - dt.timedelta(days=350),
            review_open_at=now - dt.timedelta(days=349),
            review_close_at=now - dt.timedelta(days=300))
        criteria = [Criterion.objects.create(edition=edition, order=i + 1, title=f"Критерий {i}",
                                             title_en=title)
                    for i, title in enumerate(["Relevance and impact", "Transparency",
                                               "Innovativeness", "Sustainability"])]
        areas = [ThematicArea.objects.create(edition=edition, code=code, order=i,
                                             title=f"Област {code}", title_en=f"Area {code}",
                                             awards=3)
                 for i, code in enumerate(["I", "II", "III", "IV", "V"])]
        municipalities = list(Municipality.objects.filter(code__startswith="BENCH"))
        if not municipalities:
            regions = list(csv.DictReader((ROOT / "portal" / "data" / "regions" / "bg.csv")
                                          .open(encoding="utf-8")))
            Municipality.objects.bulk_create(
                Municipality(code=f"BENCH{i:03d}", name=f"Община {i}", name_en=f"Town {i}",
                             region=regions[i % len(regions)]["region_bg"],
                             region_en=regions[i % len(regions)]["region_en"])
                for i in range(265))
            municipalities = list(Municipality.objects.filter(code__startswith="BENCH"))
        words = ["digital", "services", "school", "energy", "park", "water", "youth", "roads",
                 "culture", "tourism", "waste", "health", "transport", "citizens", "budget"]
        topics = []
        for order, slug in enumerate(["social-care", "digital", "participation", "environment",
                                      "education", "employment", "transparency", "youth"]):
            topic, _created = Topic.objects.get_or_create(
                slug=f"bench-{slug}", defaults={"name": f"Тема {slug}", "name_en": slug,
                                                "order": order})
            topics.append(topic)
        kinds = list(InnovationType)
        created = Practice.objects.bulk_create(
            Practice(municipality=rng.choice(municipalities),
                     title=f"Практика {i}", title_en=" ".join(rng.sample(words, 4)).capitalize(),
                     summary="Кратко описание на практиката. " * 5,
                     summary_en="A short account of what the municipality did. " * 5,
                     innovation_type=kinds[i % len(kinds)])
            for i in range(practices))
        Practice.topics.through.objects.bulk_create(
            (Practice.topics.through(practice_id=practice.pk, topic_id=topic.pk)
             for practice in created for topic in rng.sample(topics, rng.randint(1, 3))),
            batch_size=2000)
        entries = Entry.objects.bulk_create(
            Entry(practice=practice, area=areas[i % len(areas)], edition=edition,
                  status=EntryStatus.ELIGIBLE) for i, practice in enumerate(created))
        run = RankingRun.objects.create(edition=edition, status=RunStatus.SUCCEEDED,
                                        fingerprint=f"{rng.getrandbits(256):064x}",
                                        report={"areas": [{"area_id": a.pk, "agreement": 0.71,
                                                           "agreement_statistic": "ICC(2,k)"}
                                                          for a in areas]},
                                        is_published=True, published_at=now, finished_at=now)
        rows = []
        for area in areas:
            scored = sorted(((rng.uniform(3, 10), e) for e in entries if e.area_id == area.pk),
                            key=lambda pair: -pair[0])
            for rank, (total, entry) in enumerate(scored, start=1):
                rows.append(RankingResult(
                    run=run, entry=entry, area=area, total=total, rank=rank,
                    place=rank if rank <= area.awards else None,
                    published_place=rank if rank <= area.awards else None, sheet_count=5,
                    criterion_scores=[round(min(10.0, total + rng.uniform(-1, 1)), 2)
                                      for _ in criteria]))
        RankingResult.objects.bulk_create(rows, batch_size=1000)
        first = RankingResult.objects.get(run=run, area=areas[0], rank=1)
        follow_ups_and_adoptions(edition, created, municipalities, rng,
                                 busiest=first.entry.practice_id)
    return first.entry.practice_id


def follow_ups_and_adoptions(edition, practices, municipalities, rng, *, busiest: int) -> None:
    """Issue 16's load: every practice has an approved follow-up report, a third of them
    adoptions; the practice the benchmark reads has both rounds and eight adoptions."""
    from uptake.models import Adoption, FollowUpReport

    today = dt.date.today()
    FollowUpReport.objects.bulk_create(
        (FollowUpReport(practice=practice, edition=edition, months=months, due_on=today,
                        status="approved", state="running", figures="120 families",
                        text="It still runs, in two more villages. " * 4)
         for practice in practices
         for months in ((12, 24) if practice.pk == busiest else (12,))), batch_size=1000)
    adoptions = []
    for practice in practices:
        count = 8 if practice.pk == busiest else (rng.randint(1, 3) if rng.random() < 0.33
                                                  else 0)
        adoptions.extend(Adoption(practice=practice, municipality=municipality,
                                  adopted_on=today, note="Adapted to our villages.")
                         for municipality in rng.sample(municipalities, count)
                         if municipality.pk != practice.municipality_id)
    Adoption.objects.bulk_create(adoptions, batch_size=1000)


def wrk(url: str, duration: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": percentile("50"), "p99": percentile("99"),
            "errors": int(errors.group(1)) if errors else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--practices", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="bench-showcase-"))
    if "DATABASE_URL" not in os.environ:
        database = os.environ.get("BENCH_DB", str(workdir / "db.sqlite3"))
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())
    os.environ.update({"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                       "MEDIA_ROOT": str(workdir / "media"), "LOG_LEVEL": "WARNING"})
    started = time.perf_counter()
    practice_id = seed(args.practices)
    print(f"seeded {args.practices} published practices in {time.perf_counter() - started:.1f} s "
          f"({os.environ['DATABASE_URL'].split(':')[0]}, cache: "
          f"{'redis' if os.environ.get('REDIS_URL') else 'local memory'})")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(args.workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    urls = {"/healthz": "/healthz", "/showcase/": "/showcase/",
            "/showcase/?facets": "/showcase/?type=service&topic=bench-digital&sort=award",
            "/showcase/map/": "/showcase/map/",
            "/showcase/<slug>/": f"/showcase/{SLUG}/",
            "/practices/<id>/": f"/practices/{practice_id}/"}
    try:
        _wait_and_warm(base, urls, args.workers)
        figures = _figures(base, urls, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return _report(figures, args)


def _wait_and_warm(base: str, urls: dict[str, str], workers: int) -> None:
    """Until the server answers, then every URL a few times per worker (warm caches)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.2)
    for path in urls.values():  # warm every worker's cache
        for _ in range(workers * 4):
            with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                assert response.status == 200, path


def _figures(base: str, urls: dict[str, str], args) -> dict[str, dict]:
    """Rounds interleave the URLs so that a slow spell of the machine (other processes)
    does not fall on one URL only; each figure is the median over the rounds."""
    runs: dict[str, list[dict]] = {name: [] for name in urls}
    for _round in range(args.rounds):
        for name, path in urls.items():
            runs[name].append(wrk(base + path, args.duration, args.connections))
    return {name: {key: statistics.median(run[key] for run in found)
                   for key in ("rps", "p50", "p99", "errors")}
            for name, found in runs.items()}


def _report(figures: dict[str, dict], args) -> int:
    """Print the figures against /healthz; 0 when every page meets the target."""
    floor = figures["/healthz"]["rps"]
    print(f"gunicorn {args.workers} sync workers, wrk 2 threads x {args.connections} "
          f"connections, {args.duration} s per URL per round, median of {args.rounds} rounds")
    print(f"{'URL':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs healthz':>11} {'errors':>7}")
    ok = True
    for name, figure in figures.items():
        ratio = figure["rps"] / floor
        ok &= ratio >= 0.5 and figure["errors"] == 0
        print(f"{name:<20} {figure['rps']:>9.0f} {figure['p50']:>8.2f} {figure['p99']:>8.2f} "
              f"{ratio:>10.2f}x {figure['errors']:>7}")
    print("target (each page >= 0.5x /healthz):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
