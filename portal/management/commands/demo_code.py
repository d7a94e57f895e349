from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import demo_totp_code


class Command(BaseCommand):
    help = ("Print the current code of the demo organiser's authenticator app (the demo's "
            "published secret), for signing in to the demo without an app.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: the demo's second factor is for the demo only.")
        self.stdout.write(demo_totp_code())
