"""`runserver` with the beat's schedule in a thread (portal.embedded_beat): `make run`."""

from django.core.management import get_commands, load_command_class

from portal.embedded_beat import embedded_beat_start

# whichever runserver the project uses (whitenoise's, which leaves static files to it)
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RunserverCommand):
    help = ("Start the development server and, without a broker, run the periodic tasks "
            "(CELERY_BEAT_SCHEDULE) in a thread of the serving process.")

    def inner_run(self, *args, **options):
        # the serving process (under the autoreloader, the child that restarts on changes)
        if embedded_beat_start():
            self.stdout.write("Periodic tasks run in this process (no broker: embedded beat).")
        return super().inner_run(*args, **options)
