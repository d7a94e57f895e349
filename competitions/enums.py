from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The life of an edition, in order."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for submissions")
    REVIEW = "review", _("Jury review")
    RANKED = "ranked", _("Ranked")
    PUBLISHED = "published", _("Results published")
    ARCHIVED = "archived", _("Archived")


PHASE_ORDER = [p.value for p in Phase]


class MunicipalityKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT_ADMINISTRATION = "district_administration", _("District administration")


class ConflictScope(models.TextChoices):
    """Which entries a juror may never be assigned, beyond declared conflicts."""

    MUNICIPALITY = "municipality", _("Their own municipality")
    REGION = "region", _("Their own region")
