from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Publishing or unpublishing a run (a save of scoring.RankingRun) or changing an
        # edition's phase makes the cached public pages stale: see portal/cache.py.
        from django.db.backends.signals import connection_created

        from . import checks, signals  # noqa: F401 - checks registers itself
        from .search import register_sqlite_functions

        signals.connect(self)
        connection_created.connect(register_sqlite_functions,
                                   dispatch_uid="portal_register_sqlite_functions")
