"""Reads on the jury that cross relations, with a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count

from .enums import SheetStatus
from .models import Assignment, JuryMember, JurySheet


@dataclass
class JuryMembershipProgress:
    member: JuryMember
    assigned: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def juror_memberships_with_progress(*, user) -> list[JuryMembershipProgress]:
    """A juror's accepted memberships, each with how many entries are assigned and scored."""
    members = list(JuryMember.objects.filter(user=user, accepted_at__isnull=False)
                   .select_related("edition").prefetch_related("areas")
                   .order_by("-edition__review_open_at"))
    assigned = dict(Assignment.objects.filter(juror=user).values_list("entry__edition")
                    .annotate(n=Count("id")).values_list("entry__edition", "n"))
    submitted = dict(JurySheet.objects.filter(juror=user, status=SheetStatus.SUBMITTED)
                     .values_list("entry__edition").annotate(n=Count("id"))
                     .values_list("entry__edition", "n"))
    return [JuryMembershipProgress(member=m, assigned=assigned.get(m.edition_id, 0),
                                   submitted=submitted.get(m.edition_id, 0)) for m in members]
