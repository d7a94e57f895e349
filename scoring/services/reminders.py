"""Reminders to jurors who still have entries to score."""

from django.db import transaction
from django.urls import reverse

from accounts.mail import absolute_url, queue_email
from accounts.models import User
from competitions.models import Edition

from ..selectors.jury import jury_progress


@transaction.atomic
def jury_reminders_send(*, edition: Edition, by: User | None,
                        juror_ids: list[int] | None = None) -> int:
    """E-mail every juror of the edition (or the chosen ones) who has assigned entries not
    yet submitted nor recused, saying how many and until when. Returns how many were sent."""
    progress = jury_progress(edition=edition)
    sent = 0
    for row in progress.jurors:
        user = row.member.user
        if juror_ids is not None and user.pk not in juror_ids:
            continue
        if row.counts.open <= 0 or not user.email or not user.is_active:
            continue
        queue_email(to=[user.email], template="scoring/email/jury_reminder",
                    context={"edition": edition, "user": user, "counts": row.counts,
                             "closes_at": edition.local(edition.review_close_at),
                             "url": absolute_url(reverse("juror_dashboard"))})
        sent += 1
    return sent
