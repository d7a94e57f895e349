"""The submission deadline counts from when the request reached the server (the trusted
proxy's X-Request-Start), not from when a busy worker got to it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from practices.enums import EntryStatus
from tests.factories import EditionFactory, EntryFactory, ThematicAreaFactory

from .factories_practices import CompletePracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_entry(officer, settings):
    """A draft entry of an edition whose deadline passed 5 seconds ago."""
    settings.PROXY_COUNT = 1
    now = timezone.now()
    edition = EditionFactory(submissions_close_at=now - dt.timedelta(seconds=5))
    area = ThematicAreaFactory(edition=edition)
    practice = CompletePracticeFactory(municipality=officer.municipality)
    return EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)


def _sent(seconds_ago: float) -> str:
    return f"t={timezone.now().timestamp() - seconds_ago:.3f}"


def test_entry_submit_sent_before_the_deadline_is_accepted_when_processed_after(
        client, officer, late_entry):
    client.force_login(officer)
    response = client.post(reverse("entry_submit", args=[late_entry.pk]),
                           HTTP_X_REQUEST_START=_sent(20))
    assert response.status_code == 302
    late_entry.refresh_from_db()
    assert late_entry.status == EntryStatus.SUBMITTED
    assert late_entry.submitted_at < late_entry.edition.submissions_close_at


def test_entry_submit_sent_after_the_deadline_is_refused(client, officer, late_entry):
    client.force_login(officer)
    response = client.post(reverse("entry_submit", args=[late_entry.pk]),
                           HTTP_X_REQUEST_START=_sent(1))
    assert response.status_code == 400
    late_entry.refresh_from_db()
    assert late_entry.status == EntryStatus.DRAFT


def test_entry_submit_stamp_from_an_untrusted_peer_is_ignored(client, officer, late_entry):
    client.force_login(officer)
    response = client.post(reverse("entry_submit", args=[late_entry.pk]),
                           HTTP_X_REQUEST_START=_sent(20), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 400
    late_entry.refresh_from_db()
    assert late_entry.status == EntryStatus.DRAFT


def test_entry_submit_stamp_older_than_the_bound_is_refused(client, officer, late_entry,
                                                            settings):
    settings.REQUEST_ARRIVAL_MAX_AGE = 2  # the stamp (20 s) counts as 2 s ago: after
    client.force_login(officer)
    response = client.post(reverse("entry_submit", args=[late_entry.pk]),
                           HTTP_X_REQUEST_START=_sent(20))
    assert response.status_code == 400


def test_practice_edit_sent_before_the_deadline_is_saved(client, officer, late_entry):
    from practices.services import practice_version

    practice = late_entry.practice
    late_entry.status = EntryStatus.SUBMITTED
    late_entry.save()
    client.force_login(officer)
    data = {"title": practice.title, "title_en": "Sent in time", "summary": practice.summary,
            "problem": practice.problem, "actions": practice.actions,
            "results": practice.results,
            "implemented_on": practice.implemented_on.isoformat()
            if practice.implemented_on else "",
            "budget_currency": practice.budget_currency or "BGN",
            "contact_name": "Мария", "contact_email": "m@example.org",
            "version": practice_version(practice)}
    late = client.post(reverse("practice_edit", args=[practice.pk]), data)
    assert late.status_code == 302
    practice.refresh_from_db()
    assert practice.title_en != "Sent in time"  # refused: processed and sent after
    response = client.post(reverse("practice_edit", args=[practice.pk]), data,
                           HTTP_X_REQUEST_START=_sent(20))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title_en == "Sent in time"


def test_photo_upload_and_removal_count_from_arrival_too(client, officer, late_entry):
    from practices.models import Photo

    from .factories_practices import png_bytes, upload

    practice = late_entry.practice
    late_entry.status = EntryStatus.SUBMITTED
    late_entry.save()
    client.force_login(officer)
    add = reverse("practice_photo_add", args=[practice.pk])
    late = client.post(add, {"image": upload("late.png", png_bytes())})
    assert late.status_code == 400
    in_time = client.post(add, {"image": upload("a.png", png_bytes())},
                          HTTP_X_REQUEST_START=_sent(20))
    assert in_time.status_code == 302
    photo = Photo.objects.get(practice=practice)
    remove = reverse("practice_photo_delete", args=[practice.pk, photo.pk])
    client.post(remove)
    assert Photo.objects.filter(pk=photo.pk).exists()  # processed and sent after: refused
    client.post(remove, HTTP_X_REQUEST_START=_sent(20))
    assert not Photo.objects.filter(pk=photo.pk).exists()
