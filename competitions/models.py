"""The competition as data: editions with their phases, thematic areas, criteria, municipalities."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import guards
from .enums import PHASE_ORDER, ConflictScope, MunicipalityKind, Phase
from .validators import validate_edition_slug, validate_time_zone


class LocalizedText(str):
    """A text that knows its language (`lang`): when it is not the UI's (`fallback`),
    pages say so (the `{% localized %}` tag of competitions.templatetags.localized)."""

    lang: str

    def __new__(cls, value: str, lang: str):
        text = super().__new__(cls, value)
        text.lang = lang
        return text

    def __getnewargs__(self):
        return (str(self), self.lang)

    @property
    def fallback(self) -> bool:
        return bool(self) and _base(self.lang) != _base(get_language() or "en")


def _base(language: str) -> str:
    return language.split("-")[0].lower()


class LocalizedMixin:
    """Content is written in the edition's own language, with an optional English version.

    The one home of the fallback: `localized("title")` gives the English text when the UI
    speaks English and one exists, else the text in the content's language, else the
    English one; either way a `LocalizedText` that says which language it is in. A field
    with no English version (`results`) is always in the content's language.
    """

    @property
    def content_language(self) -> str:
        """The language the content is written in besides English: an edition's own,
        else the default language of editions."""
        return Edition._meta.get_field("language").default

    def localized(self, field: str) -> LocalizedText:
        english = getattr(self, f"{field}_en", "")
        original = getattr(self, field) or ""
        if english and (_base(get_language() or "en") == "en" or not original):
            return LocalizedText(english, "en")
        return LocalizedText(original, self.content_language)

    def _display_title(self) -> str:
        return self.localized("title")

    _display_title.short_description = _("title")  # the admin's column heading
    display_title = property(_display_title)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def setup_locked_message(edition) -> str:
    return str(_("The set-up of “%(edition)s” is locked since the jury review began: criteria, "
                 "weights, rubric levels, the scale, areas, their awards and the minimum of "
                 "sheets stay as the jurors saw them. Copy the edition to change them, or unlock "
                 "the set-up on its console (only before any jury sheet is submitted).")
               % {"edition": edition.display_title})


def setup_is_locked(edition) -> bool:
    """The set-up decisions depend on is locked from the start of review, unless an organiser
    unlocked it (recorded) and no jury sheet has been submitted since. The one home of this
    rule: model `clean()`, the services and the admin all ask here."""
    if edition is None or edition.pk is None:
        return False
    phase = (Edition.objects.filter(pk=edition.pk).values_list("phase", flat=True).first()
             or edition.phase)
    if phase in Phase.setup_editable:
        return False
    unlocked = SetupUnlock.objects.filter(edition_id=edition.pk).exists()
    return not unlocked or bool(guards.blockers(guards.SETUP_UNLOCK, edition, timezone.now()))


def _refuse_if_setup_locked(edition, instance, fields: tuple[str, ...]) -> None:
    """A new or changed set-up record (`fields` compared with the database) of a locked
    edition is refused with the way out."""
    if instance.pk is not None:
        stored = type(instance).objects.filter(pk=instance.pk).values(*fields).first()
        if stored is not None and all(stored[name] == getattr(instance, name)
                                      for name in fields):
            return
    if setup_is_locked(edition):
        raise ValidationError(setup_locked_message(edition), code="setup_locked")


# The follow-up dates of an edition: set-up, editable while the set-up is open.
FOLLOW_UP_FIELDS = ("follow_up_first_months", "follow_up_second_months")


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (clamped to the month's last day)."""
    return months_before(day, -months)


