"""Reads on the competition's set-up that cross relations."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .enums import Phase
from .models import Edition


def editions_open_for_submissions() -> QuerySet[Edition]:
    now = timezone.now()
    return Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=now,
                                  submissions_close_at__gt=now).order_by("submissions_close_at")


def editions_closing_soon(*, at: dt.datetime | None = None) -> QuerySet[Edition]:
    """Editions open for submissions whose deadline is in the last SIGN_IN_EARLY_DAYS days:
    the sign-in page and the officer's dashboard tell officers to sign in and submit early
    (in the last hours everyone signs in at once, and each sign-in costs a password hash)."""
    at = at or timezone.now()
    days = settings.SIGN_IN_EARLY_DAYS
    return (Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=at,
                                   submissions_close_at__gt=at,
                                   submissions_close_at__lte=at + dt.timedelta(days=days))
            .order_by("submissions_close_at"))
