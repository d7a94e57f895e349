"""The ranking service moves the edition's phase only through the lifecycle service: each
publication and withdrawal is a recorded transition."""

import datetime as dt

import pytest
from django.utils import timezone

from competitions.enums import Phase
from scoring.services.ranking import RankingError, ranking_run_publish, ranking_run_unpublish
from tests.factories import EditionFactory, OrganiserFactory
from tests.portal.factories_showcase import RankingRunFactory

pytestmark = pytest.mark.django_db


def _closed_review():
    now = timezone.now()
    return EditionFactory(phase=Phase.REVIEW, submissions_open_at=now - dt.timedelta(days=40),
                          submissions_close_at=now - dt.timedelta(days=30),
                          review_open_at=now - dt.timedelta(days=29),
                          review_close_at=now - dt.timedelta(days=1))


def test_ranking_publish_and_unpublish_are_recorded_phase_transitions():
    organiser = OrganiserFactory()
    edition = _closed_review()
    run = RankingRunFactory(edition=edition)
    ranking_run_publish(run=run, by=organiser, notify=False)
    ranking_run_unpublish(run=run, by=organiser, reason="A sheet was counted twice.")
    edition.refresh_from_db()
    assert edition.phase == Phase.RANKED
    assert list(edition.phase_transitions.order_by("pk").values_list(
        "source", "target", "by", "reason")) == [
        (Phase.REVIEW, Phase.RANKED, organiser.pk, ""),
        (Phase.RANKED, Phase.PUBLISHED, organiser.pk, ""),
        (Phase.PUBLISHED, Phase.RANKED, organiser.pk, "A sheet was counted twice."),
    ]


def test_ranking_publish_before_the_review_opened_is_refused_and_says_why():
    now = timezone.now()
    edition = EditionFactory(phase=Phase.REVIEW, submissions_open_at=now - dt.timedelta(days=9),
                             submissions_close_at=now - dt.timedelta(days=2),
                             review_open_at=now + dt.timedelta(days=1),
                             review_close_at=now + dt.timedelta(days=20))
    with pytest.raises(RankingError) as refusal:
        ranking_run_publish(run=RankingRunFactory(edition=edition), by=OrganiserFactory(),
                            notify=False)
    assert refusal.value.messages == [
        "Results can be published once the jury review has closed (the edition is “Jury "
        "review”)."]
    edition.refresh_from_db()
    assert (edition.phase, edition.phase_transitions.count()) == (Phase.REVIEW, 0)
