from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")

    # Entries a juror may be asked to score: entered and not turned away (the automatic and
    # the manual assignment, and the organiser's "assign by hand" list).
    assignable = nonmember(("submitted", "eligible"))
