"""Reads of the ranking: the engine's input (a fixed number of queries, whatever the size of
the edition), and the organiser's results page (runs side by side, breakdown, charts)."""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from django.db import connections
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from competitions.models import Criterion, Edition, RubricLevel, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry
from practices.selectors import entries_undecided

from ..engine import AreaSpec, CriterionSpec, RankingInput
from ..enums import (
    RESULT_FLAGS,
    LeftOutReason,
    RankingMethod,
    RunStatus,
    SheetStatus,
    agreement_statistic_label,
)
from ..models import (
    JurySheet,
    PublicationEvent,
    RankingResult,
    RankingRun,
    scored_in_round,
)


class RankingInputError(ValueError):
    """The counted sheets cannot be ranked as they are (the message says why)."""


def counted_sheets(*, edition: Edition, judging_round=None) -> QuerySet[JurySheet]:
    """Every sheet that counts (rule 1 of the design): submitted, non-recused sheets of
    the edition's eligible entries (of one round's sheets, when a round is given)."""
    sheets = JurySheet.objects.filter(
        entry__edition=edition,
        entry__status__in=EntryStatus.ranked,
        status=SheetStatus.SUBMITTED,
        recused=False,
    )
    if judging_round is not None:
        sheets = sheets.filter(round=judging_round)
    return sheets


def _round_weight(judging_round, criterion_id: int, weight) -> float:
    """The round's own weight of a criterion, else the edition's."""
    own = (judging_round.weights or {}) if judging_round is not None else {}
    return float(own.get(str(criterion_id), weight))


# Rows (or COPY bytes) are turned into numbers this many at a time: the job never holds
# the scores as Python objects, whatever the size of the edition.
FETCH_ROWS = 20_000
COPY_BYTES = 1 << 20
# COPY's binary format: a signature, flags and a header extension (of length 0), then per
# row the number of fields (int16) and each field's length (int32) and bytes; -1 ends.
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
COPY_HEADER = len(COPY_SIGNATURE) + 8


def _fetch_numbers(query: QuerySet, *, width: int) -> np.ndarray:
    """The rows of a values_list query of `width` numeric columns as one float64 array
    (NULL as NaN), read as `_read_numbers` does."""
    chunks: list[np.ndarray] = []
    _read_numbers(query, width=width, consume=chunks.append)
    if not chunks:
        return np.empty((0, width))
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


def _read_numbers(query: QuerySet, *, width: int,
                  consume: Callable[[np.ndarray], None]) -> None:
    """Hand the rows of a values_list query of `width` numeric columns to `consume` as
    float64 arrays (rows, width), NULL as NaN, a chunk at a time: on PostgreSQL as binary
    `COPY (query) TO STDOUT` (every column cast to float8, so a row is fixed-size and
    numpy reads it as it is), elsewhere `fetchmany` chunks turned into arrays. Memory: one
    chunk, never a Python tuple per row."""
    connection = connections[query.db]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
            names = [f"c{i}" for i in range(width)]
            floats = ", ".join(f"COALESCE({name}::float8, 'NaN')" for name in names)
            copy = (f"COPY (SELECT {floats} FROM ({raw.mogrify(sql, params).decode()}) "  # noqa: S608 - the ORM's own SQL
                    f"AS q({', '.join(names)})) TO STDOUT WITH (FORMAT binary)")
            sink = _BinaryRows(consume, width)
            # logged like any query when queries are (DEBUG, the tests' query counts)
            logged = getattr(cursor, "debug_sql", None)
            # psycopg2 writes each row on its own: the buffer hands them on a COPY_BYTES at
            # a time.
            with (logged(copy) if logged else nullcontext(),
                  io.BufferedWriter(sink, buffer_size=COPY_BYTES) as buffered):
                raw.copy_expert(copy, buffered)
            sink.finish()
        else:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(FETCH_ROWS):
                consume(np.fromiter(chain.from_iterable(rows), dtype=np.float64,
                                    count=len(rows) * width).reshape(-1, width))


