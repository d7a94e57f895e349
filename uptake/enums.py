from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked for")
    SUBMITTED = "submitted", _("Sent for checking")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")

    # Reports the municipality's officers may (still) write and send.
    writable = nonmember(("requested", "rejected"))
    # Reports waiting for an organiser's check.
    checkable = nonmember(("submitted",))
    # Reports shown on the public practice page (when the practice itself is public).
    public = nonmember(("approved",))


class PracticeState(models.TextChoices):
    RUNNING = "running", _("Still running")
    EXTENDED = "extended", _("Extended")
    STOPPED = "stopped", _("Stopped")


class AdoptionKind(models.TextChoices):
    ADOPTED = "adopted", _("Adopted as it is")
    ADAPTED = "adapted", _("Adapted")
