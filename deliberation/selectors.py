"""Reads of the panels and decisions: one place that knows the joins, so every page keeps a
fixed number of queries whatever the number of entries, sheets and comments."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from accounts.models import User
from competitions.models import Edition, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry
from scoring.enums import RunStatus, SheetStatus
from scoring.models import (
    Assignment,
    JudgingRound,
    JuryMember,
    JurySheet,
    RankingResult,
    RankingRun,
    SheetScore,
)
from scoring.selectors.ranking import _scenario_label
from scoring.selectors.rounds import edition_rounds, round_scoring_closed

from .enums import DELIBERATED_FLAGS, DecisionStatus
from .models import AreaChair, AreaDecision, DecisionPlace, PanelComment, PanelSettings
from .rules import AreaPanel


def area_panel(*, area: ThematicArea, number: int | None = None) -> AreaPanel | None:
    """The area's panel in round `number`; without a number, in the latest round whose
    scoring has closed (else round 1). None for a round the edition does not have."""
    rounds = edition_rounds(area.edition)
    if number is not None:
        chosen = next((r for r in rounds if r.number == number), None)
    else:
        closed = [r for r in rounds if round_scoring_closed(r)]
        chosen = closed[-1] if closed else (rounds[0] if rounds else None)
    return AreaPanel(area, chosen) if chosen is not None else None


def round_to_shortlist(*, panel: AreaPanel):
    """The round after the panel's, while its shortlist can be chosen (its own scoring has
    not closed; the panel's round has, or the panel would not be open), else None."""
    rounds = edition_rounds(panel.area.edition)
    following = next((r for r in rounds if r.number == panel.round.number + 1), None)
    return following if following is not None and not round_scoring_closed(following) \
        else None


def chairs_of_edition(*, edition: Edition) -> dict[int, AreaChair]:
    """Area id -> its chair (one query)."""
    return {chair.area_id: chair for chair in
            AreaChair.objects.filter(area__edition=edition).select_related("user")}


def juries_of_edition(*, edition: Edition) -> dict[int, list[User]]:
    """Area id -> the area's jury (`JuryMember.objects.judging`: accepted, active members
    who judge it; no areas chosen: all), by name: two queries, whatever the number of
    areas and members."""
    pairs = list(ThematicArea.objects.filter(edition=edition)
                 .filter(Exists(JuryMember.objects.judging(OuterRef("pk"),
                                                           edition_id=edition.pk)
                                .filter(pk=OuterRef("edition__jury__pk"))))
                 .values_list("pk", "edition__jury__user_id"))
    areas_of: dict[int, set[int]] = {}
    for area_id, user_id in pairs:
        areas_of.setdefault(user_id, set()).add(area_id)
    juries: dict[int, list[User]] = {}
    for user in User.objects.filter(pk__in=areas_of).order_by("last_name", "username"):
        for area_id in areas_of[user.pk]:
            juries.setdefault(area_id, []).append(user)
    return juries