class _BinaryRows(io.RawIOBase):
    """The sink of a binary COPY of `width` float8 columns: complete rows are read with
    one structured numpy dtype as the bytes arrive, a partial row waits for the next."""

    def __init__(self, consume: Callable[[np.ndarray], None], width: int):
        self.consume = consume
        self.width = width
        self.row = np.dtype([("fields", ">i2")] + [
            (f"{kind}{i}", ">i4" if kind == "length" else ">f8")
            for i in range(width) for kind in ("length", "value")])
        self.pending = b""
        self.header = True

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        size = len(data)
        data = self.pending + bytes(data)
        if self.header:
            if len(data) < COPY_HEADER:
                self.pending = data
                return size
            if not data.startswith(COPY_SIGNATURE):
                raise ValueError("not a binary COPY stream")
            extension = int.from_bytes(data[COPY_HEADER - 4:COPY_HEADER], "big")
            data = data[COPY_HEADER + extension:]
            self.header = False
        whole = len(data) // self.row.itemsize * self.row.itemsize
        if whole:
            rows = np.frombuffer(data[:whole], dtype=self.row)
            end = np.flatnonzero(rows["fields"] == -1)  # the trailer
            if len(end):
                rows = rows[:end[0]]
            if (rows["fields"] != self.width).any():
                raise ValueError("unexpected row in a binary COPY stream")
            self.consume(np.stack(
                [rows[f"value{i}"].astype(np.float64) for i in range(self.width)], axis=1))
        self.pending = data[whole:]
        return size

    def finish(self) -> None:
        """Only the 2-byte trailer may be left over."""
        if self.pending not in (b"", b"\xff\xff"):
            raise ValueError("a binary COPY stream ended within a row")


def ranking_input_load(*, edition: Edition, judging_round=None) -> RankingInput:
    """The engine's input for an edition in four queries: criteria, areas, eligible entries,
    and every counted sheet with its scores at once. The database pivots the scores (one
    row per sheet: sheet, entry, juror, how many scores, then one column per criterion
    in criterion order), which costs it less than handing over one row per score; the
    rows are read in chunks into numpy, no Python object per score."""
    criteria = list(
        Criterion.objects.filter(edition=edition).order_by("order", "id")
        .values_list("id", "weight", "order"))
    areas = list(ThematicArea.objects.filter(edition=edition).values_list("id", "awards", "order"))
    entries = _fetch_numbers(
        Entry.objects.filter(scored_in_round(judging_round), edition=edition,
                             status__in=EntryStatus.ranked)
        .order_by().values_list("id", "area_id"), width=2).astype(np.int64)
    if not criteria:
        raise RankingInputError("the edition has no criteria")
    sheets = _SheetScores(len(criteria))
    _read_numbers(_sheet_scores_query(edition, judging_round, [c[0] for c in criteria]),
                  width=sheets.width, consume=sheets.add)
    ids, scores = sheets.finish()
    return RankingInput.from_arrays(
        [CriterionSpec(id=i, weight=_round_weight(judging_round, i, w), order=o)
         for i, w, o in criteria],
        [AreaSpec(id=i, awards=a, order=o) for i, a, o in areas],
        (entries[:, 0], entries[:, 1]),
        sheet_entry_ids=ids[:, 1],
        sheet_juror_ids=ids[:, 2],
        scores=scores,
        scale_min=edition.scale_min,
        scale_max=edition.scale_max,
        min_sheets=edition.min_sheets_per_entry,
    )


