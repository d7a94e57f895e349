from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import LocalizedMixin

from .enums import (
    ConsentPurpose,
    EmailKind,
    EmailStatus,
    OfficerStatus,
    PrivacyEventKind,
    SecondFactorAction,
)

# What makes a person's role (organiser, administrator, active account, officer of which
# municipality): their changes are kept in history and shown in the audit log. An officer's
# approval or rejection is recorded by the decision itself (`officer_decided_by`/`_at`).
ROLE_FIELDS = ("is_staff", "is_superuser", "is_active", "municipality")
# History keeps the user name (the audit log's subject) and the role fields, nothing else.
_NOT_IN_HISTORY = ["password", "last_login", "first_name", "last_name", "email", "date_joined",
                   "position", "phone", "officer_status", "officer_decided_by",
                   "officer_decided_at", "language", "erased_at"]


class User(AbstractUser):
    """A person. Roles come from data: staff are organisers, an approved municipality makes
    an officer, a jury membership (scoring) makes a juror."""

    municipality = models.ForeignKey(
        "competitions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="officers", verbose_name=_("municipality"))
    officer_status = models.CharField(_("officer status"), max_length=16, blank=True,
                                      choices=OfficerStatus.choices, default=OfficerStatus.NONE)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    officer_decided_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"))
    officer_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES,
        help_text=_("The language of the e-mails this person receives."))
    # privacy: when an organiser erased this person's personal data (the account stays,
    # pseudonymised, so that their sheets and entries keep their place in the results)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True,
                                     editable=False)

    history = HistoricalRecords(excluded_fields=_NOT_IN_HISTORY)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""),
                                    name="user_email_unique_ci"),
        ]

    def save(self, *args, **kwargs):
        """A save of named fields none of which makes the role (a sign-in's `last_login`, a
        language, an e-mail address) leaves no history record."""
        update_fields = kwargs.get("update_fields")
        role_names = {*ROLE_FIELDS, "municipality_id"}
        skipping = "skip_history_when_saving" in self.__dict__  # set by a caller already
        if update_fields is not None and not role_names & set(update_fields) and not skipping:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                self.__dict__.pop("skip_history_when_saving", None)
        return super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        """The name shown everywhere; an erased person's pseudonym, in the reader's language."""
        if self.erased_at is not None:
            return gettext("Erased person %(code)s") % {"code": self.last_name}
        return super().get_full_name()

    @property
    def is_approved_officer(self) -> bool:
        return (self.is_active and self.officer_status == OfficerStatus.APPROVED
                and self.municipality_id is not None)


class SignInUnlock(models.Model):
    """An organiser lifted a sign-in lockout before it ran out: for which user name and
    address, how many failed sign-ins it forgot, who and when (read by the audit log)."""

    username = models.CharField(_("user name"), max_length=255)
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    failures = models.PositiveIntegerField(_("failed sign-ins"))
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-in unlock")
        verbose_name_plural = _("sign-in unlocks")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address} ({self.at:%Y-%m-%d %H:%M})"


class EmailChange(models.Model):
    """A request to change a person's e-mail address (the address their sign-in and
    password resets go to): who asked, from which address to which, and when the person
    confirmed it from the old address. Nothing changes until then (read by the audit log)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes",
                             verbose_name=_("user"))
    old_email = models.EmailField(_("old e-mail address"))
    new_email = models.EmailField(_("new e-mail address"))
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail address change")
        verbose_name_plural = _("e-mail address changes")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email}"


class OutboxEmail(models.Model):
    """One e-mail to one person, written by the single e-mail path (`accounts.mail`): to
    whom, what about, in which language, when it was queued and sent, or why it failed. The
    body is not kept (it may hold links that sign a person in); the recipient is the one
    field `recipient`, so erasing a person blanks it in one update."""

    recipient = models.EmailField(_("recipient"), db_index=True)
    kind = models.CharField(_("kind"), max_length=40, choices=EmailKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=EmailStatus.choices,
                              default=EmailStatus.QUEUED)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-queued_at"], name="outbox_kind_queued"),
                   models.Index(fields=["status", "-queued_at"], name="outbox_status_queued")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.queued_at:%Y-%m-%d %H:%M})"


# --- privacy (GDPR): the notice, consents to it, and what the privacy services did ----------
class PrivacyNotice(LocalizedMixin, models.Model):
    """One published version of the privacy notice, kept for good: a consent names the
    version the person read. Organisers publish a new version (accounts.privacy); none is
    ever changed or deleted."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    body = models.TextField(_("text"), max_length=50000)
    body_en = models.TextField(_("text in English"), max_length=50000)
    changes = models.CharField(_("what changed"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), editable=False)
    published_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False,
                                     verbose_name=_("published by"))

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.display_title} (v{self.version})"


class Consent(models.Model):
    """A person agreed to a version of the privacy notice: who, which version, when, and what
    for (the purpose, and the edition of a jury invitation)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("person"))
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("privacy notice"))
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    context = models.CharField(_("for"), max_length=200, blank=True,
                               help_text=_("The edition of a jury invitation."))
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · v{self.notice.version}"


class PrivacyEvent(models.Model):
    """An erasure or a removal by the retention task: what, when and by whom (nobody: the
    task). The subject is a pseudonym or an id, never the person's name or address."""

    kind = models.CharField(_("what"), max_length=32, choices=PrivacyEventKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"


class SecondFactorEvent(models.Model):
    """Something that happened to a person's second factor (accounts.second_factor): set
    up, a recovery code used, new recovery codes, turned off by the person, or reset by an
    organiser; who did it and when (read by the audit log). No secret is kept here."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=20, choices=SecondFactorAction.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("second factor event")
        verbose_name_plural = _("second factor events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} ({self.at:%Y-%m-%d %H:%M})"


class KnownSignIn(models.Model):
    """A browser and network a staff member has signed in from (accounts.second_factor):
    a sign-in from one not seen before sends them a notice. Only the browser's description
    and the network (an IPv4 /24 or IPv6 /48), not the full address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    browser = models.CharField(_("browser"), max_length=200, blank=True)
    network = models.CharField(_("network"), max_length=64, blank=True)
    first_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)

    class Meta:
        verbose_name = _("known sign-in")
        verbose_name_plural = _("known sign-ins")
        constraints = [models.UniqueConstraint(fields=["user", "fingerprint"],
                                               name="known_sign_in_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.browser} {self.network}"
