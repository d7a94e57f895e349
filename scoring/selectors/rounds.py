"""Reads about an edition's judging rounds: which exist, which one is current, whether a
round's scoring is closed. The rule itself lives in `scoring.rules` (one home)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.utils import timezone

from competitions.models import Edition

from .. import rules
from ..models import JudgingRound


def edition_rounds(edition: Edition) -> list[JudgingRound]:
    """The edition's rounds in order (round 1 first), each with its edition set."""
    rounds = list(JudgingRound.objects.filter(edition=edition).order_by("number"))
    for judging_round in rounds:
        judging_round.edition = edition
    return rounds


def current_round(edition: Edition, at: dt.datetime | None = None) -> JudgingRound | None:
    """The round whose scoring is open at `at`; else the latest round that has started;
    else round 1."""
    return current_of(edition_rounds(edition), at)


def current_of(rounds: list[JudgingRound], at: dt.datetime | None = None
               ) -> JudgingRound | None:
    """`current_round` among rounds already read (in order, each with its edition)."""
    at = at or timezone.now()
    if not rounds:
        return None
    for judging_round in rounds:
        if rules.round_scoring_open(judging_round, at):
            return judging_round
    started = [r for r in rounds if r.review_open_at <= at]
    return started[-1] if started else rounds[0]


def round_scoring_closed(judging_round: JudgingRound, at: dt.datetime | None = None) -> bool:
    """The round's sheets are final (see `scoring.rules.round_scoring_closed`)."""
    return rules.round_scoring_closed(judging_round, at)


def round_scoring_open(judging_round: JudgingRound, at: dt.datetime | None = None) -> bool:
    """Jurors may score the round's sheets now (see `scoring.rules.round_scoring_open`)."""
    return rules.round_scoring_open(judging_round, at)


def final_round(edition: Edition) -> JudgingRound | None:
    """The edition's last round: the one whose ranking is published."""
    judging_round = JudgingRound.objects.filter(edition=edition).order_by("-number").first()
    if judging_round is not None:
        judging_round.edition = edition
    return judging_round


def final_round_id(edition_id: int) -> Subquery:
    """The id of the edition's final round as a subquery (`sheet__round=...`): the round
    whose run is published, read inside the query that needs it."""
    return Subquery(JudgingRound.objects.filter(edition_id=edition_id).order_by("-number")
                    .values("pk")[:1])


def round_for_edition(*, edition: Edition, number: int) -> JudgingRound:
    """The edition's round `number`, or 404."""
    from django.shortcuts import get_object_or_404

    judging_round = get_object_or_404(JudgingRound, edition=edition, number=number)
    judging_round.edition = edition
    return judging_round


def round_to_work_on(*, edition: Edition, judging_round: JudgingRound | None = None
                     ) -> JudgingRound | None:
    """The one home of "which round does a new assignment or ranking run belong to": the
    round given, if it is one of the edition's, else (none given) the edition's current
    round. None for a round of another edition (the caller refuses it)."""
    judging_round = judging_round or current_round(edition)
    if judging_round is None or judging_round.edition_id != edition.pk:
        return None
    return judging_round


def assigned_round(*, entry, juror, judging_round: JudgingRound | None = None,
                   number: int | None = None) -> JudgingRound | None:
    """The one home of "which round's sheet of this entry is the juror's": the latest round
    in which the entry is actively assigned to the juror (only the round given, or the
    round `number`, when asked), its edition set from the entry. None: not assigned."""
    from ..models import Assignment

    assignments = Assignment.objects.active().filter(entry=entry, juror=juror)
    if judging_round is not None:
        assignments = assignments.filter(round=judging_round)
    if number is not None:
        assignments = assignments.filter(round__number=number)
    found = (JudgingRound.objects.filter(assignments__in=assignments)
             .order_by("-number").first())
    if found is not None and found.edition_id == entry.edition_id:
        found.edition = entry.edition
    return found


