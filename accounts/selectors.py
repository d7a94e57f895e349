"""Reads on accounts: who the approved officers and the organisers are, as queries, and
the sign-in lockouts (which cross into django-axes' records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import QuerySet
from django.utils import timezone

from .enums import OfficerStatus
from .models import OutboxEmail, User


@dataclass(frozen=True)
class Lockout:
    """One user name locked out of signing in from one address."""

    username: str
    ip_address: str | None
    failures: int  # failed sign-ins still counted
    since: dt.datetime  # the failure from which the lock runs
    lifts_at: dt.datetime
    account: User | None  # None: no account has this user name


def lockout_policy() -> tuple[int, dt.timedelta]:
    """django-axes' failure limit and cool-off (settings.AXES_FAILURE_LIMIT and
    AXES_COOLOFF_TIME: the portal always has one, so every lock lifts by itself)."""
    return get_failure_limit(None, None), get_cool_off()


def lockouts_current(*, now: dt.datetime | None = None) -> list[Lockout]:
    """Every (user name, address) that django-axes refuses now, newest first; two queries.

    django-axes keeps one record per user name, address and browser, with its count of
    failures and the time of the last one, and refuses a user name from an address while
    the records of that pair newer than the cool-off add up to the failure limit. So the lock
    runs from the newest failure at which the newer records reach the limit, and lifts one
    cool-off after it (a further failure during the lock starts it again).
    """
    now = now or timezone.now()
    limit, cool_off = lockout_policy()
    records = (AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
               .order_by("username", "ip_address", "-attempt_time"))
    pairs: dict[tuple, list[tuple[int, dt.datetime]]] = {}
    for username, address, failures, at in records.values_list(
            "username", "ip_address", "failures_since_start", "attempt_time"):
        pairs.setdefault((username, address), []).append((failures, at))
    found = []
    for (username, address), failures_newest_first in pairs.items():
        counted = 0
        for failures, at in failures_newest_first:
            counted += failures
            if counted >= limit:
                found.append((username, address, at))
                break
    accounts = {user.username: user for user in User.objects.filter(
        username__in={username for username, _address, _at in found})} if found else {}
    lockouts = [Lockout(username=username, ip_address=address,
                        failures=sum(f for f, _at in pairs[username, address]), since=at,
                        lifts_at=at + cool_off,
                        account=accounts.get(username))
                for username, address, at in found]
    return sorted(lockouts, key=lambda lockout: lockout.since, reverse=True)


def organiser_emails() -> list[str]:
    """The addresses the organisers are told at (active staff with an address), in a stable
    order: one home for "who hears what organisers must know"."""
    return list(User.objects.filter(is_staff=True, is_active=True).exclude(email="")
                .order_by("pk").values_list("email", flat=True))


def officers_approved(*, municipality_id: int | None = None) -> QuerySet[User]:
    """The approved officers (of one municipality, when given), as a query: the one home of
    "approved officer" in the database (`User.is_approved_officer` is the same rule for one
    person in hand), for whoever writes to a municipality."""
    officers = User.objects.filter(is_active=True, officer_status=OfficerStatus.APPROVED,
                                   municipality__isnull=False)
    if municipality_id is not None:
        officers = officers.filter(municipality_id=municipality_id)
    return officers.order_by("pk")


def officer_emails(*, municipality_id: int) -> list[str]:
    """The addresses of a municipality's approved officers, who hear of its entries."""
    return list(officers_approved(municipality_id=municipality_id)
                .exclude(email="").values_list("email", flat=True))


def officers_pending() -> QuerySet[User]:
    """Registrations an organiser may still decide on, oldest first."""
    return (User.objects.filter(officer_status__in=OfficerStatus.decidable, is_active=True)
            .select_related("municipality").order_by("date_joined"))


def outbox_emails(*, kind: str = "", status: str = "", recipient: str = ""):
    """The outbox, newest first, filtered by kind, status and part of the recipient's
    address (one query per page: no relations)."""
    emails = OutboxEmail.objects.all()
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if recipient:
        emails = emails.filter(recipient__icontains=recipient)
    return emails.order_by("-queued_at", "-pk")
