"""Cost of the organiser's boards (jury progress, assignments) at 2,000 and 10,000 entries:
time, HTML size and number of queries of a page, the first page and a search.

    python bench/boards.py [--entries 2000 10000] [--rounds 3]

Also the organiser's entries list (first page, a search) and the public page of one area
of a published edition of as many entries (bench/showcase.py's seed; first and last page).

Seeds an edition in review with five areas, `entries` entries, 30 jurors, three jurors per
entry and a sheet (submitted, drafted or recused) for two of every three assignments, then
asks for each board's first page, its last page and a search through Django's test client
signed in as an organiser. Uses its own SQLite file (BENCH_DB, default a temporary
directory) unless DATABASE_URL is set. Target (issue 18): under 0.3 s and 200 KB a page, the
same number of queries at both sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-boards"


def seed(entries: int):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from practices.enums import EntryStatus
    from practices.models import Entry, Practice
    from scoring.enums import SheetStatus
    from scoring.models import Assignment, JuryMember, JurySheet

    call_command("migrate", verbosity=0)
    slug = f"{SLUG}-{entries}"
    organiser, _ = User.objects.get_or_create(username="bench-board-organiser",
                                              defaults={"is_staff": True})
    if Edition.objects.filter(slug=slug).exists():
        return organiser, slug
    now = timezone.now()
    with transaction.atomic():
        edition = Edition.objects.create(
            title="Табла", title_en="Boards", slug=slug, year_label="2026", phase=Phase.REVIEW,
            submissions_open_at=now - dt.timedelta(days=60),
            submissions_close_at=now - dt.timedelta(days=30),
            review_open_at=now - dt.timedelta(days=29),
            review_close_at=now + dt.timedelta(days=30))
        for order in (1, 2):
            Criterion.objects.create(edition=edition, order=order, title=f"Критерий {order}")
        areas = [ThematicArea.objects.create(edition=edition, code=code, order=i,
                                             title=f"Област {code}", title_en=f"Area {code}")
                 for i, code in enumerate(["I", "II", "III", "IV", "V"])]
        municipalities = list(Municipality.objects.filter(code__startswith="BOARD"))
        if not municipalities:
            Municipality.objects.bulk_create(
                Municipality(code=f"BOARD{i:03d}", name=f"Община {i}", name_en=f"Town {i}")
                for i in range(265))
            municipalities = list(Municipality.objects.filter(code__startswith="BOARD"))
        jurors = list(User.objects.filter(username__startswith="bench-board-juror"))
        if not jurors:
            User.objects.bulk_create(User(username=f"bench-board-juror-{i}",
                                          first_name=f"Juror {i}", last_name=f"Board {i}")
                                     for i in range(30))
            jurors = list(User.objects.filter(username__startswith="bench-board-juror"))
        JuryMember.objects.bulk_create(JuryMember(edition=edition, user=user,
                                                  accepted_at=now) for user in jurors)
        practices = Practice.objects.bulk_create(
            Practice(municipality=municipalities[i % len(municipalities)],
                     title=f"Практика {i}", title_en=f"Practice {i}")
            for i in range(entries))
        created = Entry.objects.bulk_create(
            Entry(practice=practice, area=areas[i % 5], edition=edition,
                  status=EntryStatus.ELIGIBLE) for i, practice in enumerate(practices))
        assignments, sheets = [], []
        first_round = edition.rounds.get(number=1)
        for i, entry in enumerate(created):
            for k in range(3):
                juror = jurors[(i + k * 7) % len(jurors)]
                assignments.append(Assignment(entry=entry, juror=juror, round=first_round))
                if (i + k) % 3:
                    sheets.append(JurySheet(
                        entry=entry, juror=juror, recused=(i + k) % 17 == 0, round=first_round,
                        status=SheetStatus.SUBMITTED if (i + k) % 3 == 1 else SheetStatus.DRAFT))
        Assignment.objects.bulk_create(assignments, batch_size=2000)
        JurySheet.objects.bulk_create(sheets, batch_size=2000)
    return organiser, slug


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = "sqlite:///" + os.environ.get(
            "BENCH_DB", str(Path(tempfile.mkdtemp(prefix="bench-boards-")) / "db.sqlite3"))
    os.environ.setdefault("DEBUG", "1")
    for entries in args.entries:
        organiser, slug = seed(entries)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        client.force_login(organiser)
        print(f"\n{connection.vendor}, {entries:,} entries, 30 jurors, "
              f"{entries * 3:,} assignments")
        for name in ("organiser_jury_progress", "organiser_jury_assignments"):
            url = reverse(name, args=[slug])
            last = (entries + 49) // 50
            for label, query in (("first page", ""), ("last page", f"?page={last}"),
                                 ("search", "?q=Town+12&area=&state=short")):
                times = []
                for _ in range(args.rounds):
                    connection.queries_log.clear()  # the seed's queries filled the log
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(url + query)
                        times.append(time.perf_counter() - start)
                    assert response.status_code == 200, response.status_code
                print(f"  {name.removeprefix('organiser_jury_'):12} {label:10} "
                      f"{statistics.median(times):.3f} s  {len(response.content) / 1000:6.1f} KB"
                      f"  {len(queries)} queries")
        entries_url = reverse("organiser_entry_list", args=[slug])
        public_url, last_area_page = area_page(entries)
        settings.SHOWCASE_CACHE_SECONDS = 0  # every request renders the page
        anonymous = Client()
        for name, who, url in (
                ("entries", client, entries_url), ("entries", client, entries_url + "?q=Town+12"),
                ("area page", anonymous, public_url),
                ("area page", anonymous, f"{public_url}&page={last_area_page}")):
            times = []
            for _ in range(args.rounds):
                connection.queries_log.clear()  # the seed's queries filled the log
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = who.get(url)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
            print(f"  {name:12} {url.split('/')[-1][:22]:22} {statistics.median(times):.3f} s"
                  f"  {len(response.content) / 1000:6.1f} KB  {len(queries)} queries")
    return 0


def area_page(entries: int) -> tuple[str, int]:
    """The public page of one area (a fifth of `entries`) of bench/showcase.py's published
    edition, and its last page."""
    sys.path.insert(0, str(ROOT / "bench"))
    import showcase

    from portal.selectors import AREA_PAGE_SIZE
    from scoring.models import RankingResult

    showcase.seed(entries)
    result = RankingResult.objects.filter(run__edition__slug=showcase.SLUG,
                                          run__is_published=True).order_by("area__order").first()
    count = RankingResult.objects.filter(run_id=result.run_id, area_id=result.area_id).count()
    return (f"/showcase/{showcase.SLUG}/?area={result.area_id}",
            (count + AREA_PAGE_SIZE - 1) // AREA_PAGE_SIZE)


if __name__ == "__main__":
    sys.exit(main())