class Edition(LocalizedMixin, models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True,
                            validators=[validate_edition_slug])
    country = models.CharField(_("country"), max_length=2, default="BG",
                               help_text=_("ISO 3166 two-letter code."))
    language = models.CharField(_("language of the content"), max_length=10, default="bg")
    year_label = models.CharField(_("year"), max_length=20, blank=True,
                                  help_text=_("As the programme names it, e.g. 2016/2017."))
    call_text = models.TextField(_("call for practices"), blank=True)
    call_text_en = models.TextField(_("call for practices in English"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Sofia",
                                 validators=[validate_time_zone],
                                 help_text=_("Deadlines are enforced in this time zone."))
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices,
                             default=Phase.DRAFT)

    submissions_open_at = models.DateTimeField(_("submissions open"))
    submissions_close_at = models.DateTimeField(_("submission deadline"))
    review_open_at = models.DateTimeField(_("jury review opens"))
    review_close_at = models.DateTimeField(_("jury review closes"))
    results_at = models.DateTimeField(_("results announced"), null=True, blank=True)

    eligibility_months = models.PositiveSmallIntegerField(
        _("eligibility window (months)"), default=18,
        help_text=_("Practices implemented or substantially upgraded within this many months "
                    "before the call are eligible."))
    max_entries_per_area = models.PositiveSmallIntegerField(
        _("entries per municipality per area"), default=1, validators=[MinValueValidator(1)])
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    min_sheets_per_entry = models.PositiveSmallIntegerField(
        _("minimum jury sheets per entry"), default=3, validators=[MinValueValidator(1)])
    jury_comments_required = models.BooleanField(
        _("jurors must comment on every criterion"), default=False)
    conflict_scope = models.CharField(
        _("jurors never score entries from"), max_length=16, choices=ConflictScope.choices,
        default=ConflictScope.MUNICIPALITY)
    # Follow-up of practices after the award (the uptake app asks the municipalities).
    follow_up_first_months = models.PositiveSmallIntegerField(
        _("first follow-up (months after publication)"), default=12,
        validators=[MinValueValidator(1)],
        help_text=_("The municipalities of published practices are asked what became of them "
                    "this many months after the results were published."))
    follow_up_second_months = models.PositiveSmallIntegerField(
        _("second follow-up (months after publication)"), null=True, blank=True, default=24,
        validators=[MinValueValidator(1)], help_text=_("Empty: no second follow-up."))

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-submissions_open_at"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=models.F("scale_max")),
                                   name="edition_scale_min_below_max"),
            models.CheckConstraint(
                condition=Q(submissions_open_at__lt=models.F("submissions_close_at"))
                & Q(submissions_close_at__lte=models.F("review_open_at"))
                & Q(review_open_at__lt=models.F("review_close_at")),
                name="edition_phase_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def content_language(self) -> str:
        return self.language or super().content_language

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if (self.scale_min is not None and self.scale_max is not None
                and self.scale_min >= self.scale_max):
            errors.setdefault("scale_max", []).append(
                _("The highest score must be above the lowest score (%(min)s).")
                % {"min": self.scale_min})
        order = [
            ("submissions_open_at", self.submissions_open_at),
            ("submissions_close_at", self.submissions_close_at),
            ("review_open_at", self.review_open_at),
            ("review_close_at", self.review_close_at),
            ("results_at", self.results_at),
        ]
        labels = {name: self._meta.get_field(name).verbose_name for name, _v in order}
        known = [(name, value) for name, value in order if value is not None]
        for (earlier, earlier_at), (later, later_at) in zip(known, known[1:], strict=False):
            overlapping = earlier_at > later_at if (earlier, later) in {
                ("submissions_close_at", "review_open_at"),
                ("review_close_at", "results_at")} else earlier_at >= later_at
            if overlapping:
                errors.setdefault(later, []).append(
                    _("“%(later)s” must come after “%(earlier)s”.")
                    % {"later": labels[later], "earlier": labels[earlier]})
        if errors:
            raise ValidationError(errors)
        if self.pk is not None:
            _refuse_if_setup_locked(self, self, ("scale_min", "scale_max",
                                                 "min_sheets_per_entry",
                                                 *FOLLOW_UP_FIELDS))

    # --- time, in the edition's own time zone -------------------------------------------
    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment, self.tz)

    def is_open_for_submissions(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return (self.phase == Phase.OPEN
                and self.submissions_open_at <= at < self.submissions_close_at)

    def is_in_review(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.phase == Phase.REVIEW and self.review_open_at <= at < self.review_close_at

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    @property
    def follow_up_months(self) -> list[int]:
        """When its published practices are followed up, in months after publication."""
        return sorted({months for months in (self.follow_up_first_months,
                                             self.follow_up_second_months) if months})

    @property
    def eligibility_window(self) -> tuple[dt.date, dt.date]:
        """Practices implemented or upgraded on a day inside this window (inclusive) qualify."""
        call_day = self.local(self.submissions_open_at).date()
        deadline_day = self.local(self.submissions_close_at).date()
        return months_before(call_day, self.eligibility_months), deadline_day


class ThematicArea(LocalizedMixin, models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="areas",
                                verbose_name=_("edition"))
    code = models.CharField(_("code"), max_length=10, help_text=_("E.g. I, II, III."))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    awards = models.PositiveSmallIntegerField(
        _("number of awards"), default=2, help_text=_("Places 1..N are awarded in this area."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        ordering = ["edition", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="area_code_unique_in_edition",
                                    violation_error_message=_(
                                        "This edition already has an area with this code.")),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.display_title}"

    def clean(self) -> None:
        if self.edition_id is not None:
            _refuse_if_setup_locked(self.edition, self, ("edition_id", "code", "order",
                                                         "awards"))


class Criterion(LocalizedMixin, models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria",
                                verbose_name=_("edition"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance for jurors"), blank=True)
    guidance_en = models.TextField(_("guidance for jurors in English"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=Decimal(1))
    order = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("Also the order in which ties are broken."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["edition", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive",
                                   violation_error_message=_("A weight must be above zero.")),
            models.UniqueConstraint(fields=["edition", "order"],
                                    name="criterion_order_unique_in_edition",
                                    violation_error_message=_(
                                        "Two criteria of an edition cannot share an order: "
                                        "the order breaks ties.")),
        ]

    def __str__(self) -> str:
        return self.display_title

    def clean(self) -> None:
        if self.weight is not None and self.weight <= 0:
            raise ValidationError({"weight": _("A weight must be above zero.")})
        if self.edition_id is not None:
            _refuse_if_setup_locked(self.edition, self, ("edition_id", "title", "title_en",
                                                         "weight", "order", "guidance",
                                                         "guidance_en"))


class RubricLevel(LocalizedMixin, models.Model):
    """What a score means on one criterion, as the organiser writes it for the jurors."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE,
                                  related_name="rubric_levels", verbose_name=_("criterion"))
    score = models.SmallIntegerField(_("score"))
    description = models.CharField(_("what it means"), max_length=300)
    description_en = models.CharField(_("what it means, in English"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["criterion", "score"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="rubric_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.score}: {self.localized('description')}"

    def clean(self) -> None:
        if self.criterion_id is not None:
            _refuse_if_setup_locked(self.criterion.edition, self, (
                "criterion_id", "score", "description", "description_en"))


class Municipality(models.Model):
    code = models.CharField(_("code"), max_length=20, blank=True,
                            help_text=_("EKATTE municipality code, where there is one."))
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120)
    region_en = models.CharField(_("region in English"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=MunicipalityKind.choices,
                            default=MunicipalityKind.MUNICIPALITY)
    country = models.CharField(_("country"), max_length=2, default="BG")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="districts", verbose_name=_("part of"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], condition=~Q(code=""),
                                    name="municipality_code_unique"),
            models.UniqueConstraint(fields=["country", "region", "name", "kind"],
                                    name="municipality_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "en").startswith("en"):
            return self.name_en
        return self.name

    @property
    def display_region(self) -> str:
        if self.region_en and (get_language() or "en").startswith("en"):
            return self.region_en
        return self.region


class PhaseTransition(models.Model):
    """One move of an edition from one phase to another: who (nobody: the beat task), when,
    and why where it was not the normal course. Written only by `edition_phase_change`."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE,
                                related_name="phase_transitions", verbose_name=_("edition"))
    source = models.CharField(_("from"), max_length=16, choices=Phase.choices)
    target = models.CharField(_("to"), max_length=16, choices=Phase.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["edition", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.edition.slug}: {self.source} → {self.target}"


class PhaseHold(models.Model):
    """A move the dates call for that cannot happen yet, and why: shown on the organiser's
    console; the organisers are e-mailed once, when the hold begins. Removed by the move."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="phase_holds",
                                verbose_name=_("edition"))
    target = models.CharField(_("to"), max_length=16, choices=Phase.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    since = models.DateTimeField(_("since"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)
    notified_at = models.DateTimeField(_("organisers told"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase hold")
        verbose_name_plural = _("phase holds")
        constraints = [
            models.UniqueConstraint(fields=["edition", "target"], name="phase_hold_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug} → {self.target}"


class SetupUnlock(models.Model):
    """An organiser unlocked the set-up of an edition in review (criteria, weights, rubric,
    scale, areas, awards, minimum of sheets): refused, and void, once any sheet is submitted."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="setup_unlocks",
                                verbose_name=_("edition"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("set-up unlock")
        verbose_name_plural = _("set-up unlocks")
        ordering = ["edition", "at"]

    def __str__(self) -> str:
        return f"{self.edition.slug}: {self.at:%Y-%m-%d %H:%M}"