def _sheet_scores_query(edition: Edition, judging_round, criterion_ids: list[int]) -> QuerySet:
    """One row per counted sheet with at least one score: (sheet, entry, juror, number of
    scores, the score of each criterion of `criterion_ids` in that order or NULL)."""
    columns = {f"score_{i}": Max("scores__value", filter=Q(scores__criterion_id=criterion))
               for i, criterion in enumerate(criterion_ids)}
    return (counted_sheets(edition=edition, judging_round=judging_round).order_by()
            .values("id", "entry_id", "juror_id")
            .annotate(scored=Count("scores"), **columns).filter(scored__gt=0)
            .values_list("id", "entry_id", "juror_id", "scored", *columns))


class _SheetScores:
    """Rows of `_sheet_scores_query` in, (sheet, entry, juror) ids and the (sheets,
    criteria) scores out; a missing score or a score of another edition's criterion is
    refused with the sheet it is on."""

    def __init__(self, criteria: int):
        self.width = 4 + criteria
        self.ids: list[np.ndarray] = []
        self.scores: list[np.ndarray] = []

    def add(self, chunk: np.ndarray) -> None:
        # float64 holds ids exactly (below 2**53) and a missing score as NaN.
        scores = chunk[:, 4:]
        missing = np.isnan(scores).any(axis=1)
        if missing.any():
            raise RankingInputError(f"submitted jury sheet {int(chunk[missing, 0][0])} has "
                                    f"a criterion without a score")
        foreign = chunk[:, 3] > scores.shape[1]
        if foreign.any():
            raise RankingInputError(f"jury sheet {int(chunk[foreign, 0][0])} scores a "
                                    f"criterion of another edition")
        self.ids.append(chunk[:, :3].astype(np.int64))
        self.scores.append(np.ascontiguousarray(scores))  # not a view: the chunk goes

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.ids:
            return np.zeros((0, 3), dtype=np.int64), np.zeros((0, self.width - 4))
        ids, scores = np.concatenate(self.ids), np.concatenate(self.scores)
        self.ids = self.scores = []
        return ids, scores


SNAPSHOT_VERSION = 1

# Entries entered but never handed to the engine, and why (drafts were never entered).
LEFT_OUT_STATUSES = {
    EntryStatus.SUBMITTED: LeftOutReason.UNDECIDED,
    EntryStatus.INELIGIBLE: LeftOutReason.INELIGIBLE,
    EntryStatus.WITHDRAWN: LeftOutReason.WITHDRAWN,
}


def ranking_snapshot_load(*, edition: Edition, method: str, parameters: dict,
                          judging_round=None) -> dict:
    """Everything a run is computed with, as plain JSON (four queries): criteria (titles in
    both languages, weight, order, guidance, rubric levels), areas (code, titles,
    awards), scale, minimum of sheets, method and parameters, and the entered entries the
    engine is not given, with the reason (no eligibility decision, ineligible, withdrawn).
    The run stores it, the fingerprint covers it, and everything public reads it."""
    criteria = (Criterion.objects.filter(edition=edition).order_by("order", "id")
                .prefetch_related(Prefetch("rubric_levels",
                                           queryset=RubricLevel.objects.order_by("score"))))
    areas = ThematicArea.objects.filter(edition=edition).order_by("order", "code")
    left_out = (Entry.objects.filter(edition=edition, status__in=list(LEFT_OUT_STATUSES))
                .order_by("id").values_list("id", "area_id", "status"))
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "edition": edition.slug,
        "method": method,
        "parameters": {key: parameters[key] for key in sorted(parameters)},
        "scale": [edition.scale_min, edition.scale_max],
        "min_sheets": edition.min_sheets_per_entry,
        "criteria": [{
            "id": c.pk, "order": c.order,
            "weight": _round_weight(judging_round, c.pk, c.weight),
            "title": c.title, "title_en": c.title_en,
            "guidance": c.guidance, "guidance_en": c.guidance_en,
            "rubric": [{"score": level.score, "description": level.description,
                        "description_en": level.description_en}
                       for level in c.rubric_levels.all()],
        } for c in criteria],
        "areas": [{
            "id": a.pk, "code": a.code, "order": a.order, "awards": a.awards,
            "title": a.title, "title_en": a.title_en,
            "description": a.description, "description_en": a.description_en,
        } for a in areas],
        "left_out": [{"entry": entry_id, "area": area_id,
                      "reason": str(LEFT_OUT_STATUSES[status].value)}
                     for entry_id, area_id, status in left_out],
    }
    if judging_round is not None and judging_round.number > 1:
        # Recorded only for later rounds: a one-round edition's record stays as it was.
        snapshot["round"] = judging_round.number
    return snapshot


