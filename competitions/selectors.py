"""Reads on the competition's set-up that cross relations."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .enums import Phase
from .models import Criterion, Edition


def editions_open_for_submissions() -> QuerySet[Edition]:
    now = timezone.now()
    return Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=now,
                                  submissions_close_at__gt=now).order_by("submissions_close_at")


def editions_published() -> QuerySet[Edition]:
    return Edition.objects.filter(phase__in=[Phase.PUBLISHED, Phase.ARCHIVED])


def edition_with_setup(*, slug: str) -> Edition:
    """An edition with its areas and criteria (and the criteria's rubric) in three queries."""
    return (Edition.objects
            .prefetch_related("areas",
                              Prefetch("criteria",
                                       queryset=Criterion.objects.prefetch_related(
                                           "rubric_levels")))
            .get(slug=slug))
