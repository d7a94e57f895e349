"""The organiser's side of entries: lists per edition and area, eligibility, CSV export."""

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from competitions.models import Edition

from .forms import ClassificationForm, EligibilityForm, EntryFilterForm, TopicForm
from .models import Entry, Practice, Topic
from .selectors import (
    editions_with_entry_counts,
    entries_for_organiser,
    practice_for_officer,
    topics_with_counts,
)
from .services import entry_decide_eligibility, practice_classification_check, topic_save

PERMISSION = "practices.organise_entries"
# The list shows this many entries a page (the export has them all).
PAGE_SIZE = 50


@permission_required(PERMISSION, raise_exception=True)
def edition_list(request):
    return render(request, "practices/organiser/editions.html",
                  {"editions": editions_with_entry_counts()})


def _filtered(request, edition):
    areas = list(edition.areas.all())
    form = EntryFilterForm(request.GET or None, areas=areas)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = entries_for_organiser(edition=edition, **{
        name: filters.get(name) or "" for name in ("area", "status", "region", "q")})
    return form, entries


@permission_required(PERMISSION, raise_exception=True)
def entry_list(request, slug):
    edition = get_object_or_404(Edition, slug=slug)
    form, entries = _filtered(request, edition)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "practices/organiser/entries.html",
                  {"edition": edition, "form": form, "entries": page.object_list,
                   "page": page, "export_query": query.urlencode()})


def _cell(value) -> str:
    """Spreadsheets run cells that start with these characters as formulas."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    """A file-like object whose write() returns the line: csv.writer formats one row at a
    time for a streamed response."""

    def write(self, value: str) -> str:
        return value


ENTRY_EXPORT_COLUMNS = ["entry_id", "edition", "area", "area_title", "municipality", "region",
                        "practice_id", "practice", "status", "submitted_at", "submitted_by",
                        "eligibility_reason", "eligibility_decided_at"]


def _entry_rows(edition, entries) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 (Cyrillic) only with the byte-order mark
    yield writer.writerow(ENTRY_EXPORT_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        practice = entry.practice
        yield writer.writerow([_cell(value) for value in (
            entry.pk, edition.slug, entry.area.code, entry.area.title,
            practice.municipality.name, practice.municipality.region, practice.pk,
            practice.title, entry.status,
            edition.local(entry.submitted_at).isoformat() if entry.submitted_at else "",
            entry.submitted_by.get_full_name() if entry.submitted_by else "",
            entry.eligibility_reason,
            edition.local(entry.eligibility_decided_at).isoformat()
            if entry.eligibility_decided_at else "")])


@permission_required(PERMISSION, raise_exception=True)
def entry_export(request, slug):
    """The entries of the list (its filters), every page: streamed a row at a time, read
    from the database a chunk at a time, so its memory does not grow with the edition."""
    edition = get_object_or_404(Edition, slug=slug)
    _form, entries = _filtered(request, edition)
    response = StreamingHttpResponse(_entry_rows(edition, entries),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="entries-{edition.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(PERMISSION, raise_exception=True)
def entry_decide(request, pk):
    entry = get_object_or_404(
        Entry.objects.select_related("edition", "area", "submitted_by",
                                     "eligibility_decided_by"), pk=pk)
    practice = practice_for_officer(pk=entry.practice_id)
    # No decision is pre-selected, not even the current one: the organiser reads the entry
    # and chooses (the form requires a choice).
    form = EligibilityForm(request.POST or None, initial={"reason": entry.eligibility_reason})
    if request.method == "POST" and form.is_valid():
        try:
            entry_decide_eligibility(entry=entry, by=request.user,
                                     eligible=form.cleaned_data["decision"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The eligibility decision is saved."))
            return redirect("organiser_entry_list", slug=entry.edition.slug)
    return render(request, "practices/organiser/entry_decide.html",
                  {"entry": entry, "practice": practice, "form": form},
                  status=400 if form.errors else 200)


@permission_required(PERMISSION, raise_exception=True)
def practice_classification(request, pk):
    """The organiser checks (and may correct) a practice's kind of innovation and topics."""
    practice = get_object_or_404(Practice.objects.select_related("municipality"), pk=pk)
    initial = {"innovation_type": practice.innovation_type,
               "topics": list(practice.topics.all())}
    form = ClassificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        practice_classification_check(
            practice=practice, by=request.user,
            innovation_type=form.cleaned_data["innovation_type"],
            topics=form.cleaned_data["topics"], note=form.cleaned_data["note"])
        messages.success(request, _("The kind of innovation and the topics are checked."))
        return redirect("organiser_practice_classification", pk=practice.pk)
    checks = practice.classification_checks.select_related("by")[:20]
    return render(request, "practices/organiser/classification.html",
                  {"practice": practice, "form": form, "checks": checks},
                  status=400 if form.errors else 200)


@permission_required(PERMISSION, raise_exception=True)
def topic_list(request):
    """The organiser's list of topics, with how many practices have each; adds a topic."""
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic_save(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic is added."))
            return redirect("organiser_topics")
    return render(request, "practices/organiser/topics.html",
                  {"topics": topics_with_counts(), "form": form},
                  status=400 if form.errors else 200)


@permission_required(PERMISSION, raise_exception=True)
def topic_edit(request, pk):
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            topic_save(topic=Topic.objects.get(pk=topic.pk), by=request.user,
                       data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic is saved."))
            return redirect("organiser_topics")
    return render(request, "practices/organiser/topic_edit.html",
                  {"topic": topic, "form": form}, status=400 if form.errors else 200)