# --- the organiser's results page --------------------------------------------------------
RESULTS_PREVIEW = 50
# Krippendorff's alpha below this is flagged: 0.667 is his lowest bar for tentative
# conclusions; below 0.4 the jury's totals agree little more than chance would.
LOW_AGREEMENT = 0.4
ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass
class ResultRow:
    """One entry of the chosen run, with its standing in the run it is compared with."""

    result: RankingResult
    scores: list[float | None]
    other_rank: int | None = None
    other_place: int | None = None
    other_total: float | None = None
    compared: bool = False

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        return [(flag, str(RESULT_FLAGS.get(flag, flag))) for flag in self.result.flags or []]

    @property
    def rank_change(self) -> int | None:
        """Positive: the entry is higher in the chosen run than in the other one."""
        if not self.compared or self.result.rank is None or self.other_rank is None:
            return None
        return self.other_rank - self.result.rank

    @property
    def place_changed(self) -> bool:
        return self.compared and self.result.place != self.other_place



@dataclass
class AreaResultsBlock:
    area: ThematicArea
    rows: list[ResultRow]
    result_count: int
    agreement: float | None = None
    agreement_statistic: str = ""
    leniency: list[dict] = field(default_factory=list)

    @property
    def is_partial(self) -> bool:
        return self.result_count > len(self.rows)

    @property
    def low_agreement(self) -> bool:
        return self.agreement is not None and self.agreement < LOW_AGREEMENT


@dataclass
class Scenario:
    """One what-if of the run's sensitivity report, with the entries whose place moves."""

    label: str
    changes: list[tuple[str, int | None, int | None]]  # (entry title, place before, after)


@dataclass
class ResultsPage:
    edition: Edition
    criteria: list[Criterion]
    runs: list[RankingRun]
    run: RankingRun | None
    other: RankingRun | None
    areas: list[AreaResultsBlock]
    moved: list[ResultRow]
    events: list[PublicationEvent]
    chart: dict
    area: ThematicArea | None = None
    preview: int = RESULTS_PREVIEW
    sensitivity: list[Scenario] = field(default_factory=list)
    # Submitted entries with no eligibility decision: the next run would leave them out.
    undecided: list[Entry] = field(default_factory=list)
    # What the shown run left out and why: (reason label, entries).
    left_out: list[tuple[str, list[Entry]]] = field(default_factory=list)

    @property
    def published(self) -> RankingRun | None:
        return next((run for run in self.runs if run.is_published), None)

    @property
    def succeeded(self) -> list[RankingRun]:
        return [run for run in self.runs if run.status == RunStatus.SUCCEEDED]


def _pick(runs: list[RankingRun], run_id: int | None) -> RankingRun | None:
    if run_id is None:
        return None
    return next((run for run in runs if run.pk == run_id and run.status == RunStatus.SUCCEEDED),
                None)


