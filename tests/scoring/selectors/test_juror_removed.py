"""A juror removed from an edition's jury (membership deleted, invitation never accepted) or
deactivated keeps nothing of the entries once assigned: every access path asks the one
active-assignment rule (`Assignment.objects.active()`)."""

import pytest
from django.urls import reverse

from practices.rules import practice_files_visible_to
from scoring.selectors.jury import juror_dashboard_blocks
from scoring.services.sheets import SheetError, sheet_get_or_create
from tests.factories import EntryFactory, JuryMemberFactory
from tests.practices.factories_practices import AttachmentFactory, PhotoFactory

pytestmark = pytest.mark.django_db

REMOVALS = ["membership-deleted", "invitation-not-accepted"]


def _remove(jury, how: str) -> None:
    member = jury.juror.jury_memberships.get(edition=jury.edition)
    if how == "membership-deleted":
        member.delete()
    elif how == "invitation-not-accepted":
        member.accepted_at = None
        member.save()
    else:
        jury.juror.is_active = False
        jury.juror.save()


@pytest.fixture
def files(jury):
    """A photo and an attachment of the assigned entry's practice; the juror also sits on
    another edition's jury (so the jury dashboard stays theirs once removed from this one)."""
    JuryMemberFactory(user=jury.juror)
    practice = jury.entry.practice
    return PhotoFactory(practice=practice), AttachmentFactory(practice=practice)


def _file_answers(client, photo, attachment) -> tuple[int, int]:
    return (client.get(reverse("practice_photo_file", args=[photo.pk])).status_code,
            client.get(reverse("practice_attachment_file", args=[attachment.pk])).status_code)


def test_assigned_juror_sees_files_entry_and_dashboard_row(client, jury, files):
    client.force_login(jury.juror)
    assert _file_answers(client, *files) == (200, 200)
    assert client.get(reverse("juror_entry", args=[jury.entry.pk])).status_code == 200
    body = client.get(reverse("juror_dashboard")).content.decode()
    assert jury.entry.practice.title_en in body


@pytest.mark.parametrize("how", REMOVALS)
def test_removed_juror_files_are_404(client, jury, files, how):
    _remove(jury, how)
    client.force_login(jury.juror)
    assert _file_answers(client, *files) == (404, 404)


@pytest.mark.parametrize("how", REMOVALS)
def test_removed_juror_entry_and_sheet_pages_are_404(client, jury, files, how):
    _remove(jury, how)
    client.force_login(jury.juror)
    entry = jury.entry.pk
    assert (client.get(reverse("juror_entry", args=[entry])).status_code,
            client.get(reverse("jury_sheet", args=[entry])).status_code,
            client.post(reverse("jury_sheet_autosave", args=[entry]), {}).status_code) == (
        404, 404, 404)


@pytest.mark.parametrize("how", REMOVALS)
def test_removed_juror_dashboard_lists_none_of_the_entries(client, jury, files, how):
    _remove(jury, how)
    client.force_login(jury.juror)
    response = client.get(reverse("juror_dashboard"))
    body = response.content.decode()
    practice = jury.entry.practice
    assert (response.status_code, practice.title_en in body, practice.title in body,
            practice.municipality.name in body, practice.municipality.name_en in body) == (
        200, False, False, False, False)


@pytest.mark.parametrize("how", [*REMOVALS, "deactivated"])
def test_removed_juror_loses_every_access(jury, files, how):
    """The rule itself, for every kind of removal (a deactivated account is signed out by
    Django, so its pages answer as to a stranger; the rule refuses it all the same)."""
    _remove(jury, how)
    jury.juror.refresh_from_db()
    practice = jury.entry.practice
    assert (practice_files_visible_to(jury.juror, practice),
            practice_files_visible_to(jury.juror, practice, photos=True),
            jury.juror.has_perm("scoring.view_assigned_entry", jury.entry),
            [row.entry for block in juror_dashboard_blocks(user=jury.juror)
             for row in block.rows]) == (False, False, False, [])
    with pytest.raises(SheetError):
        sheet_get_or_create(entry=jury.entry, juror=jury.juror)


def test_removed_juror_other_jurors_keep_their_access(client, jury, files):
    _remove(jury, "membership-deleted")
    client.force_login(jury.other_juror)
    assert _file_answers(client, *files) == (200, 200)


def test_juror_of_another_edition_assigned_here_without_membership_sees_nothing(client, jury,
                                                                                files):
    """Membership of some jury is not enough: it must be the entry's edition's."""
    _remove(jury, "membership-deleted")
    client.force_login(jury.juror)
    other_entry = EntryFactory(practice=jury.entry.practice)
    assert other_entry.edition != jury.edition
    assert _file_answers(client, *files) == (404, 404)


def test_juror_dashboard_fixed_queries_with_removed_assignments(client, jury, files,
                                                                django_assert_num_queries):
    client.force_login(jury.juror)
    with django_assert_num_queries(8):
        client.get(reverse("juror_dashboard"))
    _remove(jury, "membership-deleted")
    with django_assert_num_queries(8):
        client.get(reverse("juror_dashboard"))
