"""The jury is told of the entries assigned to them: one digest per juror and edition,
however many steps the organiser took. The beat calls it; it is safe to run twice."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url, queue_email
from competitions.enums import Phase
from practices.enums import EntryStatus

from ..models import Assignment


@transaction.atomic
def jury_assignment_notices_send(*, at: dt.datetime | None = None) -> int:
    """Tell each juror once about the entries assigned to them and not yet announced: one
    e-mail per juror and edition, listing them all. Assignments made in several steps are
    gathered: a juror is told only once `JURY_ASSIGNMENT_NOTICE_QUIET_MINUTES` have passed
    since the last entry was assigned to them. Only accepted members with an active account,
    only scorable entries, only while the review has not closed. Returns how many e-mails."""
    at = at or timezone.now()
    quiet = dt.timedelta(minutes=settings.JURY_ASSIGNMENT_NOTICE_QUIET_MINUTES)
    pending = (Assignment.objects.active()
               .filter(notified_at__isnull=True, entry__status__in=EntryStatus.scorable,
                       entry__edition__phase__in=Phase.assignable))
    settled = (pending.values("juror_id", "entry__edition_id")
               .annotate(last=Max("created_at")).filter(last__lte=at - quiet))
    groups = {(row["juror_id"], row["entry__edition_id"]) for row in settled}
    if not groups:
        return 0
    assignments = (pending.select_for_update(of=("self",))
                   .filter(juror_id__in={juror for juror, _e in groups})
                   .select_related("juror", "entry__practice", "entry__area", "entry__edition")
                   .order_by("entry__area__order", "entry__practice__title", "pk"))
    by_group: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        key = (assignment.juror_id, assignment.entry.edition_id)
        if key in groups:
            by_group[key].append(assignment)
    sent = 0
    for (_juror_id, _edition_id), items in sorted(by_group.items()):
        juror, edition = items[0].juror, items[0].entry.edition
        if juror.email:
            queue_email(to=[juror], template="scoring/email/jury_assigned", context={
                "user": juror, "edition": edition,
                "entries": [item.entry for item in items],
                "closes_at": edition.local(edition.review_close_at),
                "url": absolute_url(reverse("juror_edition", args=[edition.slug]))})
            sent += 1
        Assignment.objects.filter(pk__in=[item.pk for item in items]).update(notified_at=at)
    return sent