def results_page(*, edition: Edition, run_id: int | None = None, other_id: int | None = None,
                 area_id: int | None = None, preview: int = RESULTS_PREVIEW) -> ResultsPage:
    """The runs of an edition, the chosen run (default: the published one, else the latest
    that succeeded) side by side with another (default: none), per area its first
    `preview` ranks (all of them for `area_id`), the entries whose standing differs
    between the two runs, the publication record, and the data of the charts.

    Ten queries whatever the number of entries and runs (eleven when the run left entries
    out: they are named)."""
    runs = list(RankingRun.objects.filter(edition=edition).select_related("requested_by", "round")
                .order_by("-created_at", "-pk"))
    run, other = _runs_chosen(runs, run_id, other_id)
    criteria = list(Criterion.objects.filter(edition=edition).order_by("order", "id"))
    areas = list(ThematicArea.objects.filter(edition=edition).order_by("order", "code"))
    events = list(PublicationEvent.objects.filter(run__edition=edition)
                  .select_related("by", "run").order_by("-at", "-pk"))
    chosen_area = _area_chosen(areas, area_id)
    undecided = list(entries_undecided(edition=edition))
    if run is None:
        return ResultsPage(edition, criteria, runs, None, other, [], [], events, {},
                           chosen_area, preview, undecided=undecided)

    columns = _result_columns(run)
    standing = _standing(other)
    moved_ids = _moved_ids(columns, standing, preview)
    results = _results_shown(run, chosen_area, preview, moved_ids)
    rows_by_area, moved = _result_rows(results, width=len(criteria), standing=standing,
                                       moved_ids=moved_ids, whole_area=chosen_area is not None,
                                       preview=preview)
    blocks = _area_blocks(run, [chosen_area] if chosen_area else areas, rows_by_area,
                          Counter(area for _entry_id, area, *_rest in columns))
    chart = _chart_data(edition, blocks, columns)
    return ResultsPage(edition, criteria, runs, run, other, blocks, moved, events, chart,
                       chosen_area, preview, _sensitivity(run, criteria, results),
                       undecided=undecided, left_out=run_left_out(run=run))


def _runs_chosen(runs: list[RankingRun], run_id: int | None,
                 other_id: int | None) -> tuple[RankingRun | None, RankingRun | None]:
    """The run shown (the one asked for, else the published one, else the latest that
    succeeded) and the one it is compared with (none if it is the same run)."""
    succeeded = [run for run in runs if run.status == RunStatus.SUCCEEDED]
    run = _pick(runs, run_id) or next((r for r in succeeded if r.is_published), None) or (
        succeeded[0] if succeeded else None)
    other = _pick(runs, other_id)
    if other is not None and run is not None and other.pk == run.pk:
        other = None
    return run, other


def _area_chosen(areas: list[ThematicArea], area_id: int | None) -> ThematicArea | None:
    """The area asked for among the edition's (DoesNotExist if it is not one of them)."""
    if area_id is None:
        return None
    chosen = next((area for area in areas if area.pk == area_id), None)
    if chosen is None:
        raise ThematicArea.DoesNotExist
    return chosen


def _result_columns(run: RankingRun) -> list[tuple]:
    """(entry, area, rank, place, total) of every result of the run: cheap columns, one
    query."""
    return list(RankingResult.objects.filter(run=run).order_by()
                .values_list("entry_id", "area_id", "rank", "place", "total"))


def _standing(other: RankingRun | None) -> dict[int, tuple] | None:
    """(rank, place, total) per entry in the run compared with (None without one)."""
    if other is None:
        return None
    return {entry_id: (rank, place, total)
            for entry_id, _a, rank, place, total in _result_columns(other)}


def _moved_ids(columns: list[tuple], standing: dict[int, tuple] | None,
               preview: int) -> set[int]:
    """The entries whose standing differs between the two runs (none without a second)."""
    if standing is None:
        return set()
    return {entry_id for entry_id, _a, rank, place, _t in columns
            if _moved(rank, place, *standing.get(entry_id, (None, None))[:2], preview=preview)}


def _results_shown(run: RankingRun, chosen_area: ThematicArea | None, preview: int,
                   moved_ids: set[int]) -> list[RankingResult]:
    """The results on the page: every one of the chosen area, else the first `preview`
    ranks of each area, those placed or unranked, and those moved or in the sensitivity
    report."""
    shown = RankingResult.objects.filter(run=run)
    if chosen_area is not None:
        shown = shown.filter(area=chosen_area)
    else:
        shown = shown.filter(Q(rank__lte=preview) | Q(place__isnull=False)
                             | Q(rank__isnull=True)
                             | Q(entry_id__in=_capped(moved_ids | _sensitivity_ids(run))))
    return list(shown.select_related("entry__practice__municipality")
                .order_by(F("rank").asc(nulls_last=True), "entry_id"))


