"""Reads that cross relations, with the queries they need fixed in one place."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from competitions.models import Edition, Municipality
from competitions.selectors import editions_open_for_submissions

from .checks import entry_problems
from .enums import EntryStatus
from .models import Entry, Practice


def practices_of_municipality(*, municipality: Municipality) -> QuerySet[Practice]:
    """A municipality's practices with their entries, areas and editions: two queries."""
    return (Practice.objects.filter(municipality=municipality)
            .prefetch_related(Prefetch("entries", queryset=Entry.objects.select_related(
                "area", "edition").order_by("edition__submissions_open_at", "area__order")))
            .order_by("-updated_at"))


@dataclass
class EntryRow:
    entry: Entry
    problems: list[str]
    can_submit: bool
    can_withdraw: bool


@dataclass
class PracticeRow:
    practice: Practice
    entries: list[EntryRow] = field(default_factory=list)


@dataclass
class OpenEdition:
    edition: Edition
    deadline_local: dt.datetime


def officer_overview(*, municipality: Municipality, at: dt.datetime | None = None) -> dict:
    """Everything the officer dashboard shows, in a fixed number of queries."""
    at = at or timezone.now()
    editions = list(editions_open_for_submissions())
    practices = list(practices_of_municipality(municipality=municipality))
    rows = []
    for practice in practices:
        row = PracticeRow(practice=practice)
        for entry in practice.entries.all():
            open_now = entry.edition.is_open_for_submissions(at)
            problems = (entry_problems(practice=practice, edition=entry.edition)
                        if entry.status in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN) else [])
            row.entries.append(EntryRow(
                entry=entry, problems=problems,
                can_submit=open_now and not problems
                and entry.status in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN),
                can_withdraw=open_now and entry.status != EntryStatus.WITHDRAWN))
        rows.append(row)
    return {
        "open_editions": [OpenEdition(edition=e, deadline_local=e.local(e.submissions_close_at))
                          for e in editions],
        "practice_rows": rows,
    }


def practice_for_officer(*, pk: int) -> Practice:
    """One practice with its photos, attachments and entries: four queries."""
    return (Practice.objects.select_related("municipality")
            .prefetch_related("photos", "attachments",
                              Prefetch("entries", queryset=Entry.objects.select_related(
                                  "area", "edition", "submitted_by")))
            .get(pk=pk))


def entries_for_organiser(*, edition: Edition, area: str = "", status: str = "",
                          region: str = "", q: str = "") -> QuerySet[Entry]:
    """An edition's entries with what the organiser's list and export show: one query."""
    entries = (Entry.objects.filter(edition=edition)
               .select_related("practice", "practice__municipality", "area", "submitted_by",
                               "eligibility_decided_by")
               .order_by("area__order", "practice__municipality__name", "practice__title"))
    if area:
        entries = entries.filter(area__code=area)
    if status:
        entries = entries.filter(status=status)
    if region:
        entries = entries.filter(practice__municipality__region=region)
    if q:
        entries = entries.filter(Q(practice__title__icontains=q)
                                 | Q(practice__title_en__icontains=q)
                                 | Q(practice__municipality__name__icontains=q)
                                 | Q(practice__municipality__name_en__icontains=q))
    return entries


def editions_with_entry_counts() -> QuerySet[Edition]:
    return (Edition.objects.annotate(
        entry_count=Count("entries", distinct=True),
        submitted_count=Count("entries", filter=Q(entries__status__in=[
            EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE]),
            distinct=True))
        .order_by("-submissions_open_at"))


def entries_undecided_count(*, edition: Edition) -> int:
    """Submitted entries still waiting for the organiser's eligibility decision."""
    return Entry.objects.filter(edition=edition, status=EntryStatus.SUBMITTED).count()
