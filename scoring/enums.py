from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class RankingMethod(models.TextChoices):
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
    MEDIAN = "median", _("Median of sheets")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean")
    ZSCORE = "zscore", _("Standardised per juror (z-score)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PublicationAction(models.TextChoices):
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")