# --- the organiser's pages ------------------------------------------------------------------
@dataclass
class AreaRoundRow:
    area: object
    shortlisted: int = 0
    assigned: int = 0


@dataclass
class RoundOverview:
    judging_round: JudgingRound
    areas: list[AreaRoundRow] = field(default_factory=list)
    runs: int = 0


def rounds_overview(*, edition: Edition) -> list[RoundOverview]:
    """Each round with, per area, its shortlisted entries and assignments, and its runs:
    five queries, whatever the number of rounds and areas."""
    from django.db.models import Count

    from competitions.models import ThematicArea

    from ..models import Assignment, RankingRun, ShortlistEntry

    rounds = edition_rounds(edition)
    areas = list(ThematicArea.objects.filter(edition=edition).order_by("order", "code"))
    shortlisted = {(row["round_id"], row["entry__area_id"]): row["n"] for row in
                   ShortlistEntry.objects.current().filter(round__edition=edition)
                   .order_by().values("round_id", "entry__area_id").annotate(n=Count("id"))}
    assigned = {(row["round_id"], row["entry__area_id"]): row["n"] for row in
                Assignment.objects.filter(round__edition=edition).order_by()
                .values("round_id", "entry__area_id").annotate(n=Count("entry", distinct=True))}
    runs = {row["round_id"]: row["n"] for row in
            RankingRun.objects.filter(edition=edition).order_by().values("round_id")
            .annotate(n=Count("id"))}
    return [RoundOverview(
        judging_round=r, runs=runs.get(r.pk, 0),
        areas=[AreaRoundRow(area=a, shortlisted=shortlisted.get((r.pk, a.pk), 0),
                            assigned=assigned.get((r.pk, a.pk), 0)) for a in areas])
        for r in rounds]


@dataclass
class ShortlistPage:
    judging_round: JudgingRound
    previous: JudgingRound
    run: object  # the run of the round before whose results are shown (None: none yet)
    results: list  # that run's results in the area, by rank
    current: list  # the shortlist now
    removed: list  # entries taken off, with who, when and why
    on_list: set = field(default_factory=set)


def shortlist_page(*, judging_round: JudgingRound, area, run_id: int | None = None
                   ) -> ShortlistPage:
    """What the shortlist page of an area shows: the chosen (else the latest) finished run
    of the round before and its results in the area, and the shortlist with its record.
    Six queries, whatever the number of entries."""
    from ..enums import RunStatus
    from ..models import RankingResult, RankingRun, ShortlistEntry

    previous = JudgingRound.objects.get(edition_id=judging_round.edition_id,
                                        number=judging_round.number - 1)
    runs = RankingRun.objects.filter(round=previous, status=RunStatus.SUCCEEDED)
    run = (runs.filter(pk=run_id).first() if run_id else None) or runs.order_by(
        "-created_at").first()
    results = []
    if run is not None:
        results = list(RankingResult.objects.filter(run=run, area=area)
                       .select_related("entry__practice__municipality")
                       .order_by("rank", "entry_id"))
    rows = list(ShortlistEntry.objects.filter(round=judging_round, entry__area=area)
                .select_related("entry__practice__municipality", "by", "removed_by")
                .order_by("at", "pk"))
    current = [row for row in rows if row.removed_at is None]
    return ShortlistPage(judging_round=judging_round, previous=previous, run=run,
                         results=results, current=current,
                         removed=[row for row in rows if row.removed_at is not None],
                         on_list={row.entry_id for row in current})


@dataclass
class RoundEntry:
    """An entry in a round: the object the site-visit permissions are asked about."""

    round: JudgingRound
    entry: object


def site_visits_of(*, judging_round: JudgingRound, entry) -> list:
    """The round's notes of visits to the entry, oldest first (one query)."""
    from ..models import SiteVisit

    return list(SiteVisit.objects.filter(round=judging_round, entry=entry)
                .select_related("by").order_by("at", "pk"))
