"""Reads of the public face: the data of each public page, export, feed and API endpoint.

What is public (an edition, a result, a practice, a photo) is defined once, in
`scoring.selectors.public` (see its docstring); every read here starts from those
selectors and never restates the rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.lookups import Contains

from competitions.models import Edition, Municipality, ThematicArea
from competitions.selectors import editions_open_for_submissions
from deliberation.selectors import decisions_public
from practices.models import Photo, Practice, Topic
from scoring.enums import RunStatus, agreement_statistic_label
from scoring.models import RankingResult, RankingRun, ShortlistEntry
from scoring.records import area_record, recorded_item
from scoring.selectors.public import (
    editions_public,
    photos_published,
    practices_published,
    results_published,
    results_shown_by,
)
from scoring.selectors.snapshot import (
    AreaRecord,
    CriterionRecord,
    RunSetup,
    published_snapshot,
    run_setup,
    run_sheets_stream,
)
from uptake.selectors import adoptions_of, follow_ups_public

from .search import Casefold

__all__ = ["editions_public", "photos_published", "practices_published", "results_published"]


# --- /showcase/ --------------------------------------------------------------------------
@dataclass(frozen=True)
class ShowcaseFilters:
    """What a visitor asked for on /showcase/; empty values mean "any"."""

    edition: str = ""
    area: int | None = None
    region: str = ""
    municipality: int | None = None
    award: str = ""  # "", "winner" (any place) or a place number as text
    q: str = ""
    type: str = ""  # a practices.enums.InnovationType value
    topic: str = ""  # a Topic's slug
    sort: str = ""  # "" (newest), "award" or "title": SHOWCASE_SORTS


# How /showcase/ and the API may sort (the first is the default): newest edition first;
# awarded first (by place, then rank); by the practice's title.
SHOWCASE_SORTS = ("newest", "award", "title")


def showcase_results(*, filters: ShowcaseFilters) -> QuerySet[RankingResult]:
    """One row per public result (a practice entered in two areas appears twice, once per
    area, with its award there), filtered, with everything a card shows in two queries
    (the rows, and the practices' photos)."""
    results = results_published()
    if filters.edition:
        results = results.filter(run__edition__slug=filters.edition)
    if filters.area:
        results = results.filter(area_id=filters.area)
    if filters.region:
        results = results.filter(entry__practice__municipality__region=filters.region)
    if filters.municipality:
        results = results.filter(entry__practice__municipality_id=filters.municipality)
    if filters.award == "winner":
        results = results.filter(published_place__isnull=False)
    elif filters.award.isdigit():
        results = results.filter(published_place=int(filters.award))
    if filters.type:
        results = results.filter(entry__practice__innovation_type=filters.type)
    if filters.topic:
        results = results.filter(Exists(Topic.objects.filter(
            slug=filters.topic, practices=OuterRef("entry__practice"))))
    ordering = showcase_ordering(filters.sort)
    if filters.q:
        results, ordering = _search(results, filters.q, ordering,
                                    relevance_first=filters.sort in ("", SHOWCASE_SORTS[0]))
    return (results
            .select_related("entry__practice__municipality", "area", "run__edition")
            .prefetch_related(Prefetch("entry__practice__photos",
                                       queryset=Photo.objects.order_by("order", "id")),
                              Prefetch("entry__practice__topics",
                                       queryset=Topic.objects.order_by("order", "name")))
            .order_by(*ordering))


def showcase_ordering(sort: str) -> list[str]:
    """The order of public results for a sort of SHOWCASE_SORTS (anything else: newest)."""
    newest = ["-run__edition__submissions_open_at", "area__order", "area__code", "rank", "id"]
    if sort == "award":
        return [F("published_place").asc(nulls_last=True), "rank", *newest]
    if sort == "title":
        return ["entry__practice__title", "entry__practice_id", *newest]
    return newest


def _search(results: QuerySet[RankingResult], q: str, ordering: list,
            relevance_first: bool = True):
    """Full-text search on PostgreSQL (the `simple` configuration: the content is in
    Bulgarian and English and PostgreSQL has no Bulgarian stemmer), ranked by relevance;
    elsewhere a substring search on title, summary and municipality with the case folded
    in every alphabet (SQLite's own LIKE folds ASCII only: see portal/search.py)."""
    prefix = "entry__practice__"
    if connection.vendor == "postgresql":
        vector = (SearchVector(f"{prefix}title", f"{prefix}title_en", weight="A", config="simple")
                  + SearchVector(f"{prefix}municipality__name", f"{prefix}municipality__name_en",
                                 weight="A", config="simple")
                  + SearchVector(f"{prefix}summary", f"{prefix}summary_en", weight="B",
                                 config="simple"))
        query = SearchQuery(q, search_type="websearch", config="simple")
        results = (results.annotate(search=vector, relevance=SearchRank(vector, query))
                   .filter(search=query))
        return results, ["-relevance", *ordering] if relevance_first else ordering
    condition = Q()
    for name in ("title", "title_en", "summary", "summary_en", "municipality__name",
                 "municipality__name_en"):
        condition |= Q(Contains(Casefold(f"{prefix}{name}"), q.casefold()))
    return results.filter(condition), ordering


def showcase_counts(results: QuerySet[RankingResult]) -> tuple[int, int]:
    """How many results there are, and of how many distinct practices (a practice entered
    in two areas is one practice with two results), in one query."""
    counts = results.order_by().aggregate(results=Count("id"),
                                          practices=Count("entry__practice", distinct=True))
    return counts["results"], counts["practices"]


def in_language_order(items, label=str) -> list:
    """`items` sorted by their label as the active language sorts it (case and accents
    aside; Unicode order is the alphabet's order in English and in Bulgarian)."""
    return sorted(items, key=lambda item: (label(item).casefold(), label(item)))


@dataclass
class ShowcaseChoices:
    editions: list[Edition]
    areas: list[ThematicArea]
    regions: list[tuple[str, str]]  # (the value in the URL, the name in the UI language)
    municipalities: list[Municipality]
    max_awards: int = 0
    topics: list[Topic] = field(default_factory=list)


def showcase_choices() -> ShowcaseChoices:
    """The values each filter of /showcase/ offers: only those with public results
    (four queries, whatever the number of practices), named in the active language and
    sorted in its order (cache them per language)."""
    editions = list(editions_public())
    live = (ThematicArea.objects.filter(edition__in=[e.pk for e in editions])
            .annotate(run_snapshot=published_snapshot())
            .select_related("edition").order_by("-edition__submissions_open_at", "order",
                                                 "code"))
    areas = []
    for area in live:  # as the published run recorded it (titles, awards)
        item = recorded_item(area.run_snapshot, "areas", area.pk)
        record = area_record(item) if item is not None else area
        record.edition = area.edition
        areas.append(record)
    public = practices_published()
    municipalities = in_language_order(Municipality.objects.filter(
        Exists(public.filter(municipality=OuterRef("pk")))), lambda m: m.display_name)
    regions = in_language_order({(m.region, m.display_region) for m in municipalities},
                                lambda region: region[1])
    max_awards = max((area.awards for area in areas), default=0)
    topics = list(Topic.objects.filter(Exists(public.filter(topics=OuterRef("pk"))))
                  .order_by("order", "name"))
    return ShowcaseChoices(editions, areas, regions, municipalities, max_awards, topics)


# The facets of /showcase/: each a grouping of the filtered results, counting practices.
FACETS = {
    "type": "entry__practice__innovation_type",
    "topic": "entry__practice__topics__slug",
    "area": "area_id",
    "region": "entry__practice__municipality__region",
    "edition": "run__edition__slug",
    "award": "published_place",
}


def showcase_facets(results: QuerySet[RankingResult]) -> dict[str, dict]:
    """For each facet of FACETS, how many distinct practices of `results` (the filtered
    public results) have each value: one query per facet, whatever the number of
    practices. Values without a practice are left out (an empty type, no topic, no place:
    the award facet counts "no award" under None)."""
    counts = {}
    for name, path in FACETS.items():
        rows = (results.order_by().values_list(path)
                .annotate(n=Count("entry__practice", distinct=True)))
        counts[name] = {value: n for value, n in rows
                        if (value not in (None, "") or name == "award") and n}
    return counts


# --- /showcase/map/ --------------------------------------------------------------------
def region_counts() -> dict[str, dict[str, int]]:
    """Per region (Municipality.region), how many published practices come from it and
    how many of them won an award: one query, whatever the number of practices."""
    rows = (results_published().order_by()
            .values_list("entry__practice__municipality__region")
            .annotate(practices=Count("entry__practice", distinct=True),
                      winners=Count("entry__practice", distinct=True,
                                    filter=Q(published_place__isnull=False))))
    return {region: {"practices": practices, "winners": winners}
            for region, practices, winners in rows}


# --- /showcase/<slug>/ -------------------------------------------------------------------
@dataclass
class AreaResults:
    area: AreaRecord
    winners: list[RankingResult]
    ranked: list[RankingResult]
    agreement: dict = field(default_factory=dict)
    ranked_count: int = 0
    decision: object = None  # the jury's recorded decision (deliberation.PublicDecision)

    @property
    def is_partial(self) -> bool:
        return self.ranked_count > len(self.ranked)


@dataclass
class EditionResults:
    edition: Edition
    run: RankingRun
    criteria: list[CriterionRecord]
    areas: list[AreaResults]
    area: AreaRecord | None = None  # the one area asked for, all its entries shown
    preview: int = 0
    setup: RunSetup | None = None
    page: Page | None = None  # the page of the one area's ranks shown


def as_float_list(value) -> list[float | None]:
    if not isinstance(value, list):
        return []
    out: list[float | None] = []
    for item in value:
        try:
            out.append(None if item is None else float(item))
        except (TypeError, ValueError):
            out.append(None)
    return out


RESULTS_PREVIEW = 50


# The page of one area (every ranked entry of it) shows this many ranks a page.
AREA_PAGE_SIZE = 100


def edition_results(*, slug: str, area_id: int | None = None,
                    preview: int = RESULTS_PREVIEW, page: int = 1) -> EditionResults:
    """A public edition's published run, criteria (with rubric), and ranked results per
    area, winners first, and each area's recorded decision of the jury (where there is one,
    its places are the public ones): five queries whatever the number of entries. Criteria, weights,
    rubric, areas, awards, scale and minimum of sheets are the published run's snapshot,
    never the live set-up (seven queries for a run computed before runs recorded it).

    Every area shows its first `preview` ranks (and every awarded entry); with `area_id`
    only that area is shown, with all its ranked entries, AREA_PAGE_SIZE ranks a page
    (`page`; the same five queries on any page of any area). Raises Edition.DoesNotExist when
    the edition is not public, ThematicArea.DoesNotExist for an area not in it."""
    edition = editions_public().get(slug=slug)
    run = RankingRun.objects.get(edition=edition, is_published=True)
    run.edition = edition
    setup = run_setup(run=run)
    criteria = setup.criteria
    areas = sorted(setup.areas, key=lambda area: (area.order, area.code))
    public = results_published().filter(run=run)
    counts = dict(public.values_list("area_id").annotate(n=Count("id")).order_by())
    chosen = area_page = None
    if area_id is not None:
        chosen = next((area for area in areas if area.pk == area_id), None)
        if chosen is None:
            raise ThematicArea.DoesNotExist
        areas = [chosen]
        paginator = Paginator(public.filter(area_id=chosen.pk)
                              .select_related("entry__practice__municipality")
                              .order_by("rank", "entry__practice__title", "id"),
                              AREA_PAGE_SIZE)
        paginator.count = counts.get(chosen.pk, 0)  # known already: no query of its own
        area_page = paginator.get_page(page)
        results = list(area_page.object_list)
    else:
        shown = public.filter(Q(rank__lte=preview) | Q(place__isnull=False)
                              | Q(published_place__isnull=False))
        results = list(shown.select_related("entry__practice__municipality")
                       .order_by("rank", "entry__practice__title", "id"))
    report = run.report if isinstance(run.report, dict) else {}
    agreement_by_area = {}
    for item in report.get("areas", []) if isinstance(report.get("areas"), list) else []:
        if isinstance(item, dict) and "area_id" in item:
            statistic = item.get("agreement_statistic")
            agreement_by_area[item["area_id"]] = {
                **item, "statistic_label": agreement_statistic_label(statistic)
                if isinstance(statistic, str) else ""}
    by_area: dict[int, list[RankingResult]] = {area.pk: [] for area in areas}
    for result in results:
        result.scores = as_float_list(result.criterion_scores)
        result.breakdown = list(zip(criteria, result.scores + [None] * len(criteria),
                                    strict=False))
        by_area.setdefault(result.area_id, []).append(result)
    decisions = decisions_public(run=run)
    area_results = [
        AreaResults(area=area,
                    winners=[r for r in by_area[area.pk] if r.place is not None],
                    ranked=by_area[area.pk],
                    agreement=agreement_by_area.get(area.pk, {}),
                    ranked_count=counts.get(area.pk, 0),
                    decision=decisions.get(area.pk))
        for area in areas if by_area[area.pk]]
    return EditionResults(edition, run, criteria, area_results, chosen, preview, setup,
                          area_page)


# --- /practices/<id>/ --------------------------------------------------------------------
@dataclass
class PracticePage:
    practice: Practice
    results: list[RankingResult]
    related: list[Practice]
    follow_ups: list = field(default_factory=list)  # approved reports: the timeline
    adoptions: list = field(default_factory=list)  # municipalities that adopted it


def practice_page(*, practice_id: int, related_limit: int = 6) -> PracticePage:
    """A published practice with its photos, its public results and up to `related_limit`
    other published practices of the same municipality or of the same areas, its approved
    follow-up reports (with their photos) and its adoptions: seven queries.
    Raises Practice.DoesNotExist when the practice is not published."""
    practice = (practices_published().select_related("municipality")
                .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("order",
                                                                                     "id")))
                .get(pk=practice_id))
    practice.localized_summary = practice.localized("summary")
    results = list(results_published().filter(entry__practice=practice)
                   .select_related("area", "run__edition")
                   .order_by("-run__edition__submissions_open_at", "area__order"))
    area_ids = [result.area_id for result in results]
    related = list(
        practices_published().exclude(pk=practice.pk)
        .filter(Q(municipality_id=practice.municipality_id)
                | Exists(results_published().filter(entry__practice=OuterRef("pk"),
                                                    area_id__in=area_ids)))
        .select_related("municipality").order_by("-updated_at", "id")[:related_limit])
    return PracticePage(practice, results, related,
                        follow_ups=follow_ups_public(practice=practice),
                        adoptions=adoptions_of(practice=practice))


