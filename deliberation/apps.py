from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """After the jury has scored: each area's chair, the panel that sees the area's sheets
    once its members have submitted their own, its discussion, and the decision on the
    record that is published beside the computed ranking."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        # Where an area has a recorded decision, its places are the published ones: scoring
        # (below this app) asks for them through its one definition of the published place.
        from scoring.selectors.public import decided_places_register

        from . import rules  # noqa: F401 - registers the permissions
        from .selectors import decided_places

        decided_places_register(decided_places)
