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
