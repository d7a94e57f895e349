from django.core.management.base import BaseCommand, CommandError

from competitions.models import Edition
from scoring.enums import RankingMethod, RunStatus
from scoring.services.ranking import (
    RankingError,
    ranking_run_create,
    ranking_run_execute,
    ranking_run_start,
)


class Command(BaseCommand):
    help = ("Compute a ranking run of an edition. Without --sync the run is queued for the "
            "Celery worker (or computed in-process when no broker is configured).")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The edition's slug, e.g. bg-2016-2017.")
        parser.add_argument("--method", default=RankingMethod.WEIGHTED_MEAN,
                            choices=RankingMethod.values, help="Ranking method.")
        parser.add_argument("--sync", action="store_true",
                            help="Compute here and now, and print the places.")

    def handle(self, *args, slug: str, method: str, sync: bool, **options):
        edition = Edition.objects.filter(slug=slug).first()
        if edition is None:
            raise CommandError(f"No edition with the slug {slug!r}.")
        try:
            if not sync:
                run = ranking_run_start(edition=edition, method=method)
                run.refresh_from_db()
                self.stdout.write(f"Ranking run #{run.pk} ({method}) of {slug}: {run.status}.")
                return
            run = ranking_run_execute(run_id=ranking_run_create(edition=edition,
                                                                method=method).pk)
        except RankingError as error:
            raise CommandError(" ".join(error.messages)) from error
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Ranking run #{run.pk} failed: {run.error}")
        self.stdout.write(self.style.SUCCESS(
            f"Ranking run #{run.pk} ({method}) of {slug} succeeded in "
            f"{run.timings.get('total', 0):.2f} s; fingerprint {run.fingerprint}."))
        placed = (run.results.filter(place__isnull=False)
                  .select_related("area", "entry__practice__municipality")
                  .order_by("area__order", "area__code", "place", "entry_id"))
        for result in placed:
            self.stdout.write(
                f"  {result.area.code} place {result.place}: {result.entry.practice.title} "
                f"({result.entry.practice.municipality.name}), total {result.total:.3f}")
