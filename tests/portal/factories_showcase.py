"""Published ranking runs for the showcase tests (until the ranking job builds them)."""


import factory
from django.utils import timezone

from competitions.enums import Phase
from scoring.enums import RankingMethod, RunStatus
from scoring.models import RankingResult, RankingRun
from scoring.selectors.ranking import ranking_snapshot_load
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    ThematicAreaFactory,
    days_ago,
)


class PublishedEditionFactory(EditionFactory):
    """An edition of last year whose results are published."""

    phase = Phase.PUBLISHED
    year_label = "2025/2026"
    submissions_open_at = factory.LazyFunction(lambda: days_ago(400))
    submissions_close_at = factory.LazyFunction(lambda: days_ago(350))
    review_open_at = factory.LazyFunction(lambda: days_ago(349))
    review_close_at = factory.LazyFunction(lambda: days_ago(300))
    results_at = factory.LazyFunction(lambda: days_ago(290))


class RankingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingRun

    edition = factory.SubFactory(PublishedEditionFactory)
    method = RankingMethod.WEIGHTED_MEAN
    status = RunStatus.SUCCEEDED
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    finished_at = factory.LazyFunction(timezone.now)
    is_published = False


class PublishedRunFactory(RankingRunFactory):
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class RankingResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingResult

    run = factory.SubFactory(PublishedRunFactory)
    entry = factory.SubFactory(
        EntryFactory, area=factory.SubFactory(ThematicAreaFactory,
                                              edition=factory.SelfAttribute("...run.edition")))
    area = factory.LazyAttribute(lambda r: r.entry.area)
    criterion_scores = factory.LazyFunction(lambda: [8.0, 7.5, 7.0, 6.5])
    total = 7.25
    rank = 1
    place = 1
    # What the run's publication writes (no decision here): the computed place, once published.
    published_place = factory.LazyAttribute(lambda r: r.place if r.run.is_published else None)
    sheet_count = 3
    rank_confidence = 0.9
    flags = factory.LazyFunction(list)


def published_edition(*, areas: int = 2, criteria: int = 4, entries_per_area: int = 3,
                      awards: int = 2, **edition_kwargs):
    """A published edition with its published run: `entries_per_area` ranked results in
    each area, the first `awards` of them awarded places 1..N. Returns (run, results)."""
    edition = PublishedEditionFactory(**edition_kwargs)
    for order in range(1, criteria + 1):
        CriterionFactory(edition=edition, order=order)
    run = PublishedRunFactory(edition=edition)
    results = []
    for index in range(areas):
        area = ThematicAreaFactory(edition=edition, code=["I", "II", "III", "IV"][index],
                                   order=index, awards=awards)
        results.extend(RankingResultFactory(
            run=run, entry=EntryFactory(area=area), total=10.0 - rank,
            criterion_scores=[10.0 - rank] * criteria, rank=rank,
            place=rank if rank <= awards else None) for rank in range(1, entries_per_area + 1))
    record_snapshot(run)
    return run, results


def record_snapshot(run: RankingRun) -> RankingRun:
    """Give a factory-made run the snapshot the ranking job records: its edition's set-up
    as it is now (call it once the criteria, rubric levels and areas are made)."""
    run.snapshot = ranking_snapshot_load(edition=run.edition, method=run.method,
                                         parameters=run.parameters or {})
    run.save(update_fields=["snapshot"])
    return run
