"""Reads that cross relations, with the queries they need fixed in one place."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.enums import Phase
from competitions.models import Edition, Municipality
from competitions.selectors import editions_open_for_submissions

from .checks import entry_problems
from .enums import EntryStatus
from .models import Entry, Practice, Topic
from .rules import can_discard_entry, can_submit_entry, can_withdraw_entry

# The sections of a practice, in the order of the programme's call: the form's fieldsets
# and the read view's headings. A section's title never repeats a field's label.
PRACTICE_SECTIONS = [
    (_("Title and summary"), ["title", "title_en", "summary", "summary_en"]),
    (_("Kind of innovation and topics"), ["innovation_type", "topics"]),
    (_("The practice"), ["problem", "problem_en", "actions", "actions_en", "partners",
                         "partners_en"]),
    (_("Budget"), ["budget", "budget_en", "budget_amount", "budget_currency"]),
    (_("Results"), ["results", "results_en", "links"]),
    (_("Dates"), ["started_on", "implemented_on"]),
    (_("Sustained and upgraded"), ["is_sustained", "upgrade_description",
                                   "upgrade_description_en", "upgraded_on"]),
    (_("Contact"), ["contact_name", "contact_email", "contact_phone"]),
]

# The language of the practices' own texts (the fields without `_en`), for `lang` attributes
# and labels: the interface's language other than English.
CONTENT_LANGUAGE = next((code for code, _name in settings.LANGUAGES if code != "en"), "en")


def topics_offered(*, practice: Practice | None = None) -> QuerySet[Topic]:
    """The topics an officer may choose: those offered now, and those the practice already
    has (a topic withdrawn from the list stays where it was)."""
    condition = Q(is_active=True)
    if practice is not None and practice.pk:
        condition |= Q(practices=practice)
    return Topic.objects.filter(condition).distinct().order_by("order", "name")


def topics_with_counts() -> QuerySet[Topic]:
    """Every topic of the list, with how many practices have it (one query)."""
    return Topic.objects.annotate(practice_count=Count("practices")).order_by("order", "name")


@dataclass(frozen=True)
class PracticeField:
    name: str
    label: str
    value: object
    lang: str


def practice_field_language(name: str) -> str:
    return "en" if name.endswith("_en") else CONTENT_LANGUAGE


def practice_sections(practice: Practice) -> list[tuple[str, list[PracticeField]]]:
    """The practice as the jury and the public read it: every section with its filled-in
    fields (label, value, language); sections with nothing filled in are left out."""
    sections = []
    for title, names in PRACTICE_SECTIONS:
        fields = []
        for name in names:
            model_field = Practice._meta.get_field(name)
            value = getattr(practice, name)
            if name == "innovation_type":
                value = practice.get_innovation_type_display() if value else ""
            elif name == "topics":
                value = ", ".join(topic.display_name for topic in practice.topics.all())
            if name == "is_sustained" and not value:
                continue
            if value in (None, "") or name == "budget_currency":  # shown with the amount
                continue
            fields.append(PracticeField(
                name=name, label=model_field.verbose_name, value=value,
                lang=practice_field_language(name) if isinstance(value, str) else ""))
        if fields:
            sections.append((title, fields))
    return sections


@dataclass(frozen=True)
class CriteriaLink:
    edition: Edition
    url: str


def criteria_links(*, practice: Practice | None) -> list[CriteriaLink]:
    """The criteria the jury applies, for the editions open now and those the practice is
    entered in: one link per edition (the officer's criteria page)."""
    editions = {edition.pk: edition for edition in editions_open_for_submissions()}
    if practice is not None:
        for entry in practice.entries.all():
            if entry.edition.phase != Phase.DRAFT:
                editions.setdefault(entry.edition_id, entry.edition)
    return [CriteriaLink(edition=edition, url=reverse("officer_criteria", args=[edition.slug]))
            for edition in editions.values()]


def edition_for_officer(*, slug: str) -> dict | None:
    """An edition past its draft, with its areas and its criteria (guidance and rubric levels)
    in the interface's language: four queries."""
    edition = (Edition.objects.exclude(phase=Phase.DRAFT).filter(slug=slug)
               .prefetch_related("areas", "criteria__rubric_levels").first())
    if edition is None:
        return None
    return {
        "edition": edition,
        "criteria": [{"pk": criterion.pk, "title": criterion.display_title,
                      "guidance": criterion.localized("guidance"),
                      "levels": list(criterion.rubric_levels.all())}
                     for criterion in edition.criteria.all()],
        "areas": [{"code": area.code, "title": area.display_title,
                   "description": area.localized("description")}
                  for area in edition.areas.all()],
    }


@dataclass(frozen=True)
class EntryResult:
    """An entry's published result, as its municipality's officers see it: ranked with a
    place (an award), ranked without one, or not ranked; and the public page to read."""

    ranked: bool
    place: int | None
    url: str
    # the entry's feedback report and certificate (added by the giveback app, above scoring)
    feedback_url: str = ""
    certificate_url: str = ""


# The results are the scoring app's, above this one: it registers the one function that
# answers, for a list of entries, {entry id: EntryResult} for those whose edition's results
# are public (scoring.apps; the definition is scoring.selectors.public). This app never
# imports scoring; without it, no result is shown.
_entry_results_source: Callable[[Sequence[Entry]], dict[int, EntryResult]] | None = None


def entry_results_source_register(source: Callable[[Sequence[Entry]], dict[int, EntryResult]]
                                  ) -> None:
    global _entry_results_source
    _entry_results_source = source


def entry_results(entries: Sequence[Entry]) -> dict[int, EntryResult]:
    """Each entry's public result, where there is one (a fixed number of queries)."""
    if _entry_results_source is None or not entries:
        return {}
    return _entry_results_source(entries)


def practices_of_municipality(*, municipality: Municipality) -> QuerySet[Practice]:
    """A municipality's practices with their entries, areas and editions: two queries."""
    return (Practice.objects.filter(municipality=municipality)
            .prefetch_related(Prefetch("entries", queryset=Entry.objects.select_related(
                "area", "edition").order_by("edition__submissions_open_at", "area__order")))
            .order_by("-updated_at"))


@dataclass
class EntryRow:
    """One entry with what the officer can do with it now (the rules' answers)."""

    entry: Entry
    problems: list[str]
    can_submit: bool
    can_withdraw: bool
    can_discard: bool = False
    is_open: bool = False
    result: EntryResult | None = None


def entry_row(*, entry: Entry, practice: Practice, at: dt.datetime,
              result: EntryResult | None = None) -> EntryRow:
    problems = (entry_problems(practice=practice, edition=entry.edition)
                if entry.status in EntryStatus.submittable else [])
    return EntryRow(entry=entry, problems=problems,
                    can_submit=can_submit_entry(entry, at=at) and not problems,
                    can_withdraw=can_withdraw_entry(entry, at=at),
                    can_discard=can_discard_entry(entry, at=at),
                    is_open=entry.edition.is_open_for_submissions(at), result=result)


@dataclass
class PracticeRow:
    practice: Practice
    entries: list[EntryRow] = field(default_factory=list)


@dataclass
class OpenEdition:
    edition: Edition
    deadline_local: dt.datetime


def open_calls() -> list[OpenEdition]:
    """The editions open for submissions now, with their deadline in their own time zone."""
    return [OpenEdition(edition=e, deadline_local=e.local(e.submissions_close_at))
            for e in editions_open_for_submissions()]


def officer_overview(*, municipality: Municipality, at: dt.datetime | None = None) -> dict:
    """Everything the officer dashboard shows, in a fixed number of queries."""
    at = at or timezone.now()
    practices = list(practices_of_municipality(municipality=municipality))
    results = entry_results([entry for practice in practices for entry in practice.entries.all()])
    rows = []
    for practice in practices:
        row = PracticeRow(practice=practice)
        for entry in practice.entries.all():
            row.entries.append(entry_row(entry=entry, practice=practice, at=at,
                                         result=results.get(entry.pk)))
        rows.append(row)
    return {
        "open_editions": open_calls(),
        "practice_rows": rows,
    }


def practice_for_officer(*, pk: int) -> Practice:
    """One practice with its photos, attachments and entries: four queries."""
    return (Practice.objects.select_related("municipality")
            .prefetch_related("photos", "attachments",
                              Prefetch("entries", queryset=Entry.objects.select_related(
                                  "area", "edition", "submitted_by", "withdrawn_by")))
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
        submitted_count=Count("entries", filter=Q(entries__status__in=EntryStatus.received),
            distinct=True))
        .order_by("-submissions_open_at"))


def entries_undecided(*, edition: Edition) -> QuerySet[Entry]:
    """Submitted entries still waiting for the organiser's eligibility decision (a ranking
    run leaves them out; the review cannot start with them)."""
    return (Entry.objects.filter(edition=edition, status=EntryStatus.SUBMITTED)
            .select_related("practice__municipality", "area").order_by("area__order", "id"))


def entries_undecided_count(*, edition: Edition) -> int:
    return entries_undecided(edition=edition).count()
