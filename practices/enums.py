from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")

    # Entries the organiser has received (submitted, whatever the eligibility decision).
    received = nonmember(("submitted", "eligible", "ineligible"))
    # Entries that may be submitted (again) while the edition is open.
    submittable = nonmember(("draft", "withdrawn"))
    # Entries that take a place of the municipality's quota in an area.
    active = nonmember(("draft", "submitted", "eligible", "ineligible"))