def _result_rows(results: list[RankingResult], *, width: int, standing: dict[int, tuple] | None,
                 moved_ids: set[int], whole_area: bool,
                 preview: int) -> tuple[dict[int, list[ResultRow]], list[ResultRow]]:
    """The rows of each area's table, and those of the entries that moved between the runs
    (sorted by area and rank). `standing`: the compared run's, None when there is none. A
    result beyond the preview that is not placed only shows among the moved ones, unless
    the whole area is shown."""
    rows_by_area: dict[int, list[ResultRow]] = defaultdict(list)
    moved: list[ResultRow] = []
    for result in results:
        scores = list(result.criterion_scores or [])
        row = ResultRow(result, (scores + [None] * width)[:width])
        if standing is not None:
            row.compared = True
            row.other_rank, row.other_place, row.other_total = standing.get(
                result.entry_id, (None, None, None))
        if result.entry_id in moved_ids:
            moved.append(row)
        beyond_preview = (result.rank is not None and result.rank > preview
                          and result.place is None)
        if whole_area or not beyond_preview:
            rows_by_area[result.area_id].append(row)
    moved.sort(key=lambda row: (row.result.area_id, row.result.rank or 10**9, row.result.pk))
    return rows_by_area, moved


def _area_blocks(run: RankingRun, areas: list[ThematicArea],
                 rows_by_area: dict[int, list[ResultRow]],
                 counts: Counter) -> list[AreaResultsBlock]:
    """Per area its rows, how many results it has, and what the run's report says of the
    jury's agreement and each juror's leniency (named: one query)."""
    jurors = _juror_names(run)
    report_areas = {item.get("area_id"): item for item in (run.report or {}).get("areas", [])
                    if isinstance(item, dict)}
    blocks = []
    for area in areas:
        item = report_areas.get(area.pk, {})
        leniency = [{"juror": jurors.get(entry.get("juror_id"), str(entry.get("juror_id"))),
                     "mean_deviation": entry.get("mean_deviation"),
                     "sheet_count": entry.get("sheet_count")}
                    for entry in item.get("leniency", [])]
        blocks.append(AreaResultsBlock(area, rows_by_area.get(area.pk, []), counts[area.pk],
                                       item.get("agreement"),
                                       agreement_statistic_label(
                                           str(item.get("agreement_statistic", ""))),
                                       leniency))
    return blocks


def run_left_out(*, run: RankingRun) -> list[tuple[str, list[Entry]]]:
    """The entries the run recorded as left out, grouped by reason in the order of the
    reasons, with their practice and municipality (one query)."""
    items = (run.snapshot or {}).get("left_out", []) if isinstance(run.snapshot, dict) else []
    if not items:
        return []
    entries = Entry.objects.select_related("practice__municipality", "area").in_bulk(
        [item["entry"] for item in items])
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for item in items:
        if item["entry"] in entries:
            grouped[item["reason"]].append(entries[item["entry"]])
    return [(str(reason.label), grouped[reason.value]) for reason in LeftOutReason
            if grouped.get(reason.value)]


def _scenario_label(name: str, criteria: list[Criterion]) -> str:
    """'method:median' -> the method's name; 'weight:<id>:x1.1' -> 'C2 weight x1.1'."""
    kind, _sep, rest = name.partition(":")
    if kind == "method":
        return str(RankingMethod(rest).label) if rest in RankingMethod.values else rest
    criterion_id, _sep, factor = rest.partition(":")
    order = next((c.order for c in criteria if str(c.pk) == criterion_id), criterion_id)
    return _("Weight of C%(order)s %(factor)s") % {"order": order,
                                                    "factor": factor.replace("x", "×")}


