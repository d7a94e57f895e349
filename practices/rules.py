"""Who may do what with practices and entries, and what can be done with them now.

The state questions (`can_submit_entry`, `can_withdraw_entry`, `can_discard_entry`,
`can_edit_practice`) are asked by the services (which refuse), the views and the templates
(which offer only what is possible): no page recomputes them."""

import datetime as dt

import rules
from django.utils import timezone

from accounts.rules import is_officer, is_officer_of, is_organiser, is_pending_officer
from competitions.rules import organisers_manage, organisers_read

from .enums import EntryStatus

__all__ = ["is_officer_of"]


def _open(entry, at: dt.datetime | None) -> bool:
    return entry.edition.is_open_for_submissions(at or timezone.now())


def can_submit_entry(entry, *, at: dt.datetime | None = None) -> bool:
    """A draft or withdrawn entry may be submitted while its edition is open (whether the
    practice is complete is the service's further check: `checks.entry_problems`)."""
    return entry.status in EntryStatus.submittable and _open(entry, at)


def can_withdraw_entry(entry, *, at: dt.datetime | None = None) -> bool:
    """Only an entry the organiser has received may be withdrawn, while its edition is open."""
    return entry.status in EntryStatus.received and _open(entry, at)


def can_discard_entry(entry, *, at: dt.datetime | None = None) -> bool:
    """A draft entry, never submitted, may be removed while its edition is open (it takes a
    place of the municipality's quota in its area)."""
    return entry.status == EntryStatus.DRAFT and _open(entry, at)


def practice_is_locked(practice, *, at: dt.datetime | None = None) -> bool:
    """A practice with an entry the organiser has received in an edition whose submissions
    are closed can no longer change: the jury judges what was submitted."""
    at = at or timezone.now()
    return any(entry.status in EntryStatus.received
               and not entry.edition.is_open_for_submissions(at)
               for entry in practice.entries.all())


def can_edit_practice(practice, *, at: dt.datetime | None = None) -> bool:
    """The practice, its photos and attachments may change until it is locked."""
    return not practice_is_locked(practice, at=at)


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

organisers_manage("practices", "practice", "photo", "attachment", "entry")
organisers_read("practices", "organiserdigest")  # the beat's daily digests
