from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from giveback.demo import demo_giveback_load
from portal.demo import DEMO_PASSWORD, demo_load, demo_totp_secret


class Command(BaseCommand):
    help = ("Load the Bulgarian 2016/2017 edition (published, real winners), an open demo "
            "edition and the demo accounts. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Create the demo accounts even with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo accounts share a published password "
                f"({DEMO_PASSWORD!r}). Run with --force if you really want them here.")
        counts = demo_load()
        demo_giveback_load()  # signatories, released comments, the booklets
        self.stdout.write(self.style.SUCCESS(
            "Demo loaded: {municipalities} municipalities, {practices} practices and "
            "{entries} entries in bg-2016-2017. Accounts: organiser, officer, officer2, juror, "
            "juror2 (password {password}).".format(password=DEMO_PASSWORD, **counts)))
        self.stdout.write(
            "The organiser signs in with a second factor: add the secret "
            f"{demo_totp_secret()} to an authenticator app (time-based, 6 digits), or run "
            "`manage.py demo_code` for the current code.")
