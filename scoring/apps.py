from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Jury and rankings")

    def ready(self) -> None:
        from . import phase_checks

        phase_checks.register()
