from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .enums import OfficerStatus


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