# --- home ------------------------------------------------------------------------------
@dataclass
class HomePage:
    open_editions: list[Edition]
    latest: Edition | None
    winners: list[RankingResult]
    numbers: dict


def home_page() -> HomePage:
    """The open calls, the winners of the latest public edition per area (winners first
    in area order), and the programme's numbers (public results only): five queries."""
    open_editions = list(editions_open_for_submissions())
    for edition in open_editions:  # templates cannot call methods with arguments
        edition.localized_call = edition.localized("call_text")
    latest = editions_public().first()
    winners: list[RankingResult] = []
    if latest is not None:
        winners = list(results_published().filter(run__edition=latest,
                                                     published_place__isnull=False)
                       .select_related("entry__practice__municipality", "area", "run")
                       .order_by("area__order", "area__code", "published_place", "id"))
    # Only public results count: entries of an edition still open or in review (or never
    # ranked) would let anyone watch submissions arrive.
    numbers = practices_published().aggregate(
        municipalities=Count("municipality", distinct=True), practices=Count("id"))
    numbers["editions"] = editions_public().count()
    return HomePage(open_editions, latest, winners, numbers)


# --- open data -------------------------------------------------------------------------
# The exports read their rows this many at a time: what they hold in memory does not grow
# with the edition.
EXPORT_CHUNK_ROWS = 2000

