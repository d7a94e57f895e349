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

# Why a place needs the jury's word (evidence shown on the decision form).
EVIDENCE_LABELS = {
    "indistinguishable": _("Statistically indistinguishable from a neighbour"),
    "polarised": _("The jurors disagree strongly (polarised jury)"),
    "moves": _("The place moves under another method or a ±10% weight"),
}
