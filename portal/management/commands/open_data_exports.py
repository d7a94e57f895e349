from django.core.management.base import BaseCommand, CommandError

from portal import selectors
from portal.showcase.export_files import (
    bulk_exports_generate,
    open_data_exports_generate,
    site_origin,
)


class Command(BaseCommand):
    help = ("Write the open-data exports of every published run (or of the editions named) and "
            "the bulk download into their files again, for SITE_URL's origin (or --base): "
            "after a restore, a move of OPEN_DATA_DIR, or files deleted. A file missing is "
            "also written by the first request for it.")

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="editions (default: every public one)")
        parser.add_argument("--base", default="",
                            help="the scheme and host of the exports' URLs "
                                 "(default: SITE_URL's)")

    def handle(self, *args, slugs, base, **options):
        base = base.rstrip("/") or site_origin()
        runs = selectors.published_runs_ids()
        if slugs:
            unknown = sorted(set(slugs) - {slug for _run, slug in runs})
            if unknown:
                raise CommandError(f"not a public edition: {', '.join(unknown)}")
            runs = [(run, slug) for run, slug in runs if slug in slugs]
        for run_id, slug in runs:
            written = open_data_exports_generate(run_id=run_id, base=base, bulk=False)
            self.stdout.write(f"{slug}: {len(written)} files")
        written = bulk_exports_generate(base=base)
        self.stdout.write(f"bulk download: {len(written)} files")
