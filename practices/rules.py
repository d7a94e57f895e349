"""Who may do what with practices and entries."""

import rules

from accounts.rules import is_officer, is_officer_of, is_organiser, is_pending_officer
from competitions.rules import organisers_manage

__all__ = ["is_officer_of"]


@rules.predicate
def is_officer_of_practice(user, practice) -> bool:
    return practice is not None and is_officer_of(user, practice.municipality_id)


rules.add_perm("practices.view_officer_dashboard", is_officer | is_pending_officer)
rules.add_perm("practices.change_practice_as_officer", is_officer_of_practice)
rules.add_perm("practices.view_practice_as_officer", is_officer_of_practice | is_organiser)

organisers_manage("practices", "practice", "photo", "attachment", "entry")
