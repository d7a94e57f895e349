"""One definition of a public practice (scoring.selectors.public), asked by every route that
shows a practice or its photos: the practices' file route, the showcase photo, the practice
page and the API. Each entry status, each run state, each public phase."""

import pytest
from django.urls import reverse

from competitions.enums import Phase
from practices.enums import EntryStatus
from scoring.selectors.public import practice_is_public, practices_published
from tests.factories import EntryFactory, OfficerFactory, ThematicAreaFactory
from tests.portal.factories_showcase import (
    PublishedEditionFactory,
    RankingResultFactory,
    RankingRunFactory,
)
from tests.practices.factories_practices import PhotoFactory

pytestmark = pytest.mark.django_db

# (case, entry status, result row: None / "ranked" / "unranked")
CASES = [
    ("draft", EntryStatus.DRAFT, None),
    ("submitted", EntryStatus.SUBMITTED, None),
    ("withdrawn", EntryStatus.WITHDRAWN, None),
    ("ineligible", EntryStatus.INELIGIBLE, None),
    ("eligible-not-ranked-by-the-run", EntryStatus.ELIGIBLE, None),
    ("eligible-insufficient-reviews", EntryStatus.ELIGIBLE, "unranked"),
    ("ineligible-with-a-ranked-result", EntryStatus.INELIGIBLE, "ranked"),
    ("withdrawn-with-a-ranked-result", EntryStatus.WITHDRAWN, "ranked"),
    ("draft-with-a-ranked-result", EntryStatus.DRAFT, "ranked"),
    ("eligible-ranked", EntryStatus.ELIGIBLE, "ranked"),
]


def _practice_in(edition, *, run, status, result):
    """A practice with one photo and one entry of `status` in `edition`, with a result row of
    `run` when `result` says so. Another practice of the edition is ranked in `run`, so the
    run is a real one."""
    area = ThematicAreaFactory(edition=edition)
    if run is not None:
        RankingResultFactory(run=run, entry=EntryFactory(area=area))
    entry = EntryFactory(area=area, status=status)
    if result is not None and run is not None:
        RankingResultFactory(run=run, entry=entry, rank=1 if result == "ranked" else None,
                             place=1 if result == "ranked" else None,
                             flags=[] if result == "ranked" else ["insufficient_reviews"])
    return entry.practice, PhotoFactory(practice=entry.practice)


def _answers(client, practice, photo) -> dict[str, int]:
    return {
        "file route": client.get(reverse("practice_photo_file", args=[photo.pk])).status_code,
        "showcase photo": client.get(reverse("showcase:photo", args=[photo.pk])).status_code,
        "practice page": client.get(f"/practices/{practice.pk}/").status_code,
        "api": client.get(f"/api/v1/practices/{practice.pk}/").status_code,
    }


def _every(status: int) -> dict[str, int]:
    return dict.fromkeys(("file route", "showcase photo", "practice page", "api"), status)


@pytest.mark.parametrize("phase", [Phase.PUBLISHED, Phase.ARCHIVED])
@pytest.mark.parametrize("run_published", [True, False], ids=["published-run", "unpublished-run"])
@pytest.mark.parametrize(("case", "status", "result"), CASES, ids=[c[0] for c in CASES])
def test_photo_of_practice_public_only_by_the_one_rule(client, phase, run_published, case,
                                                      status, result):
    edition = PublishedEditionFactory(phase=phase)
    run = RankingRunFactory(edition=edition, is_published=run_published)
    practice, photo = _practice_in(edition, run=run, status=status, result=result)
    public = run_published and case == "eligible-ranked"
    assert practice_is_public(practice) == public
    assert _answers(client, practice, photo) == _every(200 if public else 404)


@pytest.mark.parametrize("phase", [Phase.PUBLISHED, Phase.ARCHIVED])
@pytest.mark.parametrize(("case", "status", "result"), CASES, ids=[c[0] for c in CASES])
def test_photo_of_practice_in_a_public_phase_without_any_run_is_404(client, phase, case,
                                                                    status, result):
    edition = PublishedEditionFactory(phase=phase)
    practice, photo = _practice_in(edition, run=None, status=status, result=result)
    assert practice_is_public(practice) is False
    assert _answers(client, practice, photo) == _every(404)


@pytest.mark.parametrize("phase", [Phase.OPEN, Phase.REVIEW, Phase.RANKED])
def test_photo_of_ranked_practice_of_an_edition_not_yet_public_is_404(client, phase):
    """A published run of an edition sent back to an earlier phase publishes nothing."""
    edition = PublishedEditionFactory(phase=phase)
    run = RankingRunFactory(edition=edition, is_published=True)
    practice, photo = _practice_in(edition, run=run, status=EntryStatus.ELIGIBLE,
                                   result="ranked")
    assert _answers(client, practice, photo) == _every(404)


def test_photo_of_practice_not_public_is_404_for_another_municipality_200_for_its_own(client):
    edition = PublishedEditionFactory()
    practice, photo = _practice_in(edition, run=None, status=EntryStatus.INELIGIBLE,
                                   result=None)
    client.force_login(OfficerFactory())
    assert client.get(reverse("practice_photo_file", args=[photo.pk])).status_code == 404
    client.force_login(OfficerFactory(municipality=practice.municipality))
    assert client.get(reverse("practice_photo_file", args=[photo.pk])).status_code == 200


def test_practice_public_once_any_of_its_entries_has_a_public_result(client):
    """A practice entered twice: withdrawn in one edition, ranked in a published one."""
    result = RankingResultFactory()
    EntryFactory(practice=result.entry.practice, status=EntryStatus.WITHDRAWN,
                 area=ThematicAreaFactory(edition=PublishedEditionFactory()))
    photo = PhotoFactory(practice=result.entry.practice)
    assert list(practices_published()) == [result.entry.practice]
    assert _answers(client, result.entry.practice, photo) == _every(200)
