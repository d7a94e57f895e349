"""Holes found in review: a juror removed from the jury, NUL characters in comments."""

import pytest
from django.urls import reverse

from scoring.models import JuryMember, JurySheet, SheetScore

pytestmark = pytest.mark.django_db


def test_juror_removed_from_the_jury_can_no_longer_score(client, jury):
    JuryMember.objects.filter(user=jury.juror).delete()
    client.force_login(jury.juror)
    first = jury.criteria[0]
    for url in (reverse("jury_sheet", args=[jury.entry.pk]),
                reverse("jury_sheet_autosave", args=[jury.entry.pk])):
        response = client.post(url, {f"score-{first.pk}": "6", "action": "submit"})
        assert response.status_code == 404
    assert client.get(reverse("juror_entry", args=[jury.entry.pk])).status_code == 404
    assert JurySheet.objects.filter(juror=jury.juror).count() == 0


def test_invited_juror_who_has_not_accepted_cannot_score(client, jury):
    JuryMember.objects.filter(user=jury.juror).update(accepted_at=None)
    client.force_login(jury.juror)
    response = client.get(reverse("jury_sheet", args=[jury.entry.pk]))
    assert response.status_code == 404


def test_nul_characters_in_comments_are_dropped_not_a_server_error(client, jury):
    client.force_login(jury.juror)
    first = jury.criteria[0]
    response = client.post(reverse("jury_sheet_autosave", args=[jury.entry.pk]),
                           {f"comment-{first.pk}": "a\x00b", "overall_comment": "x\x00y"})
    assert response.status_code == 200
    assert SheetScore.objects.get(criterion=first).comment == "ab"
    assert JurySheet.objects.get(juror=jury.juror).overall_comment == "xy"


def test_assigned_juror_sees_links_to_the_entry_files(client, jury):
    from practices.models import Attachment

    attachment = Attachment.objects.create(
        practice=jury.entry.practice, file="practices/x/attachments/a.pdf",
        original_name="plan.pdf", content_type="application/pdf", size=10)
    jury.entry.practice.links = "https://example.org/plan\njavascript:alert(1)"
    jury.entry.practice.save()
    client.force_login(jury.juror)
    page = client.get(reverse("juror_entry", args=[jury.entry.pk])).content.decode()
    assert f'href="/files/practices/attachments/{attachment.pk}/"' in page
    assert 'href="https://example.org/plan"' in page
    assert "javascript:" not in page
