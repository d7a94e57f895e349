from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UptakeConfig(AppConfig):
    """What became of practices after the award, and how they spread: follow-up reports,
    adoptions by other municipalities, questions between municipalities."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "uptake"
    verbose_name = _("Follow-up and adoption")
