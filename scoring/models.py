"""The jury, its sheets, and the ranking runs computed from them."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from competitions.models import Criterion, Edition, ThematicArea
from practices.models import Entry

from .enums import (
    RUN_STAGES,
    PublicationAction,
    PublicationNotice,
    RankingMethod,
    RunStatus,
    SheetStatus,
    ShortlistRule,
    ShortlistSource,
    ranking_method_description,
)
from .records import area_record, recorded_item


def seated_q(prefix: str = "") -> Q:
    """The one rule of a seat on the jury: the invitation was accepted (an invitation not
    yet accepted is no seat). `prefix`: the path to the membership from another model, as in
    `seated_q("juror__jury_memberships__")`, for filters that must hold on the same row."""
    return Q(**{f"{prefix}accepted_at__isnull": False})


class JuryMemberQuerySet(models.QuerySet):
    def seated(self) -> "JuryMemberQuerySet":
        """Members who accepted their invitation (`seated_q`)."""
        return self.filter(seated_q())

    def judging(self, area, edition_id=None) -> "JuryMemberQuerySet":
        """Seated, active members of the area's edition who judge the area (no areas
        chosen: every area): the area's jury, from which its chair is appointed and its
        panel drawn. `area` may be an OuterRef, with `edition_id` its edition's."""
        edition_id = area.edition_id if edition_id is None else edition_id
        return (self.seated().filter(edition_id=edition_id, user__is_active=True)
                .filter(Q(areas=area) | Q(areas__isnull=True)).distinct())


