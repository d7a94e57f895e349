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
        from . import rules  # noqa: F401 - registers the permissions
