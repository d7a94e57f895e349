from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GivebackConfig(AppConfig):
    name = "giveback"
    verbose_name = _("What the programme gives back")

    def ready(self) -> None:
        # The officer's dashboard (practices) shows each entry's public result; this app,
        # above scoring, adds the links to the entry's feedback report and certificate.
        from practices.selectors import entry_results_source_register

        from .selectors import entry_results_with_giveback

        entry_results_source_register(entry_results_with_giveback)
