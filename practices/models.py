"""A municipality's practices and their entries into thematic areas of an edition."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import Edition, LocalizedMixin, Municipality, ThematicArea

from .enums import EntryStatus, InnovationType


def practice_upload_name(*, practice_id: int, folder: str, filename: str) -> str:
    """Stored names never come from the user: a random name keeping a short known suffix,
    in the practice's folder (its photos, attachments and follow-up reports' photos)."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    return f"practices/{practice_id}/{folder}/{uuid.uuid4().hex}{suffix}"


def _safe_upload_name(folder: str, instance, filename: str) -> str:
    return practice_upload_name(practice_id=instance.practice_id, folder=folder,
                                filename=filename)


def photo_upload_to(instance, filename: str) -> str:
    return _safe_upload_name("photos", instance, filename)


def attachment_upload_to(instance, filename: str) -> str:
    return _safe_upload_name("attachments", instance, filename)


class Topic(models.Model):
    """A topic a practice is about (social care, digital services, participation...): the
    organiser's list (services.topic_save), named in both languages; officers choose from
    the active ones."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True,
                            help_text=_("Latin letters, digits and hyphens; used in the "
                                        "showcase's and the API's filters."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("offered to officers"), default=True,
        help_text=_("A topic no longer offered stays on the practices that have it."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "en").startswith("en"):
            return self.name_en
        return self.name


class Practice(LocalizedMixin, models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="practices", verbose_name=_("municipality"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    summary_en = models.TextField(_("summary in English"), blank=True, max_length=2000)
    problem = models.TextField(_("the problem it addresses"), blank=True, max_length=8000)
    problem_en = models.TextField(_("the problem it addresses, in English"), blank=True,
                                  max_length=8000)
    actions = models.TextField(_("what was done"), blank=True, max_length=8000)
    actions_en = models.TextField(_("what was done, in English"), blank=True, max_length=8000)
    partners = models.TextField(_("partners"), blank=True, max_length=4000)
    partners_en = models.TextField(_("partners, in English"), blank=True, max_length=4000)
    budget = models.TextField(_("budget and funding"), blank=True, max_length=4000)
    budget_en = models.TextField(_("budget and funding, in English"), blank=True,
                                 max_length=4000)
    budget_amount = models.DecimalField(_("budget amount"), max_digits=14, decimal_places=2,
                                        null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, default="BGN", blank=True)
    results = models.TextField(_("results and figures"), blank=True, max_length=8000)
    results_en = models.TextField(_("results and figures, in English"), blank=True,
                                  max_length=8000)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    implemented_on = models.DateField(
        _("implemented on"), null=True, blank=True,
        help_text=_("When the practice was implemented (or its main part completed)."))
    is_sustained = models.BooleanField(
        _("sustained practice, substantially upgraded"), default=False,
        help_text=_("A practice applied for longer that was substantially upgraded recently."))
    upgrade_description = models.TextField(_("how it was upgraded"), blank=True,
                                           max_length=4000)
    upgrade_description_en = models.TextField(_("how it was upgraded, in English"),
                                              blank=True, max_length=4000)
    upgraded_on = models.DateField(_("upgraded on"), null=True, blank=True)
    links = models.TextField(_("links"), blank=True, max_length=2000,
                             help_text=_("One address per line."))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    innovation_type = models.CharField(_("kind of innovation"), max_length=16, blank=True,
                                       choices=InnovationType.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="practices",
                                    verbose_name=_("topics"))
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"), default=False,
        help_text=_("Made up for the demonstration; not a real entry of the programme."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["municipality", "title"]

    def __str__(self) -> str:
        return self.display_title

    def link_list(self) -> list[str]:
        """The web addresses given, one per line; anything but http(s) is left out, so a
        `javascript:` address can never become a link."""
        return [line.strip() for line in self.links.splitlines()
                if line.strip().lower().startswith(("http://", "https://"))]


class Photo(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("practice"))
    image = models.ImageField(_("image"), upload_to=photo_upload_to,
                              width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, editable=False, verbose_name=_("height"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(_("description for screen readers"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["practice", "order", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Attachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("practice"))
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["practice", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class Entry(models.Model):
    """One practice entered into one thematic area of one edition."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="entries",
                                 verbose_name=_("practice"))
    area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_("thematic area"))
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("edition"))
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices,
                              default=EntryStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("withdrawn by"))
    eligibility_reason = models.TextField(_("reason for the eligibility decision"), blank=True)
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("eligibility decided by"))
    eligibility_decided_at = models.DateTimeField(_("eligibility decided at"), null=True,
                                                  blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["edition", "area", "id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "area"], name="entry_practice_area_unique",
                                    violation_error_message=_(
                                        "This practice is already entered in this area.")),
        ]

    def __str__(self) -> str:
        return f"{self.practice} ({self.area.code})"

    def clean(self) -> None:
        if self.area_id and self.edition_id and self.area.edition_id != self.edition_id:
            raise ValidationError({"area": _("The area belongs to another edition.")})


class ClassificationCheck(models.Model):
    """An organiser checked (and perhaps corrected) a practice's kind of innovation and
    topics: who, when, what it was and what it is now (services.practice_classification_check)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE,
                                 related_name="classification_checks",
                                 verbose_name=_("practice"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    innovation_type_before = models.CharField(max_length=16, blank=True,
                                              verbose_name=_("innovation type before"))
    innovation_type = models.CharField(_("kind of innovation"), max_length=16, blank=True,
                                       choices=InnovationType.choices)
    topics_before = models.JSONField(default=list, blank=True, verbose_name=_("topics before"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("classification check")
        verbose_name_plural = _("classification checks")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.practice_id} @ {self.at:%Y-%m-%d}"

    @property
    def corrected(self) -> bool:
        return (self.innovation_type != self.innovation_type_before
                or sorted(self.topics) != sorted(self.topics_before))


class DeadlineReminder(models.Model):
    """A reminder of the deadline sent to a municipality's officers: sent once per edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("edition"))
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE,
                                     related_name="deadline_reminders",
                                     verbose_name=_("municipality"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "municipality"],
                                    name="deadline_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.municipality_id}"


class OrganiserDigest(models.Model):
    """The organisers' daily digest of an open call: the day it covers (in the site's time
    zone), what was new (officer registrations, entries submitted) and how many organisers
    were e-mailed (none on a day with nothing new). One per day."""

    day = models.DateField(_("day"), unique=True)
    since = models.DateTimeField(_("since"))
    until = models.DateTimeField(_("until"))
    registrations = models.PositiveIntegerField(_("new registrations"), default=0)
    entries = models.PositiveIntegerField(_("new entries"), default=0)
    sent_to = models.PositiveIntegerField(_("organisers e-mailed"), default=0)

    class Meta:
        verbose_name = _("organisers' digest")
        verbose_name_plural = _("organisers' digests")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.registrations} + {self.entries}"
