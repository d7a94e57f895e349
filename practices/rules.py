"""Who may do what with practices and entries."""

import rules

from accounts.rules import is_officer, is_officer_of, is_organiser, is_pending_officer
from competitions.rules import organisers_manage

__all__ = ["is_officer_of"]


@rules.predicate
def is_officer_of_practice(user, practice) -> bool:
    return practice is not None and is_officer_of(user, practice.municipality_id)


@rules.predicate
def is_officer_of_entry(user, entry) -> bool:
    return entry is not None and is_officer_of(user, entry.practice.municipality_id)


# Who sees a practice's files, as far as this app knows: its municipality's officers and
# the organisers. Jurors and the public are the scoring app's to add (an active assignment,
# a public result): `scoring.rules` widens both permissions below with its own predicates,
# so this app never restates them (and without scoring the files stay closed).
can_view_practice_files = is_officer_of_practice | is_organiser


def practice_files_visible_to(user, practice, *, photos: bool = False) -> bool:
    """Whether this person may download the practice's attachments (or, with photos=True,
    its photos). The single question every file view asks."""
    permission = "practices.view_practice_photos" if photos else "practices.view_practice_files"
    return user.has_perm(permission, practice)


rules.add_perm("practices.add_practice_as_officer", is_officer)
rules.add_perm("practices.change_entry_as_officer", is_officer_of_entry)
# Attachments and photos: widened by scoring.rules (active jurors; photos: the public once
# the practice is public).
rules.add_perm("practices.view_practice_files", can_view_practice_files)
rules.add_perm("practices.view_practice_photos", can_view_practice_files)
rules.add_perm("practices.organise_entries", is_organiser)
rules.add_perm("practices.view_officer_dashboard", is_officer | is_pending_officer)
rules.add_perm("practices.change_practice_as_officer", is_officer_of_practice)
rules.add_perm("practices.view_practice_as_officer", is_officer_of_practice | is_organiser)

organisers_manage("practices", "practice", "photo", "attachment", "entry")
