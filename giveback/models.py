"""What the programme gives back from a published result: the organiser's release of the
jury's comments, the signatories of the certificates, the booklet's introduction, and the
booklets themselves (stored with the run they print)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import Criterion, Edition, LocalizedMixin
from scoring.enums import RunStatus
from scoring.models import JurySheet, RankingRun

from .enums import BOOKLET_STAGES, CommentDecision


class CommentRelease(models.Model):
    """The organiser's decision on one jury comment (a criterion's, or the sheet's overall
    comment when `criterion` is empty): released as `text` (possibly edited) or withheld.
    Only released comments reach the municipality, never with the juror's name. Written by
    `comment_release_decide`; every change is in its history."""

    sheet = models.ForeignKey(JurySheet, on_delete=models.CASCADE, related_name="releases",
                              verbose_name=_("jury sheet"))
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("criterion"))
    decision = models.CharField(_("decision"), max_length=16, choices=CommentDecision.choices)
    text = models.TextField(_("text released"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment release")
        verbose_name_plural = _("comment releases")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"],
                                    name="comment_release_unique"),
            models.UniqueConstraint(fields=["sheet"], condition=Q(criterion__isnull=True),
                                    name="comment_release_overall_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.criterion_id or '-'}: {self.decision}"


class Signatory(LocalizedMixin, models.Model):
    """Who signs an edition's certificates (name and role, in the edition's language and
    in English), in order."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="signatories",
                                verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200)
    role_en = models.CharField(_("role in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class BookletIntroduction(LocalizedMixin, models.Model):
    """The organiser's introduction that opens an edition's booklet, in both languages."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE,
                                   related_name="booklet_introduction",
                                   verbose_name=_("edition"))
    text = models.TextField(_("introduction"), blank=True)
    text_en = models.TextField(_("introduction in English"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booklet introduction")
        verbose_name_plural = _("booklet introductions")

    def __str__(self) -> str:
        return str(self.edition)


def booklet_upload_to(booklet: "Booklet", filename: str) -> str:
    return f"booklets/{booklet.run_id}/{filename}"


class Booklet(models.Model):
    """The booklet of a ranking run in one language: made once by the Celery task (with its
    progress), kept with the run; a new published run makes a new booklet."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="booklets",
                            verbose_name=_("ranking run"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True,
                                        default="queued")
    file = models.FileField(_("file"), upload_to=booklet_upload_to, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booklet")
        verbose_name_plural = _("booklets")
        constraints = [
            models.UniqueConstraint(fields=["run", "language"], name="booklet_unique_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.language} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def stage_label(self) -> str:
        return str(BOOKLET_STAGES.get(self.progress_message, self.progress_message))
