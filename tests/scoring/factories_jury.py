"""Factories for the jury tests: an edition in its review phase, with criteria and rubrics."""

import datetime as dt

import factory
from django.utils import timezone

from competitions.enums import Phase
from tests.factories import EditionFactory


class ReviewEditionFactory(EditionFactory):
    """An edition whose jury review is open now and closes in ten days."""

    phase = Phase.REVIEW
    submissions_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60))
    submissions_close_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    review_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    review_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    scale_min = 0
    scale_max = 10


def sheet_values(sheet) -> dict[int, tuple[int | None, str]]:
    """criterion id -> (score, comment) as saved."""
    from scoring.models import SheetScore

    return {s.criterion_id: (s.value, s.comment) for s in SheetScore.objects.filter(sheet=sheet)}
