from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")

    # Entries the jury is given and scores: received and not turned away (no eligibility
    # decision yet, or found eligible). Assignment, the juror's list, the sheets and the
    # progress board all use this one group.
    scorable = nonmember(("submitted", "eligible"))
    # Entries ranked, whose submitted sheets count: found eligible.
    ranked = nonmember(("eligible",))
    # Entries the organiser has received (submitted, whatever the eligibility decision).
    received = nonmember(("submitted", "eligible", "ineligible"))
    # Entries that may be submitted (again) while the edition is open.
    submittable = nonmember(("draft", "withdrawn"))
    # Entries that take a place of the municipality's quota in an area.
    active = nonmember(("draft", "submitted", "eligible", "ineligible"))


class InnovationType(models.TextChoices):
    """The kinds of innovation of the programme's own training material."""

    SERVICE = "service", _("Service innovation")
    PROCESS = "process", _("Process innovation")
    ORGANISATIONAL = "organisational", _("Organisational innovation")
    COMMUNICATION = "communication", _("Communication innovation")
