"""Reads of a ranking run's record: the set-up it was computed with (its snapshot) and its
counted sheets, anonymised, as everything public about a published edition shows them.

Public pages, exports, feeds and the API read the published run's snapshot through
`run_setup`, never the live criteria and areas (which an organiser may change later);
runs computed before snapshots existed fall back to the live set-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)

from competitions.models import Criterion, RubricLevel, ThematicArea

from ..enums import LeftOutReason, SheetStatus
from ..juror_codes import juror_code
from ..models import RankingRun, SheetScore
from ..records import (
    AreaRecord,
    CriterionRecord,
    RubricLevelRecord,
    area_record,
    recorded_item,
)

__all__ = ["AreaRecord", "CriterionRecord", "RubricLevelRecord", "RunSetup", "published_snapshot",
           "recorded_item",
           "run_setup", "run_sheets_stream"]


@dataclass
class RunSetup:
    criteria: list[CriterionRecord]
    areas: list[AreaRecord]
    scale: tuple[int, int]
    min_sheets: int
    left_out: list[dict] = field(default_factory=list)
    recorded: bool = True  # False: an old run without a snapshot, read from the live set-up

    def area(self, area_id: int) -> AreaRecord | None:
        return next((area for area in self.areas if area.id == area_id), None)

    @property
    def areas_by_id(self) -> dict[int, AreaRecord]:
        return {area.id: area for area in self.areas}

    @property
    def left_out_counts(self) -> list[tuple[str, str, int]]:
        """(reason, its label, how many entries), in the order of the reasons."""
        counts: dict[str, int] = {}
        for item in self.left_out:
            counts[item["reason"]] = counts.get(item["reason"], 0) + 1
        return [(reason.value, str(reason.label), counts[reason.value])
                for reason in LeftOutReason if reason.value in counts]


def _from_snapshot(snapshot: dict) -> RunSetup:
    criteria = [CriterionRecord(
        id=c["id"], order=c["order"], weight=c["weight"], title=c["title"],
        title_en=c.get("title_en", ""), guidance=c.get("guidance", ""),
        guidance_en=c.get("guidance_en", ""),
        rubric=[RubricLevelRecord(level["score"], level["description"],
                                  level.get("description_en", ""))
                for level in c.get("rubric", [])]) for c in snapshot["criteria"]]
    areas = [area_record(a) for a in snapshot["areas"]]
    scale = snapshot["scale"]
    return RunSetup(criteria, areas, (scale[0], scale[1]), snapshot["min_sheets"],
                    list(snapshot.get("left_out", [])))


def _from_live(run: RankingRun) -> RunSetup:
    edition = run.edition
    criteria = [CriterionRecord(
        id=c.pk, order=c.order, weight=float(c.weight), title=c.title, title_en=c.title_en,
        guidance=c.guidance, guidance_en=c.guidance_en,
        rubric=[RubricLevelRecord(level.score, level.description, level.description_en)
                for level in c.rubric_levels.all()])
        for c in Criterion.objects.filter(edition_id=run.edition_id).order_by("order", "id")
        .prefetch_related(Prefetch("rubric_levels",
                                   queryset=RubricLevel.objects.order_by("score")))]
    areas = [AreaRecord(id=a.pk, code=a.code, order=a.order, awards=a.awards, title=a.title,
                        title_en=a.title_en, description=a.description,
                        description_en=a.description_en)
             for a in ThematicArea.objects.filter(edition_id=run.edition_id)
             .order_by("order", "code")]
    return RunSetup(criteria, areas, (edition.scale_min, edition.scale_max),
                    edition.min_sheets_per_entry, recorded=False)


def published_snapshot() -> Subquery:
    """For a query over areas or criteria: the snapshot of their edition's published run,
    as the annotation of each row (no query of its own)."""
    return Subquery(RankingRun.objects.filter(edition=OuterRef("edition"), is_published=True)
                    .values("snapshot")[:1], output_field=JSONField())


def run_setup(*, run: RankingRun) -> RunSetup:
    """The criteria (weights, rubric), areas (titles, awards), scale and minimum of sheets
    the run was computed with: its snapshot, no query; the live set-up (three queries) for
    a run computed before runs recorded one."""
    snapshot = run.snapshot if isinstance(run.snapshot, dict) else {}
    if snapshot.get("criteria") and snapshot.get("areas") is not None:
        return _from_snapshot(snapshot)
    return _from_live(run)


def run_sheets_stream(*, run: RankingRun, setup: RunSetup | None = None,
                      chunk_size: int = 5000) -> Iterator[dict]:
    """The sheets the run counted (of its round), as published: per sheet its area (code and
    id), entry id, the juror's anonymous code (`scoring.juror_codes`) and the scores in
    criterion order; no comment, no user, no practice. Sorted by area order, entry, juror
    code. One query, read `chunk_size` scores at a time: what is held in memory is one
    entry's sheets, whatever the number of entries (the open-data exports)."""
    setup = setup or run_setup(run=run)
    areas = setup.areas_by_id
    column = {criterion.id: index for index, criterion in enumerate(setup.criteria)}
    width = len(column)
    order = Case(*(When(area_id=area.id, then=Value(area.order)) for area in setup.areas),
                 default=Value(0), output_field=IntegerField())
    # One join to the run's result of each sheet's entry: its area, and its place in order.
    scores = (SheetScore.objects.filter(sheet__entry__ranking_results__run=run,
                                        sheet__round_id=run.round_id,
                                        sheet__status=SheetStatus.SUBMITTED,
                                        sheet__recused=False)
              .annotate(area_id=F("sheet__entry__ranking_results__area_id"))
              .annotate(area_order=order)
              .order_by("area_order", "area_id", "sheet__entry_id", "sheet_id")
              .values_list("area_id", "sheet__entry_id", "sheet_id", "sheet__juror_id",
                           "criterion_id", "value"))
    codes: dict[int, str] = {}
    entry: list[dict] = []  # the sheets of the entry being read
    sheet: dict | None = None
    sheet_id = None
    for area_id, entry_id, score_sheet_id, juror_id, criterion_id, value in scores.iterator(
            chunk_size=chunk_size):
        if score_sheet_id != sheet_id:
            if entry and entry[0]["entry_id"] != entry_id:
                yield from sorted(entry, key=lambda item: item["juror"])
                entry = []
            code = codes.get(juror_id)
            if code is None:
                code = codes[juror_id] = juror_code(run.juror_salt, juror_id)
            area = areas.get(area_id)
            sheet_id = score_sheet_id
            sheet = {"area": area.code if area else "", "area_id": area_id,
                     "entry_id": entry_id, "juror": code, "scores": [None] * width}
            entry.append(sheet)
        index = column.get(criterion_id)
        if index is not None:
            sheet["scores"][index] = value
    yield from sorted(entry, key=lambda item: item["juror"])