class JudgingRound(models.Model):
    """One round of judging of an edition. Every edition has round 1 (made with the edition:
    `scoring.services.rounds`); a round after the first scores only its shortlist, per area,
    on fresh sheets. The edition's review phase spans all rounds: round 1 opens with the
    edition's review and the final round closes with it (kept so by `rounds_sync`); each
    round's scoring is open between its own dates (`scoring.rules.round_scoring_open`)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rounds",
                                verbose_name=_("edition"))
    number = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1)])
    review_open_at = models.DateTimeField(_("scoring opens"))
    review_close_at = models.DateTimeField(_("scoring closes"))
    # The round's own criterion weights ({criterion id: weight}); empty: the edition's.
    weights = models.JSONField(_("criterion weights of the round"), default=dict, blank=True,
                               help_text=_("Empty: the edition's weights."))
    # How the entries of this round are chosen from the round before (rounds after the first).
    shortlist_rule = models.CharField(_("shortlist rule"), max_length=16,
                                      choices=ShortlistRule.choices, default=ShortlistRule.TOP_N)
    shortlist_top_n = models.PositiveSmallIntegerField(
        _("entries per area (top N)"), null=True, blank=True, validators=[MinValueValidator(1)])
    shortlist_threshold = models.DecimalField(
        _("lowest total shortlisted"), max_digits=7, decimal_places=3, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="round_number_unique",
                                    violation_error_message=_(
                                        "This edition already has a round with this number.")),
            models.CheckConstraint(condition=Q(review_open_at__lt=models.F("review_close_at")),
                                   name="round_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug} · {self.label}"

    @property
    def label(self) -> str:
        return str(_("Round %(number)s") % {"number": self.number})

    @property
    def is_first(self) -> bool:
        return self.number == 1


def _first_round_id(*, edition_id: int | None = None, entry_id: int | None = None
                    ) -> int | None:
    """Round 1 of an edition (or of an entry's edition), in one query."""
    rounds = JudgingRound.objects.filter(number=1)
    rounds = (rounds.filter(edition_id=edition_id) if edition_id is not None
              else rounds.filter(edition__entries=entry_id))
    return rounds.values_list("pk", flat=True).first()


class JuryMember(models.Model):
    """A person invited to the jury of an edition, for some areas (none chosen: all areas)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="jury",
                                verbose_name=_("edition"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="jury_memberships", verbose_name=_("juror"))
    areas = models.ManyToManyField(ThematicArea, blank=True, related_name="jury",
                                   verbose_name=_("thematic areas"),
                                   help_text=_("Leave empty for all areas of the edition."))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # What the juror declared on joining: the affiliations the conflict rule reads
    # (services.assignments), and the declaration of confidentiality and conduct they agreed
    # to (its version and when).
    affiliated_municipality = models.ForeignKey(
        "competitions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("municipality you work for or with"),
        help_text=_("You will not score this municipality's entries."))
    affiliated_region = models.CharField(
        _("region you work for or with"), max_length=120, blank=True,
        help_text=_("You will not score the entries of this region's municipalities."))
    affiliated_organisation = models.CharField(
        _("organisation you work for"), max_length=200, blank=True)
    declaration_version = models.CharField(_("declaration version"), max_length=40, blank=True)
    declared_at = models.DateTimeField(_("declaration agreed at"), null=True, blank=True)
    # Who joined, left, and for which areas (the areas of each record): the audit log.
    history = HistoricalRecords(m2m_fields=[areas])

    objects = JuryMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["edition", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="jury_member_unique",
                                    violation_error_message=_(
                                        "This person is already on the jury of this edition.")),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.email} ({self.edition.slug})"

    @property
    def is_seated(self) -> bool:
        """This member accepted the invitation (the instance's side of `seated_q`)."""
        return self.accepted_at is not None


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> "AssignmentQuerySet":
        """Assignments whose juror is (still) an accepted member of the entry's jury, with an
        active account: a person removed from the jury (membership deleted or not accepted)
        or deactivated keeps no access to the entries once assigned. The one rule of a
        juror's access: sheets, entry pages, the dashboard and the practices' files."""
        return self.filter(seated_q("juror__jury_memberships__"), juror__is_active=True,
                           juror__jury_memberships__edition=models.F("entry__edition"))


class Assignment(models.Model):
    """A juror is asked to score an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments",
                              verbose_name=_("entry"))
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="assignments", verbose_name=_("juror"))
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE,
                              related_name="assignments", verbose_name=_("round"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assigned by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # When the juror was told of it (one e-mail for the entries assigned together).
    notified_at = models.DateTimeField(_("juror told at"), null=True, blank=True)
    # Made and removed, by whom (services set `_history_user`): the audit log.
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror", "round"],
                                    name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.entry}"

    def save(self, *args, **kwargs):
        if self.round_id is None:  # made without a round: the edition's first
            self.round_id = _first_round_id(entry_id=self.entry_id)
        return super().save(*args, **kwargs)


class JurySheet(models.Model):
    """One juror's scores for one entry. A recusal is a sheet that will never count."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets",
                              verbose_name=_("entry"))
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="jury_sheets", verbose_name=_("juror"))
    round = models.ForeignKey(JudgingRound, on_delete=models.PROTECT, related_name="sheets",
                              verbose_name=_("round"))
    status = models.CharField(_("status"), max_length=16, choices=SheetStatus.choices,
                              default=SheetStatus.DRAFT)
    recused = models.BooleanField(_("conflict of interest declared"), default=False)
    recusal_reason = models.TextField(_("conflict of interest"), blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jury sheet")
        verbose_name_plural = _("jury sheets")
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror", "round"],
                                    name="sheet_unique_per_juror"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} / {self.entry}"

    def save(self, *args, **kwargs):
        if self.round_id is None:  # made without a round: the edition's first
            self.round_id = _first_round_id(entry_id=self.entry_id)
        return super().save(*args, **kwargs)

    @property
    def counts(self) -> bool:
        return self.status == SheetStatus.SUBMITTED and not self.recused


