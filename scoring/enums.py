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


# What a ranking run is doing, as stored in RankingRun.progress_message.
RUN_STAGES = {
    "queued": _("Waiting for a worker"),
    "loading": _("Reading the jury sheets"),
    "ranking": _("Ranking and resampling the jury"),
    "sensitivity": _("Comparing methods and weights"),
    "storing": _("Saving the results"),
    "done": _("Done"),
    "failed": _("Failed"),
}

# The engine's flags on a result, as the organiser reads them.
RESULT_FLAGS = {
    "insufficient_reviews": _("Too few jury sheets"),
    "polarised": _("Jurors disagree strongly"),
    "shared_rank": _("Tie: shares its rank"),
    "tie_broken_by_criteria": _("Tie broken by the criteria"),
    "indistinguishable": _("Uncertain order with a neighbour"),
}
