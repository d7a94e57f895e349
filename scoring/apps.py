from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Jury and rankings")

    def ready(self) -> None:
        # The officer's pages (practices) show each entry's public result: this app, above
        # practices, passes down the one definition of it.
        from practices.selectors import entry_results_source_register

        from .selectors.public import entry_results_public

        entry_results_source_register(entry_results_public)

        from . import phase_checks

        phase_checks.register()

        # Every edition judges in round 1 at least, whose dates follow the edition's review
        # (scoring.services.rounds): however the edition was made or changed.
        from django.db.models.signals import post_save

        from competitions.models import Edition

        post_save.connect(_edition_saved, sender=Edition, dispatch_uid="scoring_rounds_sync")

        # A copied edition has every round set up as the edition's (competitions knows no
        # rounds: this app, above it, registers the step).
        from competitions.services import edition_copy_step_register

        from .services.rounds import rounds_copy

        edition_copy_step_register(rounds_copy)


def _edition_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loading a fixture: its rounds come with it
        return
    from .services.rounds import rounds_sync

    rounds_sync(edition=instance)
