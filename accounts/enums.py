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


class EmailStatus(models.TextChoices):
    """Where an e-mail of the outbox stands."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailKind(models.TextChoices):
    """What an e-mail is about: the name of its template (`<app>/email/<kind>`)."""

    OFFICER_REGISTERED = "officer_registered", _("New officer registration")
    OFFICER_DECIDED = "officer_decided", _("Officer request decided")
    EMAIL_CHANGE = "email_change", _("E-mail address change")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PHASE_HELD = "phase_held", _("Phase change waiting")
    DEADLINE_REMINDER = "deadline_reminder", _("Submission deadline reminder")
    ENTRY_SUBMITTED = "entry_submitted", _("Entry submitted")
    ENTRY_WITHDRAWN = "entry_withdrawn", _("Entry withdrawn")
    ELIGIBILITY_DECIDED = "eligibility_decided", _("Eligibility decided")
    JURY_INVITATION = "jury_invitation", _("Jury invitation")
    JURY_ASSIGNED = "jury_assigned", _("Entries assigned to a juror")
    JURY_REMINDER = "jury_reminder", _("Jury review reminder")
    ORGANISER_DIGEST = "organiser_digest", _("Organisers' daily digest")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    RESULTS_CHANGED = "results_changed", _("Results changed")
    RESULTS_WITHDRAWN = "results_withdrawn", _("Results withdrawn")
    NEW_SIGN_IN = "new_sign_in", _("Sign-in from a new browser or network")
    FOLLOW_UP_REQUESTED = "follow_up_requested", _("Follow-up report requested")
    FOLLOW_UP_DECIDED = "follow_up_decided", _("Follow-up report checked")
    ADOPTED = "adopted", _("Practice adopted by another municipality")
    QUESTION = "question", _("Question from another municipality")
    ANSWER = "answer", _("Answer to a question")


class ConsentPurpose(models.TextChoices):
    """What a person agreed to the privacy notice for (privacy: consent records)."""

    REGISTRATION = "registration", _("Registration as a municipal officer")
    JURY = "jury", _("Acceptance of a jury invitation")


class PrivacyEventKind(models.TextChoices):
    """What the privacy services did to someone's personal data (read by the audit log)."""

    ERASURE = "erasure", _("Personal data erased")
    REGISTRATION_REMOVED = "registration_removed", _("Unapproved registration removed")
    INVITATION_REMOVED = "invitation_removed", _("Unused jury invitation removed")


class SecondFactorAction(models.TextChoices):
    """What happened to a person's second factor (recorded in the audit log)."""

    ENROLLED = "enrolled", _("Authenticator app set up")
    RECOVERY_USED = "recovery_used", _("Recovery code used")
    RECOVERY_RENEWED = "recovery_renewed", _("New recovery codes")
    REMOVED = "removed", _("Second factor turned off")
    RESET = "reset", _("Second factor reset by an organiser")