def _sensitivity_ids(run: RankingRun) -> set[int]:
    scenarios = (run.report or {}).get("sensitivity", {}).get("scenarios", [])
    return {change["entry_id"] for scenario in scenarios for change in scenario["changes"]}


def _sensitivity(run: RankingRun, criteria: list[Criterion],
                 results: list[RankingResult]) -> list[Scenario]:
    """The run's what-ifs with the titles of the entries whose place moves (fetched with
    the shown results, no query of their own)."""
    scenarios = (run.report or {}).get("sensitivity", {}).get("scenarios", [])
    titles = {r.entry_id: r.entry.practice.display_title for r in results}
    return [Scenario(_scenario_label(scenario["name"], criteria),
                     [(titles.get(c["entry_id"], str(c["entry_id"])), c["place_before"],
                       c["place_after"]) for c in scenario["changes"]])
            for scenario in scenarios]


MOVED_CAP = 500


def _moved(rank, place, other_rank, other_place, *, preview: int) -> bool:
    """Worth showing among "who moved": another place, or another rank near the top."""
    if place != other_place:
        return True
    near_top = min(r for r in (rank, other_rank, 10**9) if r is not None) <= preview
    return rank != other_rank and near_top


def _capped(ids: set[int]) -> list[int]:
    """At most MOVED_CAP ids of moved entries are fetched in full (the first, by id)."""
    return sorted(ids)[:MOVED_CAP]


def _juror_names(run: RankingRun) -> dict[int, str]:
    """Names of the jurors the run's report mentions (one query)."""
    ids = {entry.get("juror_id") for area in (run.report or {}).get("areas", [])
           if isinstance(area, dict) for entry in area.get("leniency", [])}
    ids.discard(None)
    return {pk: (f"{first} {last}".strip() or username) for pk, first, last, username in
            User.objects.filter(pk__in=ids).values_list("pk", "first_name", "last_name",
                                                         "username")}


def _chart_data(edition: Edition, blocks: list[AreaResultsBlock], columns: list) -> dict:
    """Histograms of the totals per area (bins of half a point on the edition's scale) and
    each juror's leniency per area, for Chart.js."""
    low, high = float(edition.scale_min), float(edition.scale_max)
    edges = np.arange(low, high + 0.5, 0.5)
    if edges[-1] < high:
        edges = np.append(edges, high)
    totals: dict[int, list[float]] = defaultdict(list)
    for _entry_id, area, _rank, _place, total in columns:
        if total is not None:
            totals[area].append(total)
    distribution = []
    leniency = []
    for block in blocks:
        counts, _edges = np.histogram(np.array(totals.get(block.area.pk, []), dtype=float),
                                      bins=edges)
        distribution.append({"area": block.area.code, "counts": counts.tolist()})
        leniency.append({"area": block.area.code,
                         "jurors": [item["juror"] for item in block.leniency],
                         "values": [round(item["mean_deviation"] or 0.0, 3)
                                    for item in block.leniency]})
    labels = [f"{a:g}–{b:g}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    # One scale for every area of the edition, so that areas compare at a glance: the
    # counts' axis up to the largest bin of any area, leniency on the same ± range.
    count_max = max((max(item["counts"], default=0) for item in distribution), default=0)
    leniency_max = max((abs(value) for item in leniency for value in item["values"]),
                       default=0.0)
    return {"bins": labels, "distribution": distribution, "leniency": leniency,
            "count_max": max(int(count_max), 1),
            "leniency_max": math.ceil(leniency_max * 2) / 2 or 0.5}


def run_for_edition(*, edition: Edition, run_id: int) -> RankingRun:
    """One run of the edition, for the progress fragment (one query; 404 elsewhere)."""
    return RankingRun.objects.get(edition=edition, pk=run_id)
