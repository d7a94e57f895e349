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


class SecondFactorAction(models.TextChoices):
    """What happened to a person's second factor (recorded in the audit log)."""

    ENROLLED = "enrolled", _("Authenticator app set up")
    RECOVERY_USED = "recovery_used", _("Recovery code used")
    RECOVERY_RENEWED = "recovery_renewed", _("New recovery codes")
    REMOVED = "removed", _("Second factor turned off")
    RESET = "reset", _("Second factor reset by an organiser")
