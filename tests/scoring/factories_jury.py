"""Factories for the jury tests: an edition in its review phase, with criteria and rubrics."""

import datetime as dt

import factory
from django.utils import timezone

from competitions.enums import Phase
from practices.models import Attachment, Photo
from tests.factories import EditionFactory, PracticeFactory


class ReviewEditionFactory(EditionFactory):
    """An edition whose jury review is open now and closes in ten days."""

    phase = Phase.REVIEW
    submissions_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60))
    submissions_close_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    review_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    review_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    scale_min = 0
    scale_max = 10


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    practice = factory.SubFactory(PracticeFactory)
    image = factory.django.ImageField(width=8, height=6, format="JPEG")
    caption = factory.Sequence(lambda n: f"Photo {n}")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    practice = factory.SubFactory(PracticeFactory)
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4 test")
    original_name = "report.pdf"
    content_type = "application/pdf"
    size = 13
    title = factory.Sequence(lambda n: f"Report {n}")


def sheet_values(sheet) -> dict[int, tuple[int | None, str]]:
    """criterion id -> (score, comment) as saved."""
    from scoring.models import SheetScore

    return {s.criterion_id: (s.value, s.comment) for s in SheetScore.objects.filter(sheet=sheet)}
