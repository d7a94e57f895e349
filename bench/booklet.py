"""Time and peak memory of making an edition's booklet (the Celery task's work): an edition
with 1,000 published practices, every one placed (five areas, 200 places each, so 1,000
practice pages), each with a photo and Bulgarian texts of a realistic length, 150
municipalities taking part.

    python bench/booklet.py [--practices 1000] [--language bg] [--keep]

It uses its own SQLite file in a temporary directory (BENCH_DB to choose one) unless
DATABASE_URL is set, and a temporary MEDIA_ROOT. Prints the seconds, the pages, the size of
the PDF and the process's peak resident memory.
The seconds are wall-clock time and CPU time (on a shared machine the latter is the one to
compare); `--trace` adds the Python heap's peak (tracemalloc, which slows it down).
Targets: under 60 s and 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-booklet"
AREAS = ("I", "II", "III", "IV", "V")

SUMMARY = ("Общината създаде открита процедура, по която местните общности сами посочват "
           "проблемите си и ги решават с подкрепата на общината. ") * 4
ACTIONS = ("Проведени бяха срещи във всички населени места, приети бяха писмени правила, "
           "обявена беше покана и бяха сключени споразумения с читалища и сдружения. ") * 10
RESULTS = ("Над 30 населени места участваха; подкрепени бяха 41 инициативи на обща стойност "
           "62 435 лв. ") * 6


def setup(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.environ.get(
        "BENCH_DB", str(workdir / "bench-booklet.sqlite3")))
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()


def photo_bytes() -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 800), (40, 90, 140))
    draw = ImageDraw.Draw(picture)
    for step in range(0, 1200, 40):
        draw.line([(step, 0), (1200 - step, 800)], fill=(200, 180, 60), width=3)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def seed(practices: int) -> int:
    """The edition, its published run and results; returns the run's id."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from practices.enums import EntryStatus
    from practices.models import Entry, Photo, Practice
    from scoring.enums import RunStatus
    from scoring.models import RankingResult, RankingRun
    from scoring.selectors.ranking import ranking_snapshot_load

    call_command("migrate", verbosity=0)
    now = timezone.now()
    per_area = practices // len(AREAS)
    with transaction.atomic():
        edition = Edition.objects.create(
            title="Издание за натоварване", title_en="Load test edition", slug=SLUG,
            year_label="2016/2017", phase=Phase.PUBLISHED,
            submissions_open_at=now - dt.timedelta(days=400),
            submissions_close_at=now - dt.timedelta(days=350),
            review_open_at=now - dt.timedelta(days=349),
            review_close_at=now - dt.timedelta(days=300))
        for order, title in enumerate(["Значимост и въздействие", "Публичност и прозрачност",
                                       "Иновативност", "Устойчивост"], start=1):
            Criterion.objects.create(edition=edition, order=order, title=title)
        areas = [ThematicArea.objects.create(edition=edition, code=code, order=index,
                                             title=f"Тематична област {code}",
                                             awards=per_area)
                 for index, code in enumerate(AREAS)]
        municipalities = Municipality.objects.bulk_create(
            Municipality(name=f"Община {index}", region="Регион", code=f"BENCHB{index}")
            for index in range(150))
        stored = Photo(practice=None)
        stored.image.save("bench/photo.jpg", ContentFile(photo_bytes()), save=False)
        run = RankingRun.objects.create(edition=edition, status=RunStatus.SUCCEEDED,
                                        is_published=True, published_at=now,
                                        finished_at=now)
        made = Practice.objects.bulk_create(
            Practice(municipality=municipalities[index % 150],
                     title=f"Практика номер {index} за по-добро местно управление",
                     summary=SUMMARY, actions=ACTIONS, results=RESULTS)
            for index in range(practices))
        Photo.objects.bulk_create(Photo(practice=practice, image=stored.image.name,
                                        width=1200, height=800) for practice in made)
        entries = Entry.objects.bulk_create(
            Entry(practice=practice, area=areas[index % len(AREAS)], edition=edition,
                  status=EntryStatus.ELIGIBLE) for index, practice in enumerate(made))
        places: dict[int, int] = {}
        results = []
        for entry in entries:
            place = places[entry.area_id] = places.get(entry.area_id, 0) + 1
            results.append(RankingResult(run=run, entry=entry, area_id=entry.area_id,
                                         criterion_scores=[8.0] * 4, total=8.0, rank=place,
                                         place=place, published_place=place,
                                         sheet_count=3))
        RankingResult.objects.bulk_create(results, batch_size=500)
        run.snapshot = ranking_snapshot_load(edition=edition, method=run.method,
                                             parameters={})
        run.save(update_fields=["snapshot"])
    return run.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--language", default="bg", choices=["bg", "en"])
    parser.add_argument("--keep", action="store_true", help="keep the PDF and the database")
    parser.add_argument("--trace", action="store_true",
                        help="also measure the Python heap's peak (tracemalloc: slower)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-booklet-"))
    setup(workdir)
    run_id = seed(args.practices)

    from giveback.models import Booklet
    from giveback.services import booklet_build

    booklet = Booklet.objects.create(run_id=run_id, language=args.language)
    if args.trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    booklet = booklet_build(booklet_id=booklet.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    heap = ""
    if args.trace:
        heap = f"peak Python heap {tracemalloc.get_traced_memory()[1] / 1024 / 1024:.0f} MB, "
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert booklet.status == "succeeded", booklet.error
    size_mb = booklet.file.size / 1024 / 1024
    print(f"booklet of {args.practices} published practices ({args.language}): "
          f"{seconds:.1f} s ({cpu:.1f} s of CPU), {booklet.pages} pages, {size_mb:.1f} MB PDF; "
          f"{heap}"
          f"peak resident memory {rss_mb:.0f} MB (targets: 60 s, 500 MB)")
    if args.keep:
        print(f"kept: {workdir}")
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
