"""Jury roles, expressed once."""

import rules
from django.utils import timezone

from accounts.rules import is_organiser
from competitions.rules import organisers_manage
from practices.rules import can_view_practice_files


@rules.predicate
def is_juror(user) -> bool:
    """Accepted a jury invitation for at least one edition."""
    if not user.is_authenticated:
        return False
    return user.jury_memberships.filter(accepted_at__isnull=False).exists()


@rules.predicate
def is_juror_of(user, edition) -> bool:
    if not user.is_authenticated or edition is None:
        return False
    return user.jury_memberships.filter(edition=edition, accepted_at__isnull=False).exists()


@rules.predicate
def is_assigned_juror(user, entry) -> bool:
    if not user.is_authenticated or entry is None:
        return False
    return entry.assignments.active().filter(juror=user).exists()


@rules.predicate
def is_assigned_juror_of_practice(user, practice) -> bool:
    """Actively assigned (see `Assignment.objects.active()`) to one of the practice's
    entries: such a juror sees the practice's files."""
    if not user.is_authenticated or practice is None:
        return False
    return user.assignments.active().filter(entry__practice=practice).exists()


@rules.predicate
def practice_is_public(user, practice) -> bool:
    """The practice has a public result: its photos are public. The definition is
    `scoring.selectors_public` (imported here, not at the top: rules stay a leaf)."""
    from .selectors_public import practice_is_public as has_public_result

    return has_public_result(practice)


@rules.predicate
def edition_in_review(user, edition) -> bool:
    return edition is not None and edition.is_in_review(timezone.now())


@rules.predicate
def is_own_sheet(user, sheet) -> bool:
    return user.is_authenticated and sheet is not None and sheet.juror_id == user.pk


rules.add_perm("scoring.invite_jury", is_organiser)
rules.add_perm("scoring.manage_jury", is_organiser)
rules.add_perm("scoring.view_sheet_audit", is_organiser)
rules.add_perm("scoring.view_assigned_entry", is_assigned_juror)
rules.add_perm("scoring.score_entry", is_assigned_juror)
rules.add_perm("scoring.change_own_sheet", is_own_sheet)
rules.add_perm("scoring.view_jury_dashboard", is_juror)

organisers_manage("scoring", "jurymember", "assignment", "jurysheet", "sheetscore",
                  "rankingrun", "rankingresult")

# Rankings: only organisers see runs before publication (jurors and officers never do).
rules.add_perm("scoring.view_rankings", is_organiser)
rules.add_perm("scoring.run_rankings", is_organiser)
rules.add_perm("scoring.publish_rankings", is_organiser)

# The practices' files: practices grants its officers and the organisers; scoring adds the
# jurors actively assigned to an entry and, for photos only, everyone once the practice is
# public. practices never imports scoring, so the widening is declared here.
rules.set_perm("practices.view_practice_files",
               can_view_practice_files | is_assigned_juror_of_practice)
rules.set_perm("practices.view_practice_photos",
               can_view_practice_files | is_assigned_juror_of_practice | practice_is_public)
