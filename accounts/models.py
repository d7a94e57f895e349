from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .enums import OfficerStatus, SecondFactorAction


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""),
                                    name="user_email_unique_ci"),
        ]

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
