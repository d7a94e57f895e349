"""Who may do what with practices and entries."""

import rules

from accounts.rules import is_officer, is_officer_of, is_organiser, is_pending_officer
from competitions.enums import Phase
from competitions.rules import organisers_manage

__all__ = ["is_officer_of"]


@rules.predicate
def is_officer_of_practice(user, practice) -> bool:
    return practice is not None and is_officer_of(user, practice.municipality_id)


@rules.predicate
def is_officer_of_entry(user, entry) -> bool:
    return entry is not None and is_officer_of(user, entry.practice.municipality_id)


@rules.predicate
def is_juror_assigned_to_practice(user, practice) -> bool:
    """A juror assigned to one of the practice's entries sees its files (the reverse relation
    `assignments` is the scoring app's; practices does not import it)."""
    if practice is None or not user.is_authenticated:
        return False
    return practice.entries.filter(assignments__juror=user).exists()


@rules.predicate
def practice_is_published(user, practice) -> bool:
    """Entered into an edition whose results are published: its photos are public."""
    if practice is None:
        return False
    return practice.entries.filter(edition__phase__in=[Phase.PUBLISHED, Phase.ARCHIVED]).exists()


can_view_practice_files = is_officer_of_practice | is_organiser | is_juror_assigned_to_practice


def practice_files_visible_to(user, practice, *, photos: bool = False) -> bool:
    """Whether this person may download the practice's attachments (or, with photos=True,
    its photos). The single question every file view asks; the showcase may widen
    `practices.view_practice_photos` with its own predicates."""
    permission = "practices.view_practice_photos" if photos else "practices.view_practice_files"
    return user.has_perm(permission, practice)


rules.add_perm("practices.add_practice_as_officer", is_officer)
rules.add_perm("practices.change_entry_as_officer", is_officer_of_entry)
# Attachments: the municipality's officers, organisers and the jurors assigned to an entry.
rules.add_perm("practices.view_practice_files", can_view_practice_files)
# Photos: the same people, and everyone once the practice's edition is published.
rules.add_perm("practices.view_practice_photos", can_view_practice_files | practice_is_published)
rules.add_perm("practices.organise_entries", is_organiser)
rules.add_perm("practices.view_officer_dashboard", is_officer | is_pending_officer)
rules.add_perm("practices.change_practice_as_officer", is_officer_of_practice)
rules.add_perm("practices.view_practice_as_officer", is_officer_of_practice | is_organiser)

organisers_manage("practices", "practice", "photo", "attachment", "entry")
