"""Follow-up reports on published practices, adoptions by other municipalities and the
questions municipalities send each other about a practice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import Edition, Municipality
from practices.models import Practice, practice_upload_name

from .enums import AdoptionKind, FollowUpStatus, PracticeState


class FollowUpReport(models.Model):
    """What became of a published practice, `months` after its edition's results were
    published: asked for by the beat task, written by the municipality's officers, checked
    by an organiser before the public sees it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="follow_ups",
                                 verbose_name=_("practice"))
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("edition"))
    months = models.PositiveSmallIntegerField(_("months after publication"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=16, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.REQUESTED)
    state = models.CharField(_("the practice is"), max_length=16, blank=True,
                             choices=PracticeState.choices)
    figures = models.TextField(_("figures"), blank=True, max_length=4000,
                               help_text=_("What it achieved since, in numbers."))
    text = models.TextField(_("what became of it"), blank=True, max_length=4000)
    requested_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("sent by"))
    decided_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    rejection_reason = models.TextField(_("reason for sending it back"), blank=True,
                                        max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["practice", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "edition", "months"],
                                    name="follow_up_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.practice} (+{self.months})"


def follow_up_photo_upload_to(instance, filename: str) -> str:
    return practice_upload_name(practice_id=instance.report.practice_id, folder="follow-ups",
                                filename=filename)


class FollowUpPhoto(models.Model):
    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("follow-up report"))
    image = models.ImageField(_("image"), upload_to=follow_up_photo_upload_to,
                              width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, editable=False, verbose_name=_("height"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(_("description for screen readers"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up photo")
        verbose_name_plural = _("follow-up photos")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Adoption(models.Model):
    """A municipality adopted or adapted another's published practice (its officer says so)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adoptions",
                                 verbose_name=_("practice"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="adoptions", verbose_name=_("municipality"))
    kind = models.CharField(_("how"), max_length=16, choices=AdoptionKind.choices,
                            default=AdoptionKind.ADOPTED)
    adopted_on = models.DateField(_("since"))
    note = models.TextField(_("note"), blank=True, max_length=2000,
                            help_text=_("What you took over and what you changed."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["practice", "adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "municipality"],
                                    name="adoption_once_per_municipality",
                                    violation_error_message=_(
                                        "Your municipality already recorded this practice.")),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ← {self.practice}"


class Question(models.Model):
    """A question an officer sent to the municipality of a published practice. Neither
    side's address is shown: the answer goes through the portal (`QuestionReply`)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questions",
                                 verbose_name=_("practice"))
    from_municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("from"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+", verbose_name=_("asked by"))
    text = models.TextField(_("question"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_municipality} → {self.practice}"


class QuestionReply(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies",
                                 verbose_name=_("question"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("answered by"))
    text = models.TextField(_("answer"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.created_at:%Y-%m-%d}"
