"""Chairs, panel comments and the areas' decisions on the record."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import Edition, ThematicArea
from practices.models import Entry
from scoring.models import JudgingRound, JuryMember, RankingRun

from .enums import DecisionStatus


class AreaChairQuerySet(models.QuerySet):
    def seated(self) -> "AreaChairQuerySet":
        """Chairs still on their area's jury (`JuryMember.objects.judging`): a chair
        removed from the jury keeps the record of the appointment and chairs nothing."""
        return self.filter(Exists(
            JuryMember.objects.judging(OuterRef("area_id"),
                                       edition_id=OuterRef("area__edition_id"))
            .filter(user_id=OuterRef("user_id"))))


class AreaChair(models.Model):
    """The chair of a thematic area's panel: one per area (an area belongs to one edition),
    appointed by an organiser among the area's jury."""

    area = models.OneToOneField(ThematicArea, on_delete=models.CASCADE, related_name="chair",
                                verbose_name=_("thematic area"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="chaired_areas", verbose_name=_("chair"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("appointed by"))
    appointed_at = models.DateTimeField(_("appointed at"), auto_now=True)
    history = HistoricalRecords()
    objects = AreaChairQuerySet.as_manager()

    class Meta:
        verbose_name = _("area chair")
        verbose_name_plural = _("area chairs")
        ordering = ["area__edition", "area__order", "area__code"]

    def __str__(self) -> str:
        return f"{self.area.code}: {self.user.get_full_name() or self.user.username}"


class PanelSettings(models.Model):
    """How the panels of an edition show the jurors: by name, or as Juror A, B, ..."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE,
                                   related_name="panel_settings", verbose_name=_("edition"))
    show_names = models.BooleanField(
        _("show jurors' names on the panel"), default=False,
        help_text=_("Otherwise the panel calls them Juror A, Juror B, ..."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel settings")
        verbose_name_plural = _("panel settings")

    def __str__(self) -> str:
        return self.edition.slug


class PanelComment(models.Model):
    """A panel member's word on an entry in the area's discussion of a round."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="panel_comments",
                              verbose_name=_("entry"))
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE,
                              related_name="panel_comments", verbose_name=_("round"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="panel_comments", verbose_name=_("author"))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel comment")
        verbose_name_plural = _("panel comments")
        ordering = ["entry", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.entry_id}"


class AreaDecision(models.Model):
    """The jury's decision for one area on one ranking run (a run belongs to one round of
    one edition, so the run is the key): draft while the chair writes it, then recorded."""

    run = models.ForeignKey(RankingRun, on_delete=models.PROTECT, related_name="decisions",
                            verbose_name=_("ranking run"))
    area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="decisions",
                             verbose_name=_("thematic area"))
    status = models.CharField(_("status"), max_length=16, choices=DecisionStatus.choices,
                              default=DecisionStatus.DRAFT)
    departs = models.BooleanField(_("departs from the computed ranking"), default=False)
    public_justification = models.TextField(_("public justification"), blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("chair"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area decision")
        verbose_name_plural = _("area decisions")
        constraints = [models.UniqueConstraint(fields=["run", "area"],
                                               name="area_decision_one_per_run_area")]

    def __str__(self) -> str:
        return f"{self.area.code} / run {self.run_id} ({self.status})"

    @property
    def is_editable(self) -> bool:
        """Still being written by the chair (`DecisionStatus.editable`)."""
        return self.status in DecisionStatus.editable


class DecisionPlace(models.Model):
    """One entry's place (or special mention) in a decision, with its justification."""

    decision = models.ForeignKey(AreaDecision, on_delete=models.CASCADE, related_name="places",
                                 verbose_name=_("decision"))
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("entry"))
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    computed_place = models.PositiveSmallIntegerField(_("computed place"), null=True,
                                                      blank=True)
    mention = models.BooleanField(_("special mention"), default=False)
    justification = models.TextField(_("justification"), blank=True)
    needs_justification = models.BooleanField(default=False, verbose_name=_("needs justification"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decided place")
        verbose_name_plural = _("decided places")
        ordering = ["decision", "place", "computed_place", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "entry"],
                                               name="decision_place_one_per_entry")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.place}"


class DecisionAgreement(models.Model):
    """A panel member's position on a decision that departs from the computed ranking."""

    decision = models.ForeignKey(AreaDecision, on_delete=models.CASCADE,
                                 related_name="agreements", verbose_name=_("decision"))
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("juror"))
    agrees = models.BooleanField(_("agrees"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now=True, verbose_name=_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel agreement")
        verbose_name_plural = _("panel agreements")
        constraints = [models.UniqueConstraint(fields=["decision", "juror"],
                                               name="decision_agreement_one_per_juror")]

    def __str__(self) -> str:
        return f"{self.juror_id}: {self.agrees}"