def panel_members(*, panel: AreaPanel) -> list[User]:
    """The area's chair and the jurors actively assigned in the round to the area's scored
    entries."""
    ids = set(Assignment.objects.active()
              .filter(round=panel.round, entry__area=panel.area,
                      entry__status__in=EntryStatus.scorable)
              .values_list("juror_id", flat=True))
    ids |= set(AreaChair.objects.seated().filter(area=panel.area)
               .values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def show_names(edition: Edition) -> bool:
    settings = PanelSettings.objects.filter(edition=edition).first()
    return bool(settings and settings.show_names)


def juror_labels(*, edition: Edition, names: bool) -> dict[int, str]:
    """User id -> how the panel shows them: their name, or "Juror A", "Juror B", ... in
    the order they joined the edition's jury (stable for the edition)."""
    members = list(JuryMember.objects.filter(edition=edition).select_related("user")
                   .order_by("pk"))
    labels = {}
    for index, member in enumerate(members):
        if names:
            labels[member.user_id] = member.user.get_full_name() or member.user.username
        else:
            letters = string.ascii_uppercase
            code = letters[index % 26] * (index // 26 + 1)
            labels[member.user_id] = f"{_juror()} {code}"
    return labels


def _juror() -> str:
    from django.utils.translation import gettext

    return gettext("Juror")


@dataclass
class PanelEntry:
    entry: Entry
    sheets: list[JurySheet] = field(default_factory=list)
    comments: list[PanelComment] = field(default_factory=list)


def panel_page(*, panel: AreaPanel) -> tuple[list, list[PanelEntry], dict[int, str]]:
    """The area's criteria, the entries the round scored (every scored entry in round 1, the
    shortlist after) with every submitted (non-recused) sheet of the round, scores and
    comments, and the round's discussion: a fixed number of queries whatever the numbers."""
    area = panel.area
    edition = area.edition
    criteria = list(edition.criteria.order_by("order", "pk"))
    scored = Assignment.objects.filter(round=panel.round).values("entry_id")
    sheets = (JurySheet.objects.filter(round=panel.round, status=SheetStatus.SUBMITTED,
                                       recused=False)
              .order_by("juror_id").prefetch_related(
                  Prefetch("scores", queryset=SheetScore.objects.order_by("criterion__order",
                                                                          "criterion_id"))))
    entries = list(Entry.objects.filter(area=area, status__in=EntryStatus.scorable,
                                        pk__in=scored)
                   .select_related("practice__municipality")
                   .prefetch_related(Prefetch("sheets", queryset=sheets),
                                     Prefetch("panel_comments",
                                              queryset=PanelComment.objects.filter(
                                                  round=panel.round).order_by(
                                                  "created_at", "pk")))
                   .order_by("practice__title", "pk"))
    labels = juror_labels(edition=edition, names=show_names(edition))
    return criteria, [PanelEntry(entry, list(entry.sheets.all()),
                                 list(entry.panel_comments.all())) for entry in entries], labels


def runs_to_decide(*, panel: AreaPanel) -> list[RankingRun]:
    """The runs a decision can be taken on: the round's succeeded ones, newest first."""
    return list(RankingRun.objects.filter(round=panel.round, status=RunStatus.SUCCEEDED)
                .order_by("-created_at", "-pk"))


@dataclass
class EvidenceRow:
    result: RankingResult
    reasons: list[str]  # DELIBERATED_FLAGS present, and "moves"
    moves: list[tuple[str, int | None, int | None]]  # (scenario, place before, after)

    @property
    def needs_justification(self) -> bool:
        return bool(self.reasons)


def area_evidence(*, run: RankingRun, area: ThematicArea) -> list[EvidenceRow]:
    """Every ranked result of the area in the run, with what the statistics say about its
    place: flagged indistinguishable or polarised, or moving under another method or a
    ±10% weight (the run's sensitivity report). Two queries."""
    criteria = list(area.edition.criteria.order_by("order", "pk"))
    scenarios = (run.report or {}).get("sensitivity", {}).get("scenarios", []) \
        if isinstance(run.report, dict) else []
    moves: dict[int, list] = {}
    for scenario in scenarios:
        for change in scenario.get("changes", []):
            moves.setdefault(change["entry_id"], []).append(
                (_scenario_label(scenario["name"], criteria), change["place_before"],
                 change["place_after"]))
    results = (RankingResult.objects.filter(run=run, area=area, rank__isnull=False)
               .select_related("entry__practice__municipality").order_by("rank", "pk"))
    rows = []
    for result in results:
        flags = result.flags if isinstance(result.flags, list) else []
        reasons = [flag for flag in DELIBERATED_FLAGS if flag in flags]
        entry_moves = moves.get(result.entry_id, [])
        if entry_moves:
            reasons.append("moves")
        rows.append(EvidenceRow(result, reasons, entry_moves))
    return rows


def decision_for(*, run: RankingRun, area: ThematicArea) -> AreaDecision | None:
    return (AreaDecision.objects.filter(run=run, area=area)
            .prefetch_related(Prefetch("places", queryset=DecisionPlace.objects
                                       .select_related("entry__practice")),
                              "agreements__juror").first())


@dataclass
class PublicDecision:
    """An area's recorded decision as the public pages show it."""

    decision: AreaDecision
    places: list[DecisionPlace] = field(default_factory=list)  # awarded, in order
    mentions: list[DecisionPlace] = field(default_factory=list)
    deliberated: list[DecisionPlace] = field(default_factory=list)  # justified rows


def _recorded_places():
    """The places of recorded decisions: the ones published with their run."""
    return DecisionPlace.objects.filter(decision__status=DecisionStatus.RECORDED)


def decisions_public(*, run: RankingRun) -> dict[int, PublicDecision]:
    """Area id -> the recorded decision of the run (the published run, on public pages),
    with its places in order, its special mentions and every justified place: one query.
    Where an area has a recorded decision, its public places are the decision's."""
    rows = (_recorded_places().filter(decision__run=run)
            .select_related("decision", "entry__practice__municipality")
            .order_by("decision_id", "place", "computed_place", "pk"))
    decisions: dict[int, PublicDecision] = {}
    for row in rows:
        item = decisions.setdefault(row.decision.area_id, PublicDecision(row.decision))
        if row.place is not None:
            item.places.append(row)
        if row.mention:
            item.mentions.append(row)
        if row.justification:
            item.deliberated.append(row)
    for item in decisions.values():
        item.places.sort(key=lambda row: (row.place, row.computed_place or 0, row.pk))
    return decisions


def decided_places(run_ids, entry_ids) -> dict[tuple[int, int], int | None]:
    """(run id, entry id) -> the place the recorded decision of the entry's area on the run
    gives it (None: no place), for the given runs and entries that a decision places: one
    query. Registered in `deliberation.apps` as the decided half of the published place
    (`scoring.selectors.public.published_places`)."""
    rows = (_recorded_places().filter(decision__run_id__in=run_ids, entry_id__in=entry_ids)
            .values_list("decision__run_id", "entry_id", "place"))
    return {(run_id, entry_id): place for run_id, entry_id, place in rows}


@dataclass
class PanelLink:
    panel: AreaPanel
    is_open: bool  # the round's scoring has closed
    can_see: bool  # and the juror's own sheets are all in
    is_chair: bool


def panels_of_juror(*, user: User) -> list[PanelLink]:
    """Every panel the juror sits on (an area and round they were assigned in, and every
    round of an area they chair), with whether it is open to them (`juror_panels`, the
    panel rules read at once): six queries, whatever the number of panels."""
    from .rules import juror_panels, panel_is_open

    standing = juror_panels(user)
    pairs = set(standing.assigned)
    areas = {area.pk: area for area in ThematicArea.objects.filter(
        pk__in={a for a, _r in pairs} | standing.chaired).select_related("edition")}
    editions = {area.edition_id: area.edition for area in areas.values()}
    rounds = {r.pk: r for r in JudgingRound.objects.filter(edition__in=editions)}
    for judging_round in rounds.values():
        judging_round.edition = editions[judging_round.edition_id]
    for area_id in standing.chaired:
        pairs |= {(area_id, r.pk) for r in rounds.values()
                  if r.edition_id == areas[area_id].edition_id}
    links = []
    for area_id, round_id in sorted(pairs, key=lambda p: (
            -areas[p[0]].edition_id, areas[p[0]].order, areas[p[0]].code,
            rounds[p[1]].number)):
        panel = AreaPanel(areas[area_id], rounds[round_id])
        links.append(PanelLink(panel, panel_is_open(panel), standing.can_see(panel),
                               area_id in standing.chaired))
    return links
