from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded")

    # Still being written by the chair.
    editable = nonmember(("draft",))


# The flags of a ranking result that mean the numbers cannot decide the place alone (the
# engine's names, scoring.engine.constants): the decision must justify such a place.
DELIBERATED_FLAGS = ("indistinguishable", "polarised")
