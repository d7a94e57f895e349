"""Reads of follow-up reports, adoptions and questions, each with the relations its page
needs (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from competitions.models import Edition, Municipality, months_after
from practices.models import Practice
from scoring.models import RankingRun
from scoring.selectors.public import editions_public, practices_published, results_published

from .enums import FollowUpStatus
from .models import Adoption, FollowUpPhoto, FollowUpReport, Question


@dataclass(frozen=True)
class FollowUpDue:
    edition: Edition
    months: int
    due_on: dt.date
    practice_ids: list[int]


def follow_ups_due(*, at: dt.datetime) -> list[FollowUpDue]:
    """Every follow-up round whose day has come (in the edition's time zone): `months`
    after its published run's publication, with the public practices of that edition."""
    runs = (RankingRun.objects.filter(is_published=True, edition__in=editions_public(),
                                      published_at__isnull=False)
            .select_related("edition"))
    due = []
    for run in runs:
        edition = run.edition
        today = edition.local(at).date()
        published_on = edition.local(run.published_at).date()
        rounds = [(months, months_after(published_on, months))
                  for months in edition.follow_up_months]
        rounds = [(months, day) for months, day in rounds if day <= today]
        if not rounds:
            continue
        practice_ids = sorted(set(results_published().filter(run=run)
                                  .values_list("entry__practice_id", flat=True)))
        due.extend(FollowUpDue(edition, months, day, practice_ids) for months, day in rounds)
    return due


def _with_photos(queryset: QuerySet[FollowUpReport]) -> QuerySet[FollowUpReport]:
    return queryset.prefetch_related(Prefetch("photos", queryset=FollowUpPhoto.objects.all()))


def follow_ups_public(*, practice: Practice) -> list[FollowUpReport]:
    """The approved reports of a (public) practice, oldest first: its timeline."""
    return list(_with_photos(FollowUpReport.objects.filter(
        practice=practice, status__in=FollowUpStatus.public)
        .select_related("edition").order_by("due_on", "id")))


def follow_up_photos_public() -> QuerySet[FollowUpPhoto]:
    """Photos of approved reports of public practices: the public's."""
    return FollowUpPhoto.objects.filter(report__status__in=FollowUpStatus.public,
                                        report__practice__in=practices_published())


def follow_ups_of_municipality(*, municipality: Municipality) -> list[FollowUpReport]:
    return list(FollowUpReport.objects.filter(practice__municipality=municipality)
                .select_related("practice", "edition").order_by("-due_on", "id"))


def follow_ups_to_check() -> list[FollowUpReport]:
    return list(FollowUpReport.objects.filter(status__in=FollowUpStatus.checkable)
                .select_related("practice__municipality", "edition", "submitted_by")
                .order_by("submitted_at", "id"))


def follow_up_for_page(*, pk: int) -> FollowUpReport:
    return _with_photos(FollowUpReport.objects.select_related(
        "practice__municipality", "edition", "submitted_by", "decided_by")).get(pk=pk)


def follow_up_latest(*, practice: Practice) -> FollowUpReport | None:
    """The newest report the municipality sent (approved, or waiting to be checked): what a
    later entry of the practice as "sustained and upgraded" starts from."""
    return (FollowUpReport.objects.filter(
        practice=practice,
        status__in=(*FollowUpStatus.public, *FollowUpStatus.checkable))
        .order_by("-due_on", "-id").first())


def adoptions_of(*, practice: Practice) -> list[Adoption]:
    return list(Adoption.objects.filter(practice=practice).select_related("municipality")
                .order_by("adopted_on", "id"))


def adoptions_by_practice(practice_ids) -> dict[int, list[Adoption]]:
    """The adoptions of many practices at once (one query): for the open data."""
    found: dict[int, list[Adoption]] = {}
    for adoption in (Adoption.objects.filter(practice_id__in=list(practice_ids))
                     .select_related("municipality").order_by("adopted_on", "id")):
        found.setdefault(adoption.practice_id, []).append(adoption)
    return found


def adopter_names_by_practice(practice_ids) -> dict[int, list[str]]:
    """The names of the municipalities that adopted each of many practices (one query, no
    model per row): the open-data exports read them a chunk of practices at a time."""
    found: dict[int, list[str]] = {}
    for practice_id, name in (Adoption.objects.filter(practice_id__in=list(practice_ids))
                              .order_by("adopted_on", "id")
                              .values_list("practice_id", "municipality__name")):
        found.setdefault(practice_id, []).append(name)
    return found


def question_for_page(*, pk: int) -> Question:
    return (Question.objects.select_related("practice__municipality", "from_municipality")
            .prefetch_related("replies").get(pk=pk))