# What a row of an edition's results export reads: columns of the result, its practice and
# municipality; nothing of the run (its report is never read). The criterion scores and
# flags come as their JSON text (`export_json_list` reads it): the JSON field's own
# conversion costs several times the parse.
EXPORT_RESULT_FIELDS = (
    "area_id", "entry_id", "rank", "place", "entry__practice_id", "entry__practice__title",
    "entry__practice__title_en", "entry__practice__municipality__name",
    "entry__practice__municipality__name_en", "entry__practice__municipality__region",
    "entry__practice__municipality__region_en", "entry__practice__innovation_type",
    "scores_text", "total", "sheet_count", "rank_confidence", "flags_text",
    "published_place")


def _published_runs() -> QuerySet[RankingRun]:
    """The published runs of public editions, without their report (never exported)."""
    return (RankingRun.objects.filter(is_published=True, edition__in=editions_public())
            .defer("report").select_related("edition"))


def published_run(*, run_id: int) -> tuple[Edition, RankingRun, RunSetup] | None:
    """A public edition, its published run (without its report) and the set-up the run
    recorded, by the run's id: two queries (five for a run computed before runs recorded
    one); None when that run is not public."""
    run = _published_runs().filter(pk=run_id).first()
    return None if run is None else (run.edition, run, run_setup(run=run))


