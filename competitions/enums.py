from enum import nonmember

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

    # While the set-up that decisions depend on (criteria, weights, rubric, scale, areas,
    # awards, minimum of sheets) may still change without an unlock.
    setup_editable = nonmember(("draft", "open"))
    # The phases the beat task moves on when their date passes.
    date_driven = nonmember(("draft", "open", "review"))
    # While entries are assigned to jurors and scored: jurors are told of new assignments.
    assignable = nonmember(("open", "review"))


PHASE_ORDER = [p.value for p in Phase]


class MunicipalityKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT_ADMINISTRATION = "district_administration", _("District administration")


class ConflictScope(models.TextChoices):
    """Which entries a juror may never be assigned, beyond declared conflicts."""

    MUNICIPALITY = "municipality", _("Their own municipality")
    REGION = "region", _("Their own region")
