"""What the public may see: the one definition of a public edition, result and practice.

Every file route, page, export, feed and API endpoint asks these selectors (the portal's
pages through `portal.selectors`, the practices' file routes through the
`practices.view_practice_photos` permission that `scoring.rules` widens with
`practice_is_public`). It lives here, the lowest app that owns ranking runs.

* An edition is public when its phase is `published` or `archived` AND it has a published
  ranking run (`RankingRun.is_published`, at most one per edition by a constraint).
* A result (`RankingResult`) is public when it belongs to that published run, its entry is
  `eligible` and it is ranked (`rank` is not null: entries flagged `insufficient_reviews`
  are not ranked and are not shown).
* A practice is public when at least one of its entries has a public result; its photos
  are then public too (its attachments never are). Its award in an area is
  `RankingResult.place` (null: ranked without an award).

Everything else (drafts, submitted or withdrawn entries, ineligible entries, results of
unpublished runs, editions in any other phase) is 404 for the public.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from competitions.enums import Phase
from competitions.models import Edition
from practices.enums import EntryStatus
from practices.models import Entry, Photo, Practice
from practices.selectors import EntryResult

from ..models import RankingResult, RankingRun

# The phases in which an edition's published run is shown; a phase alone publishes nothing.
PUBLIC_PHASES = (Phase.PUBLISHED, Phase.ARCHIVED)


# The results a published run shows: its eligible and ranked entries.
_SHOWN = {"entry__status__in": EntryStatus.ranked, "rank__isnull": False}


def results_published() -> QuerySet[RankingResult]:
    """Every public result: published run of a public edition, eligible and ranked entry."""
    return RankingResult.objects.filter(
        run__is_published=True, run__edition__phase__in=PUBLIC_PHASES, **_SHOWN)


def results_shown_by(run: RankingRun) -> QuerySet[RankingResult]:
    """The results of `run` that its publication shows (the rule of `results_published`
    for one run), so that an organiser's preview of a run not yet published shows exactly
    what publishing it would."""
    return RankingResult.objects.filter(run=run, **_SHOWN)


def editions_public() -> QuerySet[Edition]:
    """Editions whose results are public, the newest first."""
    return (Edition.objects.filter(phase__in=PUBLIC_PHASES)
            .filter(Exists(RankingRun.objects.filter(edition=OuterRef("pk"), is_published=True)))
            .order_by("-submissions_open_at"))


def practices_published() -> QuerySet[Practice]:
    """Practices with at least one public result."""
    return Practice.objects.filter(
        Exists(results_published().filter(entry__practice=OuterRef("pk"))))


def photos_published() -> QuerySet[Photo]:
    """Photos of public practices."""
    return Photo.objects.filter(practice__in=practices_published())


def practice_is_public(practice: Practice | None) -> bool:
    """Whether this practice is public (one query)."""
    return practice is not None and results_published().filter(
        entry__practice_id=practice.pk).exists()


def _results_in_published_runs(practice_ids) -> QuerySet[RankingResult]:
    return RankingResult.objects.filter(run__is_published=True,
                                        entry__practice_id__in=list(practice_ids))


def practice_shown_publicly(practice_id: int) -> bool:
    """Whether a change to this practice (to it, its photos or entries) can change a public
    page: it has a result in a published run - public now, or public until this change (an
    entry withdrawn after publication leaves the pages). A practice of an open call has none,
    so its drafts never touch the public cache. One query."""
    return _results_in_published_runs([practice_id]).exists()


def editions_showing_practices(practice_ids) -> set[int]:
    """The editions whose published run has a result of one of these practices (the rule of
    `practice_shown_publicly`, per edition): the editions whose public pages and exports a
    change to these practices can change. Empty for practices of an open call. One query."""
    return set(_results_in_published_runs(practice_ids)
               .values_list("run__edition_id", flat=True).distinct())


def entry_results_public(entries: Sequence[Entry]) -> dict[int, EntryResult]:
    """For the officer's pages (registered with practices in scoring.apps): each entry of a
    public edition, with its public result (a place, or ranked without an award) or as not
    ranked, and the public page to read: the practice's when it is public, else the
    edition's results. Its place is the published one (`published_places`). Three queries,
    however many entries."""
    public = {edition.pk: edition.slug for edition in
              editions_public().filter(pk__in={entry.edition_id for entry in entries})
              .only("pk", "slug")}
    shown = list(results_published().filter(entry_id__in=[entry.pk for entry in entries])
                 .only("pk", "run_id", "entry_id", "place"))
    places = published_places(shown)
    results = {result.entry_id: places[(result.run_id, result.entry_id)] for result in shown}
    public_practices = {entry.practice_id for entry in entries if entry.pk in results}
    answer = {}
    for entry in entries:
        if entry.edition_id not in public or entry.status not in EntryStatus.received:
            continue  # a draft or a withdrawn entry was never in the running
        url = (reverse("showcase:practice", args=[entry.practice_id])
               if entry.practice_id in public_practices
               else reverse("showcase:edition", args=[public[entry.edition_id]]))
        answer[entry.pk] = EntryResult(ranked=entry.pk in results,
                                       place=results.get(entry.pk), url=url)
    return answer


# --- the published place -------------------------------------------------------------------
# An entry's published place in a run is the place the jury decided for it, where the
# entry's area has a recorded decision on the run (deliberation, an app above this one,
# registers that definition from its ready(): `deliberation.selectors.decided_places`), else
# the place the run computed. Every reader of a place the officers or the public are told
# (the officers' e-mails, the "places changed" notice, the officer's pages) asks here.
DecidedPlacesSource = Callable[[Collection[int], Collection[int]],
                               dict[tuple[int, int], int | None]]
_decided_places_source: DecidedPlacesSource | None = None


def decided_places_register(source: DecidedPlacesSource) -> None:
    """`source(run_ids, entry_ids)` answers (run id, entry id) -> decided place for the
    entries that a recorded decision places (None: decided without a place)."""
    global _decided_places_source
    _decided_places_source = source


def published_places(results: Iterable[RankingResult]) -> dict[tuple[int, int], int | None]:
    """(run id, entry id) -> the published place of each result: the jury's decision where
    there is one, else the computed place. One query (none for no results)."""
    places = {(result.run_id, result.entry_id): result.place for result in results}
    if places and _decided_places_source is not None:
        decided = _decided_places_source({run for run, _entry in places},
                                         {entry for _run, entry in places})
        places.update({key: place for key, place in decided.items() if key in places})
    return places