class SheetScore(models.Model):
    """One criterion's score and comment on a sheet: saved one by one, so that two saves of
    different criteria never overwrite each other."""

    sheet = models.ForeignKey(JurySheet, on_delete=models.CASCADE, related_name="scores",
                              verbose_name=_("jury sheet"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("criterion"))
    value = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_per_sheet"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


def new_juror_salt() -> str:
    """A random secret per run: juror codes say nothing about the user, and the same juror
    has unrelated codes in two runs."""
    return secrets.token_hex(16)


class RankingRun(models.Model):
    """One execution of the ranking job. Immutable once finished; one run per edition is
    published and the showcase shows only that one."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="ranking_runs",
                                verbose_name=_("edition"))
    # The round whose sheets it ranks (with that round's weights).
    round = models.ForeignKey(JudgingRound, on_delete=models.PROTECT,
                              related_name="ranking_runs", verbose_name=_("round"))
    method = models.CharField(_("method"), max_length=32, choices=RankingMethod.choices,
                              default=RankingMethod.WEIGHTED_MEAN)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(max_length=200, blank=True,
                                        verbose_name=_("progress message"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("requested by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)
    fingerprint = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True,
                              help_text=_("Per-area agreement and leniency, sensitivity."))
    error = models.TextField(blank=True, verbose_name=_("error"))
    snapshot = models.JSONField(
        _("snapshot"), default=dict, blank=True,
        help_text=_("Everything the run was computed with (criteria, weights, rubric, areas, "
                    "awards, scale, minimum of sheets, method) and the entries it left out."))
    juror_salt = models.CharField(max_length=64, default=new_juror_salt, editable=False,
                                  help_text="Secret of the run from which the anonymous "
                                            "juror codes of its published sheets are derived.",
                                            verbose_name=_("juror salt"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition"], condition=Q(is_published=True),
                                    name="one_published_run_per_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug} #{self.pk} ({self.method}, {self.status})"

    def save(self, *args, **kwargs):
        if self.round_id is None:  # made without a round: the edition's first
            self.round_id = _first_round_id(edition_id=self.edition_id)
        return super().save(*args, **kwargs)

    @property
    def was_published(self) -> bool:
        """Published now or once: the record of what the public saw, kept for good."""
        return self.is_published or self.published_at is not None

    def delete(self, *args, **kwargs):
        """A run that was ever published is never deleted (its publication events hold it
        in the database too: PROTECT)."""
        if self.was_published:
            raise ProtectedError(
                str(_("A ranking run that was published is kept for the record.")), {self})
        return super().delete(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        """Queued or running: its page polls its progress."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def stage_label(self) -> str:
        return str(RUN_STAGES.get(self.progress_message, self.progress_message))

    @property
    def method_description(self) -> str:
        return ranking_method_description(self.method)


class RankingResult(models.Model):
    """One entry's outcome in a run. A run writes 10,000 of these at once, so the table
    keeps three indexes, each serving its queries: (run, entry) for a run's results and
    one entry's result in a run, (area, run, rank) for an area's ranking in a run and an
    area's results anywhere, and entry for an entry's results in any run."""

    # The run, the entry and the area are kept by Django (CASCADE and PROTECT, which the
    # ORM applies itself) and by the one writer, not by database constraints: PostgreSQL
    # checks a foreign key row by row at commit, locking each referenced row, and the
    # three cost a run of 10,000 results more than its COPY. The only INSERT
    # (`services.ranking._store`) holds the run's row locked (FOR UPDATE) in its
    # transaction, so the run exists and cannot go; it writes only entries it has just
    # read as ranked, which nothing deletes (only a draft can be discarded,
    # `practices.services.entry_discard`, and the ORM refuses to delete an entry with
    # results: PROTECT); the area is the entry's area as the run recorded it (snapshot).
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="results",
                            db_index=False, db_constraint=False,
                            verbose_name=_("run"))  # result_unique_per_run leads with the run
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="ranking_results",
                              db_constraint=False, verbose_name=_("entry"))
    area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="+",
                             db_index=False, db_constraint=False,
                             verbose_name=_("area"))  # result_area_run_rank leads with the area
    criterion_scores = models.JSONField(default=list, verbose_name=_("criterion scores"))
    total = models.FloatField(null=True, verbose_name=_("total"))
    rank = models.PositiveIntegerField(null=True, verbose_name=_("rank"))
    place = models.PositiveSmallIntegerField(null=True, verbose_name=_("place"))
    # The place the public is told (`scoring.selectors.public.published_places`: the jury's
    # decision where the area has one, else `place`), written by the run's publication in
    # its transaction; SQL readers of the public pages filter and sort on it. Null on a run
    # never published, and for an entry published without a place.
    published_place = models.PositiveSmallIntegerField(_("published place"), null=True)
    sheet_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("sheet count"))
    spread = models.FloatField(null=True, verbose_name=_("spread"))
    rank_confidence = models.FloatField(null=True, verbose_name=_("rank confidence"))
    flags = models.JSONField(default=list, verbose_name=_("flags"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "entry"], name="result_unique_per_run"),
        ]
        indexes = [models.Index(fields=["area", "run", "rank"], name="result_area_run_rank")]

    def __str__(self) -> str:
        return f"{self.entry_id}: rank {self.rank}, place {self.place}"

    @property
    def recorded_area(self):
        """Its area as the run recorded it (code, titles, awards: the run's snapshot), so
        that what is published stays as published; the live area for a run computed before
        runs recorded one. Select the run with the result."""
        item = recorded_item(self.run.snapshot, "areas", self.area_id)
        return area_record(item) if item is not None else self.area


