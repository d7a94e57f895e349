from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficerStatus(models.TextChoices):
    """Where a municipal officer's request to act for a municipality stands."""

    NONE = "", _("Not an officer")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")

    # Whose request an organiser may still approve or reject: a decision is final.
    decidable = nonmember(("pending",))


class ConsentPurpose(models.TextChoices):
    """What a person agreed to the privacy notice for (privacy: consent records)."""

    REGISTRATION = "registration", _("Registration as a municipal officer")
    JURY = "jury", _("Acceptance of a jury invitation")


class PrivacyEventKind(models.TextChoices):
    """What the privacy services did to someone's personal data (read by the audit log)."""

    ERASURE = "erasure", _("Personal data erased")
    REGISTRATION_REMOVED = "registration_removed", _("Unapproved registration removed")
    INVITATION_REMOVED = "invitation_removed", _("Unused jury invitation removed")
