import pytest

from competitions.enums import Phase
from portal import selectors
from practices.enums import EntryStatus
from tests.factories import EntryFactory
from tests.portal.factories_showcase import (
    PublishedEditionFactory,
    PublishedRunFactory,
    RankingResultFactory,
    RankingRunFactory,
)

pytestmark = pytest.mark.django_db


def test_practices_published_result_in_published_run_of_published_edition_is_published():
    result = RankingResultFactory()
    assert list(selectors.practices_published()) == [result.entry.practice]


def test_practices_published_archived_edition_is_published():
    result = RankingResultFactory(run__edition__phase=Phase.ARCHIVED)
    assert list(selectors.practices_published()) == [result.entry.practice]


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.OPEN, Phase.REVIEW, Phase.RANKED])
def test_practices_published_edition_not_published_is_hidden(phase):
    RankingResultFactory(run__edition__phase=phase)
    assert list(selectors.practices_published()) == []


def test_practices_published_run_not_published_is_hidden():
    RankingResultFactory(run=RankingRunFactory(is_published=False))
    assert list(selectors.practices_published()) == []


@pytest.mark.parametrize("status", [EntryStatus.DRAFT, EntryStatus.SUBMITTED,
                                    EntryStatus.WITHDRAWN, EntryStatus.INELIGIBLE])
def test_practices_published_entry_not_eligible_is_hidden(status):
    RankingResultFactory(entry__status=status)
    assert list(selectors.practices_published()) == []


def test_practices_published_unranked_entry_is_hidden():
    RankingResultFactory(rank=None, place=None, total=None, flags=["insufficient_reviews"])
    assert list(selectors.practices_published()) == []


def test_practices_published_only_results_of_the_published_run_count():
    edition = PublishedEditionFactory()
    published = PublishedRunFactory(edition=edition)
    other = RankingRunFactory(edition=edition)
    shown = RankingResultFactory(run=published)
    RankingResultFactory(run=other)
    assert list(selectors.results_published()) == [shown]


def test_practices_published_practice_with_two_entries_is_listed_once():
    result = RankingResultFactory()
    EntryFactory(practice=result.entry.practice, status=EntryStatus.DRAFT)
    assert list(selectors.practices_published()) == [result.entry.practice]


def test_editions_public_needs_phase_and_a_published_run():
    shown = PublishedRunFactory().edition
    PublishedEditionFactory()  # published phase but no published run
    RankingRunFactory(edition__phase=Phase.RANKED, is_published=True)
    assert list(selectors.editions_public()) == [shown]