class PublicationEvent(models.Model):
    """Who published or unpublished which run, when and why. The record survives anything:
    a run with events cannot be deleted (PROTECT), nor the edition it belongs to."""

    run = models.ForeignKey(RankingRun, on_delete=models.PROTECT, related_name="events",
                            verbose_name=_("run"))
    action = models.CharField(max_length=16, choices=PublicationAction.choices,
                              verbose_name=_("action"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    # What the officers were told (the service decides; see PublicationNotice) and how many.
    notice = models.CharField(_("officers told"), max_length=16, blank=True, default="",
                              choices=PublicationNotice.choices)
    notified = models.PositiveIntegerField(_("officers e-mailed"), default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.run_id} ({self.at:%Y-%m-%d %H:%M})"


class JuryReminder(models.Model):
    """A reminder a juror was sent before a round's scoring closed, `days_before` its close
    (one of JURY_REMINDER_DAYS): each step is sent once per round."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="reminders",
                               verbose_name=_("jury member"))
    # The round whose open sheets it counted, and whose close it counted down to.
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("round"))
    days_before = models.PositiveSmallIntegerField(_("days before the review closes"))
    open_sheets = models.PositiveIntegerField(_("entries left to score"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury reminder")
        verbose_name_plural = _("jury reminders")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["member", "round", "days_before"],
                                               name="jury_reminder_once_per_round_step")]

    def __str__(self) -> str:
        return f"{self.member} −{self.days_before}d"


class ShortlistQuerySet(models.QuerySet):
    def current(self) -> "ShortlistQuerySet":
        """On the shortlist now (not removed)."""
        return self.filter(removed_at__isnull=True)


def on_shortlist(judging_round) -> models.Exists:
    """The one definition of "an entry is on the round's shortlist", as a filter of entries:
    `Entry.objects.filter(on_shortlist(round))`."""
    return models.Exists(ShortlistEntry.objects.current().filter(
        round=judging_round, entry=models.OuterRef("pk")))


def scored_in_round(judging_round) -> Q:
    """The one definition of "this entry is scored in this round", as a filter of entries
    (`Entry.objects.filter(scored_in_round(round))`): round 1 (or no round: a one-round
    edition) scores every entry the other filters keep, a later round only its shortlist."""
    if judging_round is None or judging_round.is_first:
        return Q()
    return Q(on_shortlist(judging_round))


def entry_scored_in_round(*, entry, judging_round) -> bool:
    """`scored_in_round` asked of one entry (one query)."""
    return Entry.objects.filter(scored_in_round(judging_round), pk=entry.pk).exists()


class ShortlistEntry(models.Model):
    """An entry chosen, in its area, for a round after the first: by the round's rule
    (`source` rule) or by hand, with a reason. Who and when are on the row; each addition and
    removal (with its reason) is in its history: the audit log."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="shortlist",
                              verbose_name=_("round"))
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="shortlistings",
                              verbose_name=_("entry"))
    source = models.CharField(_("why shortlisted"), max_length=16,
                              choices=ShortlistSource.choices, default=ShortlistSource.RULE)
    reason = models.TextField(_("reason"), blank=True)
    # The run of the round before whose ranking the rule read (none: by hand).
    run = models.ForeignKey(RankingRun, on_delete=models.PROTECT, null=True, blank=True,
                            related_name="+", verbose_name=_("ranking run"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # Taken off the shortlist: kept, with who, when and why (None: on the shortlist).
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("removed by"))
    removal_reason = models.TextField(_("why removed"), blank=True)
    history = HistoricalRecords()

    objects = ShortlistQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortlisted entry")
        verbose_name_plural = _("shortlisted entries")
        ordering = ["round", "entry__area__order", "entry_id", "at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], condition=Q(removed_at__isnull=True),
                                    name="shortlist_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.entry_id}"


def site_visit_upload_to(instance, filename: str) -> str:
    """A random stored name under the round's private folder (never the user's name)."""
    from pathlib import PurePath
    from uuid import uuid4

    suffix = PurePath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    return f"rounds/{instance.round_id}/site-visits/{uuid4().hex}{suffix}"


class SiteVisit(models.Model):
    """Notes (and optionally a file) from a visit to an entry's practice for a round: shown
    to that round's panel of the entry's area and the organisers only."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE,
                              related_name="site_visits", verbose_name=_("round"))
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="site_visits",
                              verbose_name=_("entry"))
    notes = models.TextField(_("notes of the visit"))
    file = models.FileField(_("file"), upload_to=site_visit_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["round", "entry_id", "at"]

    def __str__(self) -> str:
        return f"{self.round} · {self.entry_id} ({self.at:%Y-%m-%d})"
