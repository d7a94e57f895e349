"""Reminders to jurors who still have entries to score: sent by an organiser, and by the
beat before the review closes (7, 3 and 1 days before, by default), each step once."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url, queue_email
from accounts.models import User
from competitions.enums import Phase
from competitions.models import Edition

from ..models import JuryMember, JuryReminder
from ..selectors.jury import JurorProgress, jury_progress


def _juror_is_active(member: JuryMember) -> bool:
    """Who is reminded: an accepted member with an active account and an address (an
    invitation not yet accepted is not a seat on the jury)."""
    return member.is_seated and member.user.is_active and bool(member.user.email)


@transaction.atomic
def jury_reminders_send(*, edition: Edition, by: User | None,
                        juror_ids: list[int] | None = None) -> int:
    """E-mail every accepted juror of the edition (or the chosen ones) who has assigned
    entries not yet submitted nor recused, saying how many and until when. Returns how many
    were sent."""
    sent = 0
    for row in jury_progress(edition=edition).jurors:
        if juror_ids is not None and row.member.user_id not in juror_ids:
            continue
        if row.counts.open <= 0 or not _juror_is_active(row.member):
            continue
        _remind(edition=edition, row=row)
        sent += 1
    return sent


def _remind(*, edition: Edition, row: JurorProgress) -> None:
    user = row.member.user
    queue_email(to=[user], template="scoring/email/jury_reminder",
                context={"edition": edition, "user": user, "counts": row.counts,
                         "closes_at": edition.local(edition.review_close_at),
                         "url": absolute_url(reverse("juror_edition", args=[edition.slug]))})


def reminder_step(*, edition: Edition, at: dt.datetime) -> int | None:
    """The reminder due at `at`: the nearest of JURY_REMINDER_DAYS (days before the review
    closes) that has been reached, or None (too early, or the review is not running)."""
    if edition.phase != Phase.REVIEW or edition.review_close_at <= at:
        return None
    left = edition.review_close_at - at
    reached = [days for days in settings.JURY_REMINDER_DAYS if left <= dt.timedelta(days=days)]
    return min(reached) if reached else None


@transaction.atomic
def jury_reminders_scheduled_send(*, at: dt.datetime | None = None) -> int:
    """The beat's reminders: in every edition in review, each accepted juror with sheets
    still missing gets the reminder of the step reached (7, 3, 1 days before the close, by
    default), once per step, recorded; a step missed (the beat was down) is not sent late
    once a nearer one is due. Returns how many were sent."""
    at = at or timezone.now()
    sent = 0
    for edition in (Edition.objects.select_for_update()
                    .filter(phase=Phase.REVIEW, review_close_at__gt=at).order_by("pk")):
        step = reminder_step(edition=edition, at=at)
        if step is None:
            continue
        told = set(JuryReminder.objects.filter(member__edition=edition, days_before=step)
                   .values_list("member_id", flat=True))
        for row in jury_progress(edition=edition).jurors:
            if row.member.pk in told or row.counts.open <= 0 or not _juror_is_active(row.member):
                continue
            JuryReminder.objects.create(member=row.member, days_before=step,
                                        open_sheets=row.counts.open)
            _remind(edition=edition, row=row)
            sent += 1
    return sent