def _verification_runs() -> QuerySet[RankingRun]:
    """The runs of an earlier round that a later round's shortlist was made from, of public
    editions: published with the final round's run so that every round can be verified
    (their counted sheets anonymised, as the published run's), without their report."""
    return (RankingRun.objects.filter(status=RunStatus.SUCCEEDED, is_published=False,
                                      edition__in=editions_public())
            .filter(Exists(ShortlistEntry.objects.filter(run=OuterRef("pk"))))
            .defer("report").select_related("edition"))


def verification_run(*, slug: str, run_id: int) -> tuple[Edition, RankingRun, RunSetup] | None:
    """A public edition, one of its earlier rounds' runs behind a shortlist, and the set-up
    the run recorded; None when that run is not public for verification."""
    run = _verification_runs().filter(pk=run_id, edition__slug=slug).first()
    return None if run is None else (run.edition, run, run_setup(run=run))


def verification_runs(*, published: RankingRun) -> list[tuple[int, int]]:
    """(run id, round number) of the runs public for verification beside the `published`
    run, by round: none, and no query, when it is a run of round 1 (the only round)."""
    if not (published.snapshot or {}).get("round"):
        return []
    return list(_verification_runs().filter(edition_id=published.edition_id)
                .order_by("round__number", "pk").values_list("pk", "round__number"))


