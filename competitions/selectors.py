"""Reads on the competition's set-up that cross relations."""

from django.db.models import QuerySet
from django.utils import timezone

from .enums import Phase
from .models import Edition


def editions_open_for_submissions() -> QuerySet[Edition]:
    now = timezone.now()
    return Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=now,
                                  submissions_close_at__gt=now).order_by("submissions_close_at")
