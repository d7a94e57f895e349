"""Reminders to jurors who still have entries to score in the round being scored: sent by
an organiser, and by the beat before that round's scoring closes (7, 3 and 1 days before,
by default), each step once per round."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url, queue_email
from accounts.models import User
from competitions.enums import Phase
from competitions.models import Edition

from ..models import JudgingRound, JuryMember, JuryReminder
from ..rules import round_scoring_open
from ..selectors.jury import JurorProgress, jurors_in_round
from ..selectors.rounds import current_of, edition_rounds


def _juror_is_active(member: JuryMember) -> bool:
    """Who is reminded: an accepted member with an active account and an address (an
    invitation not yet accepted is not a seat on the jury)."""
    return member.is_seated and member.user.is_active and bool(member.user.email)


@transaction.atomic
def jury_reminders_send(*, edition: Edition, by: User | None,
                        juror_ids: list[int] | None = None,
                        at: dt.datetime | None = None) -> int:
    """E-mail every accepted juror of the edition (or the chosen ones) who has entries
    assigned in the current round not yet submitted nor recused, saying how many and until
    when that round's scoring is open. Returns how many were sent."""
    rounds = edition_rounds(edition)
    judging_round = current_of(rounds, at)
    if judging_round is None:
        return 0
    judging_round.in_several = len(rounds) > 1
    sent = 0
    for row in jurors_in_round(edition=edition, judging_round=judging_round):
        if juror_ids is not None and row.member.user_id not in juror_ids:
            continue
        if row.counts.open <= 0 or not _juror_is_active(row.member):
            continue
        _remind(edition=edition, judging_round=judging_round, row=row)
        sent += 1
    return sent


def _remind(*, edition: Edition, judging_round: JudgingRound, row: JurorProgress) -> None:
    user = row.member.user
    queue_email(to=[user], template="scoring/email/jury_reminder",
                context={"edition": edition, "user": user, "counts": row.counts,
                         "closes_at": edition.local(judging_round.review_close_at),
                         # a round of several is named: "the jury review" would be all
                         "round": judging_round if judging_round.in_several else None,
                         "url": absolute_url(reverse("juror_edition", args=[edition.slug]))})


def reminder_step(*, judging_round: JudgingRound, at: dt.datetime) -> int | None:
    """The reminder due at `at` in a round: the nearest of JURY_REMINDER_DAYS (days before
    the round's scoring closes) that has been reached, or None (too early, or the round's
    scoring is not open)."""
    if not round_scoring_open(judging_round, at):
        return None
    left = judging_round.review_close_at - at
    reached = [days for days in settings.JURY_REMINDER_DAYS if left <= dt.timedelta(days=days)]
    return min(reached) if reached else None


@transaction.atomic
def jury_reminders_scheduled_send(*, at: dt.datetime | None = None) -> int:
    """The beat's reminders: in every edition in review, the round being scored counts down
    to its own close: each accepted juror with sheets of that round still missing gets the
    reminder of the step reached (7, 3, 1 days before the round closes, by default), once
    per step and round, recorded; a step missed (the beat was down) is not sent late once a
    nearer one is due. Returns how many were sent."""
    at = at or timezone.now()
    sent = 0
    for edition in (Edition.objects.select_for_update()
                    .filter(phase=Phase.REVIEW, review_close_at__gt=at).order_by("pk")):
        rounds = edition_rounds(edition)
        judging_round = current_of(rounds, at)
        if judging_round is not None:
            judging_round.in_several = len(rounds) > 1
        step = reminder_step(judging_round=judging_round, at=at) if judging_round else None
        if step is None:
            continue
        told = set(JuryReminder.objects.filter(member__edition=edition, round=judging_round,
                                               days_before=step)
                   .values_list("member_id", flat=True))
        for row in jurors_in_round(edition=edition, judging_round=judging_round):
            if row.member.pk in told or row.counts.open <= 0 or not _juror_is_active(row.member):
                continue
            JuryReminder.objects.create(member=row.member, round=judging_round,
                                        days_before=step, open_sheets=row.counts.open)
            _remind(edition=edition, judging_round=judging_round, row=row)
            sent += 1
    return sent