def published_run_id(*, slug: str) -> tuple[int, int] | None:
    """(run id, edition id) of a public edition's published run; None when the edition is
    not public. One query."""
    return _published_runs().filter(edition__slug=slug).values_list("pk", "edition_id").first()


def published_runs_ids() -> list[tuple[int, str]]:
    """(run id, edition slug) of every public edition's published run, newest edition
    first (the order of the bulk download)."""
    return list(_published_runs().order_by("-edition__submissions_open_at")
                .values_list("pk", "edition__slug"))


def _area_position(areas) -> Case:
    """An annotation that sorts results by their area's place in `areas` (the run's
    recorded areas, in order); areas it does not know come first."""
    return Case(*(When(area_id=area.id, then=Value(index)) for index, area in enumerate(areas)),
                default=Value(-1), output_field=IntegerField())


def _grouped(rows: Iterator[tuple]) -> Iterator[tuple[int, list]]:
    """(result id, [values]) from rows of (result id, value) sorted by the result."""
    current, values = None, []
    for result_id, value in rows:
        if result_id != current:
            if values:
                yield current, values
            current, values = result_id, []
        values.append(value)
    if values:
        yield current, values


def edition_results_stream(*, run: RankingRun, setup: RunSetup,
                           chunk_size: int = EXPORT_CHUNK_ROWS
                           ) -> Iterator[tuple[tuple, list[str], list[str]]]:
    """The public results of a public run (published, or an earlier round's run public for
    verification: the caller has checked) for its exports, in the recorded area order
    (order, code), then rank: per result its EXPORT_RESULT_FIELDS, its practice's topics
    (slugs, sorted) and the names of the municipalities that adopted it. Three queries
    read side by side in the same order, `chunk_size` rows at a time (the results, their
    practices' topics, their adoptions), merged as they come: what is held in memory does
    not grow with the edition."""
    areas = sorted(setup.areas, key=lambda area: (area.order, area.code, area.id))
    ordered = (results_shown_by(run)
               .annotate(area_position=_area_position(areas))
               .order_by("area_position", "area_id", "rank", "id"))
    rows = (ordered.annotate(scores_text=Cast("criterion_scores", TextField()),
                             flags_text=Cast("flags", TextField()))
            .values_list("id", *EXPORT_RESULT_FIELDS).iterator(chunk_size=chunk_size))
    topics = _grouped(ordered.filter(entry__practice__topics__isnull=False)
                      .order_by("area_position", "area_id", "rank", "id",
                                "entry__practice__topics__slug")
                      .values_list("id", "entry__practice__topics__slug")
                      .iterator(chunk_size=chunk_size))
    adoptions = _grouped(ordered.filter(entry__practice__adoptions__isnull=False)
                         .order_by("area_position", "area_id", "rank", "id",
                                   "entry__practice__adoptions__adopted_on",
                                   "entry__practice__adoptions__id")
                         .values_list("id", "entry__practice__adoptions__municipality__name")
                         .iterator(chunk_size=chunk_size))
    next_topics = next(topics, (None, []))
    next_adoptions = next(adoptions, (None, []))
    for result_id, *row in rows:
        slugs = adopters = []
        if next_topics[0] == result_id:
            slugs = next_topics[1]
            next_topics = next(topics, (None, []))
        if next_adoptions[0] == result_id:
            adopters = next_adoptions[1]
            next_adoptions = next(adoptions, (None, []))
        yield row, slugs, adopters


