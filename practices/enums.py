from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
