from enum import nonmember

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.engine.constants import TRIM_MIN_SHEETS


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class RankingMethod(models.TextChoices):
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
    MEDIAN = "median", _("Median of sheets")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean")
    ZSCORE = "zscore", _("Standardised per juror (z-score)")


def ranking_method_description(method: str) -> str:
    """How a method turns the jury sheets into criterion scores and a total, in plain words
    (the public methodology of a run). The trimmed-mean threshold is the engine's."""
    total = gettext("The total is the weighted mean of the criterion scores with the "
                    "weights above.")
    parts = {
        RankingMethod.WEIGHTED_MEAN: gettext(
            "Each criterion's score is the mean of the entry's jury sheets."),
        RankingMethod.MEDIAN: gettext(
            "Each criterion's score is the median of the entry's jury sheets (the mean of "
            "the two middle ones when their number is even), so a single unusually high or "
            "low sheet does not move it."),
        RankingMethod.TRIMMED_MEAN: gettext(
            "Each criterion's score is the mean of the entry's jury sheets without the "
            "highest and the lowest one when the entry has at least %(count)s sheets (with "
            "fewer, the plain mean).") % {"count": TRIM_MIN_SHEETS},
        RankingMethod.ZSCORE: gettext(
            "Each juror's scores are first standardised over the entries they scored in the "
            "thematic area (how far above or below their own average each score lies), then "
            "mapped back onto the scale with the area's overall mean and spread: this "
            "removes the effect of lenient and severe jurors. Each criterion's score is the "
            "mean of these values over the entry's sheets. Ranks use the exact values; the "
            "scores shown are kept within the scale."),
    }
    if method not in parts:
        return ""
    return f"{parts[method]} {total}"


class AgreementStatistic(models.TextChoices):
    """The inter-rater agreement statistics the engine reports (its `agreement_statistic`)."""

    KRIPPENDORFF_ALPHA_INTERVAL = "krippendorff_alpha_interval", _(
        "Krippendorff's alpha, interval scale")


def agreement_statistic_label(value: str) -> str:
    """The translated name of an agreement statistic; a name the engine no longer reports
    (an old run's report) is shown as it was stored."""
    if value in AgreementStatistic.values:
        return str(AgreementStatistic(value).label)
    return value


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class LeftOutReason(models.TextChoices):
    """Why a ranking run did not rank an entry that was entered (recorded in its snapshot)."""

    UNDECIDED = "undecided", _("Submitted, no eligibility decision yet")
    INELIGIBLE = "ineligible", _("Ineligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INSUFFICIENT_REVIEWS = "insufficient_reviews", _("Too few jury sheets")


class PublicationAction(models.TextChoices):
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")


class PublicationNotice(models.TextChoices):
    """What the municipalities' officers were told of a publication event. They hear of the
    first publication, of changed places and of a withdrawal, never the same places twice."""

    NONE = "", _("no e-mail")
    PUBLISHED = "published", _("results published")
    CHANGED = "changed", _("results changed")
    UNCHANGED = "unchanged", _("no e-mail: the places they were told stand")
    WITHDRAWN = "withdrawn", _("results withdrawn for review")

    # The notices that told officers places: a later run is compared with the last of these.
    announcing = nonmember(("published", "changed"))


# What a ranking run is doing, as stored in RankingRun.progress_message.
RUN_STAGES = {
    "queued": _("Waiting for a worker"),
    "loading": _("Reading the jury sheets"),
    # The engine, the sensitivity report and the writing of the results overlap (the
    # ranking job's second thread), inside the results' transaction: one stage.
    "ranking": _("Ranking, comparing methods and saving the results"),
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


class ShortlistRule(models.TextChoices):
    """How the entries of a round after the first are chosen from the round before, per
    thematic area."""

    TOP_N = "top_n", _("The top N of each area")
    THRESHOLD = "threshold", _("Every entry at or above a total")
    BY_HAND = "by_hand", _("Chosen by hand")


class ShortlistSource(models.TextChoices):
    """Why an entry is on a round's shortlist."""

    RULE = "rule", _("By the round's rule")
    BY_HAND = "by_hand", _("Added by hand")