# json's C scanner called directly: json.loads' checks cost as much again per row. The text
# is the database's own rendering of a JSON column; one that does not start with a value
# (whitespace first) or holds more than one is read by json.loads, exactly.
_scan_json = json.JSONDecoder().scan_once


def export_json_list(text: str | None) -> list:
    """A JSON list read as text by `edition_results_stream` (anything else: empty)."""
    if not text:
        return []
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        value, end = json.loads(text), len(text)
    if end != len(text):
        value = json.loads(text)
    return value if isinstance(value, list) else []


def edition_sheets_stream(*, run: RankingRun, setup: RunSetup) -> Iterator[dict]:
    """The counted sheets of a published run, anonymised, read a chunk at a time (see
    `scoring.selectors.snapshot.run_sheets_stream`)."""
    return run_sheets_stream(run=run, setup=setup)


def feed_winners(*, limit: int = 50) -> list[RankingResult]:
    """The awarded results of public editions, most recently published first; each with
    `area_record`, its area as the published run recorded it."""
    results = list(results_published().filter(published_place__isnull=False)
                   .select_related("entry__practice__municipality", "area", "run__edition")
                   .order_by("-run__published_at", "-run_id", "area__order", "published_place",
                             "id")
                   [:limit])
    setups: dict[int, RunSetup] = {}
    for result in results:
        if result.run_id not in setups:
            setups[result.run_id] = run_setup(run=result.run)
        result.area_record = setups[result.run_id].area(result.area_id) or result.area
    return results

