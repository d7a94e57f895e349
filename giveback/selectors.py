"""Reads of what the programme gives back, from a ranking run's record only: its results
(the public rule, `scoring.selectors.public`) and its snapshot (`run_setup`), never the live
criteria and areas. A report, a certificate and a booklet of a public edition print its
published run; an organiser previews an edition not yet public with its latest run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.mail import absolute_url
from accounts.rules import is_organiser
from competitions.models import Edition, Municipality
from deliberation.selectors import decisions_public
from practices.enums import EntryStatus
from practices.models import Entry, Photo, Practice
from practices.selectors import EntryResult
from scoring.enums import RunStatus, SheetStatus
from scoring.models import JurySheet, RankingResult, RankingRun, SheetScore
from scoring.records import AreaRecord, CriterionRecord, RubricLevelRecord
from scoring.selectors.public import editions_public, entry_results_public, results_shown_by
from scoring.selectors.rounds import final_round_id
from scoring.selectors.snapshot import RunSetup, run_setup

from .enums import CommentDecision
from .models import BookletIntroduction, CommentRelease, Signatory

TOLERANCE = 1e-9


# --- which run ----------------------------------------------------------------------------
def edition_is_public(edition: Edition) -> bool:
    return editions_public().filter(pk=edition.pk).exists()


def giveback_run(*, edition: Edition, user) -> RankingRun:
    """The run whose result is printed for `user`: the published run of a public edition;
    for an organiser, before publication, the run to be published (the published one, else
    the latest that succeeded). Raises RankingRun.DoesNotExist for anyone else."""
    runs = RankingRun.objects.filter(edition=edition)
    if edition_is_public(edition):
        run = runs.get(is_published=True)
    elif is_organiser(user):
        run = (runs.filter(is_published=True).first()
               or runs.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at", "-pk")
               .first())
        if run is None:
            raise RankingRun.DoesNotExist
    else:
        raise RankingRun.DoesNotExist
    run.edition = edition
    return run


def entry_results_with_giveback(entries: Sequence[Entry]) -> dict[int, EntryResult]:
    """The officer's dashboard: each entry's public result (`entry_results_public`: its
    published place, the jury's recorded decision where there is one), with the
    addresses of its feedback report and, for a place, of its certificate."""
    results = entry_results_public(entries)
    return {pk: replace(result, feedback_url=reverse("giveback:feedback", args=[pk]),
                        certificate_url=(reverse("giveback:certificate", args=[pk])
                                         if result.place else ""))
            for pk, result in results.items()}


# --- the feedback report ------------------------------------------------------------------
BANDS = ("top", "second", "third", "bottom")


def band_label(band: str) -> str:
    return {"top": _("top quarter of the area"), "second": _("second quarter of the area"),
            "third": _("third quarter of the area"),
            "bottom": _("bottom quarter of the area")}.get(band, "")


def score_band(score: float | None, others: Sequence[float]) -> str:
    """Where `score` stands among the area's ranked scores: the quarter it falls in, by the
    share of scores above it (no other entry's identity or score leaves this function)."""
    if score is None or not others:
        return ""
    above = sum(1 for other in others if other > score + TOLERANCE)
    return BANDS[min(3, int(4 * above / len(others)))]


def rubric_levels(criterion: CriterionRecord, score: float | None
                  ) -> tuple[RubricLevelRecord | None, RubricLevelRecord | None]:
    """The rubric level `score` reached (the highest at or below it) and the next one."""
    if score is None:
        return None, None
    levels = sorted(criterion.rubric, key=lambda level: level.score)
    reached = [level for level in levels if level.score <= score + TOLERANCE]
    higher = [level for level in levels if level.score > score + TOLERANCE]
    return (reached[-1] if reached else None), (higher[0] if higher else None)


@dataclass
class CriterionFeedback:
    criterion: CriterionRecord
    score: float | None
    band: str
    level: RubricLevelRecord | None
    next_level: RubricLevelRecord | None
    comments: list[str] = field(default_factory=list)

    @property
    def band_label(self) -> str:
        return band_label(self.band)


@dataclass
class FeedbackReport:
    edition: Edition
    run: RankingRun
    entry: Entry
    area: AreaRecord | None
    scale: tuple[int, int]
    ranked: bool
    place: int | None
    total: float | None
    criteria: list[CriterionFeedback]
    overall: list[str]

    @property
    def practice(self) -> Practice:
        return self.entry.practice

    @property
    def standing(self) -> str:
        if self.place:
            return _("Place %(place)s") % {"place": self.place}
        return _("Not placed")


def _scores(value) -> list[float | None]:
    out: list[float | None] = []
    for item in value or ():
        try:
            out.append(None if item is None else float(item))
        except (TypeError, ValueError):
            out.append(None)
    return out


def released_comments(*, entry: Entry, run: RankingRun) -> list[tuple[int | None, str]]:
    """(criterion id or None for the overall comment, text) of every comment the organiser
    released on the entry's counted sheets of the run's round (the sheets the run
    ranked): the only jury text a report shows, never with a juror's name."""
    return list(CommentRelease.objects.filter(
        sheet__entry=entry, sheet__round_id=run.round_id,
        sheet__status=SheetStatus.SUBMITTED, sheet__recused=False,
        decision=CommentDecision.RELEASED).exclude(text="")
        .order_by("criterion_id", "sheet_id").values_list("criterion_id", "text"))


def feedback_report(*, entry: Entry, run: RankingRun) -> FeedbackReport:
    """An entry's feedback from `run`: per criterion its score, its quarter among the
    area's ranked entries, the rubric level reached and the next one, the released
    comments; the released overall comments; its place or "not placed". Four queries."""
    setup = run_setup(run=run)
    own = RankingResult.objects.filter(run=run, entry=entry).first()
    shown = results_shown_by(run)
    ranked = own is not None and shown.filter(pk=own.pk).exists()
    area_scores = [_scores(scores) for scores in shown.filter(area_id=entry.area_id)
                   .values_list("criterion_scores", flat=True)] if ranked else []
    mine = _scores(own.criterion_scores) if own is not None and ranked else []
    comments = released_comments(entry=entry, run=run)
    rows = []
    for index, criterion in enumerate(setup.criteria):
        score = mine[index] if index < len(mine) else None
        others = [scores[index] for scores in area_scores
                  if index < len(scores) and scores[index] is not None]
        level, next_level = rubric_levels(criterion, score)
        rows.append(CriterionFeedback(
            criterion=criterion, score=score, band=score_band(score, others), level=level,
            next_level=next_level,
            comments=[text for criterion_id, text in comments if criterion_id == criterion.id]))
    return FeedbackReport(
        edition=run.edition, run=run, entry=entry, area=setup.area(entry.area_id),
        scale=setup.scale, ranked=ranked, place=own.place if ranked else None,
        total=own.total if ranked else None, criteria=rows,
        overall=[text for criterion_id, text in comments if criterion_id is None])


def entry_for_feedback(*, entry_id: int) -> Entry:
    """A received entry with its practice, municipality and edition (one query); raises
    Entry.DoesNotExist for a draft or withdrawn one, which was never in the running."""
    return (Entry.objects.select_related("practice__municipality", "edition", "area")
            .get(pk=entry_id, status__in=EntryStatus.received))


# --- the comments the organiser releases --------------------------------------------------
@dataclass
class CommentItem:
    sheet_id: int
    criterion_id: int | None
    criterion_title: str
    original: str
    release: CommentRelease | None

    @property
    def key(self) -> str:
        return f"{self.sheet_id}-{self.criterion_id or 'overall'}"

    @property
    def shown_text(self) -> str:
        return self.release.text if self.release is not None else self.original


def comments_of_entry(*, entry: Entry) -> list[CommentItem]:
    """Every comment on the entry's counted sheets of the final round (the round whose run
    a report prints), with the organiser's decision if any (three queries). Sheets are
    numbered, never named: the page shows what a report may."""
    sheets = list(JurySheet.objects.filter(entry=entry, status=SheetStatus.SUBMITTED,
                                           recused=False,
                                           round=final_round_id(entry.edition_id))
                  .order_by("pk")
                  .values_list("pk", "overall_comment"))
    releases = {(r.sheet_id, r.criterion_id): r
                for r in CommentRelease.objects.filter(sheet__entry=entry)}
    scores = (SheetScore.objects.filter(sheet_id__in=[pk for pk, _overall in sheets])
              .exclude(comment="").select_related("criterion")
              .order_by("sheet_id", "criterion__order", "criterion_id"))
    items = []
    by_sheet: dict[int, list[CommentItem]] = {pk: [] for pk, _overall in sheets}
    for score in scores:
        by_sheet[score.sheet_id].append(CommentItem(
            score.sheet_id, score.criterion_id, score.criterion.display_title, score.comment,
            releases.get((score.sheet_id, score.criterion_id))))
    for pk, overall in sheets:
        items.extend(by_sheet[pk])
        if overall:
            items.append(CommentItem(pk, None, _("Overall comment"), overall,
                                     releases.get((pk, None))))
    return items


@dataclass
class EntryComments:
    entry: Entry
    total: int
    released: int
    withheld: int

    @property
    def pending(self) -> int:
        return self.total - self.released - self.withheld


def comments_overview(*, edition: Edition) -> list[EntryComments]:
    """Per received entry of the edition: how many comments its counted sheets of the final
    round (the round a report prints) hold and how many the organiser released or withheld
    (four queries)."""
    entries = list(Entry.objects.filter(edition=edition, status__in=EntryStatus.received)
                   .select_related("practice__municipality", "area")
                   .order_by("area__order", "area__code", "practice__title", "pk"))
    counted = Q(sheet__status=SheetStatus.SUBMITTED, sheet__recused=False,
                sheet__round=final_round_id(edition.pk))
    per_criterion = dict(SheetScore.objects.filter(counted, sheet__entry__edition=edition)
                         .exclude(comment="").values_list("sheet__entry_id")
                         .annotate(n=Count("pk")).order_by())
    overall = dict(JurySheet.objects.filter(entry__edition=edition,
                                            status=SheetStatus.SUBMITTED, recused=False,
                                            round=final_round_id(edition.pk))
                   .exclude(overall_comment="").values_list("entry_id")
                   .annotate(n=Count("pk")).order_by())
    decided: dict[tuple[int, str], int] = {}
    for entry_id, decision, n in (CommentRelease.objects.filter(counted,
                                                                sheet__entry__edition=edition)
                                  .values_list("sheet__entry_id", "decision")
                                  .annotate(n=Count("pk")).order_by()):
        decided[(entry_id, decision)] = n
    return [EntryComments(entry, per_criterion.get(entry.pk, 0) + overall.get(entry.pk, 0),
                          decided.get((entry.pk, CommentDecision.RELEASED), 0),
                          decided.get((entry.pk, CommentDecision.WITHHELD), 0))
            for entry in entries]


# --- certificates -------------------------------------------------------------------------
@dataclass
class Certificate:
    edition: Edition
    area: AreaRecord | None
    place: int | None
    entry: Entry
    date: dt.date
    signatories: list[Signatory]
    verification_url: str
    mention: bool = False  # a special mention of the jury's decision (no place)

    @property
    def filename(self) -> str:
        code = self.area.code if self.area else ""
        award = "mention" if self.mention else self.place
        return f"certificate-{self.edition.slug}-{code}-{award}-entry-{self.entry.pk}.pdf"


def result_date(run: RankingRun) -> dt.date:
    """The date a result was announced: its publication (else the edition's announcement
    date, else the run's end), in the edition's time zone."""
    moment = run.published_at or run.edition.results_at or run.finished_at or run.created_at
    return run.edition.local(moment).date()


def verification_url(entry: Entry) -> str:
    """Where a certificate's QR code and address lead: the practice's public page, which
    shows its published places."""
    return absolute_url(reverse("showcase:practice", args=[entry.practice_id]))


def certificates(*, run: RankingRun, entry: Entry | None = None) -> list[Certificate]:
    """A certificate per place of `run` (of `entry` only, when given), and per special
    mention; where an area has the jury's recorded decision, its places and mentions
    (`deliberation.selectors.decisions_public`) are the ones certified: four queries."""
    setup = run_setup(run=run)
    decisions = decisions_public(run=run)
    awarded = results_shown_by(run).filter(place__isnull=False).exclude(
        area_id__in=list(decisions))
    if entry is not None:
        awarded = awarded.filter(entry=entry)
    signatories = list(Signatory.objects.filter(edition=run.edition))
    date = result_date(run)
    order = {area.id: (area.order, area.code) for area in setup.areas}
    items = [(result.area_id, result.place, False, result.entry, result.pk)
             for result in awarded.select_related("entry__practice__municipality")]
    for area_id, decision in decisions.items():
        rows = decision.places + [row for row in decision.mentions if row.place is None]
        items += [(area_id, row.place, row.place is None, row.entry, row.pk) for row in rows
                  if entry is None or row.entry_id == entry.pk]
    items.sort(key=lambda item: (order.get(item[0], (0, "")), item[2], item[1] or 0,
                                 item[4]))
    return [Certificate(run.edition, setup.area(area_id), place, item_entry, date,
                        signatories, verification_url(item_entry), mention=mention)
            for area_id, place, mention, item_entry, _pk in items]


# --- the booklet --------------------------------------------------------------------------
@dataclass
class BookletPractice:
    result: RankingResult
    practice: Practice
    photo: Photo | None


@dataclass
class BookletArea:
    area: AreaRecord
    practices: list[BookletPractice]


@dataclass
class BookletData:
    edition: Edition
    run: RankingRun
    setup: RunSetup
    introduction: BookletIntroduction | None
    areas: list[BookletArea]
    municipalities: list[Municipality]

    @property
    def page_estimate(self) -> int:
        return 4 + sum(len(area.practices) + 1 for area in self.areas) \
            + len(self.municipalities) // 60


def booklet_data(*, run: RankingRun) -> BookletData:
    """What the booklet prints, from the run's record: its set-up (areas, criteria,
    weights), each placed practice per area with its first photo, and every municipality
    that had an entry in the running. Five queries, however many practices."""
    edition = run.edition
    setup = run_setup(run=run)
    placed = list(results_shown_by(run).filter(place__isnull=False)
                  .select_related("entry__practice__municipality")
                  .order_by("place", "rank", "pk"))
    practice_ids = {result.entry.practice_id for result in placed}
    photos: dict[int, Photo] = {}
    for photo in Photo.objects.filter(practice_id__in=practice_ids).order_by(
            "practice_id", "order", "id"):
        photos.setdefault(photo.practice_id, photo)
    by_area: dict[int, list[BookletPractice]] = {}
    for result in placed:
        by_area.setdefault(result.area_id, []).append(BookletPractice(
            result, result.entry.practice, photos.get(result.entry.practice_id)))
    areas = [BookletArea(area, by_area.get(area.id, []))
             for area in sorted(setup.areas, key=lambda area: (area.order, area.code))]
    entered = Entry.objects.filter(edition=edition, status__in=EntryStatus.received)
    municipalities = list(Municipality.objects.filter(
        pk__in=entered.values("practice__municipality_id")).order_by("name"))
    introduction = BookletIntroduction.objects.filter(edition=edition).first()
    return BookletData(edition, run, setup, introduction, areas, municipalities)
