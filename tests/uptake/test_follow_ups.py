import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competitions.enums import Phase
from tests.factories import EditionFactory, OfficerFactory
from tests.practices.factories_practices import png_bytes
from uptake.enums import FollowUpStatus, PracticeState
from uptake.models import FollowUpReport
from uptake.services import (
    follow_up_decide,
    follow_up_photo_add,
    follow_up_submit,
    follow_ups_request,
)
from uptake.tasks import ask_for_follow_ups

pytestmark = pytest.mark.django_db


def _asked(practice):
    return FollowUpReport.objects.get(practice=practice, months=12)


def test_follow_ups_request_asks_each_public_practice_once_in_the_officers_language(
        published, practice, owner, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_request() == 2  # two public practices, 12 months due, 24 not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_for_follow_ups() == 0  # idempotent: the task asks nothing twice
    report = _asked(practice)
    assert report.status == FollowUpStatus.REQUESTED
    mine = [mail for mail in mailoutbox if mail.to == [owner.email]]
    assert len(mine) == 1
    assert "Какво стана" in mine[0].subject  # the recipient's language
    assert f"http://testserver/officer/follow-ups/{report.pk}/" in mine[0].body or (
        reverse("followup_edit", args=[report.pk]) in mine[0].body)


def test_follow_ups_request_waits_for_the_editions_months(published, settings):
    run, _results = published
    run.edition.follow_up_first_months = 18
    run.edition.save()
    assert follow_ups_request() == 0
    assert follow_ups_request(at=timezone.now() + dt.timedelta(days=200)) == 2


def test_follow_ups_request_skips_editions_not_public(published):
    run, _results = published
    run.edition.phase = Phase.RANKED
    run.edition.save()
    assert follow_ups_request() == 0


def test_follow_up_months_are_locked_with_the_setup():
    edition = EditionFactory(phase=Phase.REVIEW)
    edition.follow_up_first_months = 6
    with pytest.raises(ValidationError) as refused:
        edition.full_clean()
    assert "locked" in str(refused.value)
    draft = EditionFactory()
    draft.follow_up_first_months = 6
    draft.full_clean()
    assert draft.follow_up_months == [6, 24]


def test_follow_up_submit_then_approve_shows_it_on_the_public_page(
        client, practice, owner, organiser, mailoutbox, django_capture_on_commit_callbacks):
    follow_ups_request()
    report = _asked(practice)
    follow_up_photo_add(report=report, upload=SimpleUploadedFile("a.png", png_bytes()),
                        caption="Днес", by=owner)
    follow_up_submit(report=report, by=owner, state=PracticeState.EXTENDED,
                     figures="1200 users", text="Extended to three villages.")
    page = reverse("showcase:practice", args=[practice.pk])
    assert "Extended to three villages." not in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_decide(report=report, by=organiser, approve=True)
    body = client.get(page).content.decode()
    assert "Extended to three villages." in body
    assert "1200 users" in body
    photo = report.photos.get()
    assert reverse("followup_photo_file", args=[photo.pk]) in body
    assert client.get(reverse("followup_photo_file", args=[photo.pk])).status_code == 200
    assert mailoutbox[-1].to == [owner.email]
    assert report.history.filter(history_user=organiser).count() == 1  # audited


def test_follow_up_reject_needs_a_reason_and_lets_the_officer_send_again(practice, owner,
                                                                        organiser):
    follow_ups_request()
    report = _asked(practice)
    follow_up_submit(report=report, by=owner, state=PracticeState.RUNNING, figures="",
                     text="Runs.")
    with pytest.raises(ValidationError):
        follow_up_decide(report=report, by=organiser, approve=False, reason=" ")
    rejected = follow_up_decide(report=report, by=organiser, approve=False,
                                reason="Give figures.")
    assert rejected.status == FollowUpStatus.REJECTED
    again = follow_up_submit(report=report, by=owner, state=PracticeState.RUNNING,
                             figures="40 families", text="Runs.")
    assert (again.status, again.rejection_reason) == (FollowUpStatus.SUBMITTED, "")


def test_follow_up_sent_cannot_be_changed_nor_approved_twice(practice, owner, organiser):
    follow_ups_request()
    report = _asked(practice)
    follow_up_submit(report=report, by=owner, state=PracticeState.STOPPED, figures="",
                     text="Stopped: no funds.")
    with pytest.raises(ValidationError):
        follow_up_submit(report=report, by=owner, state=PracticeState.RUNNING, figures="",
                         text="x")
    with pytest.raises(ValidationError):
        follow_up_photo_add(report=report, upload=SimpleUploadedFile("a.png", png_bytes()))
    follow_up_decide(report=report, by=organiser, approve=True)
    with pytest.raises(ValidationError):
        follow_up_decide(report=report, by=organiser, approve=False, reason="no")


def test_follow_up_photo_is_checked_like_a_practice_photo(practice, owner):
    follow_ups_request()
    report = _asked(practice)
    with pytest.raises(ValidationError):
        follow_up_photo_add(report=report, upload=SimpleUploadedFile("a.png", b"not an image"))


def test_follow_up_photo_of_a_report_not_approved_is_private(client, practice, owner,
                                                            organiser):
    follow_ups_request()
    report = _asked(practice)
    photo = follow_up_photo_add(report=report,
                                upload=SimpleUploadedFile("a.png", png_bytes()), by=owner)
    url = reverse("followup_photo_file", args=[photo.pk])
    assert client.get(url).status_code == 404
    client.force_login(OfficerFactory())
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_officer_writes_the_report_through_the_form(client, practice, owner):
    follow_ups_request()
    report = _asked(practice)
    client.force_login(owner)
    assert client.get(reverse("followup_list")).status_code == 200
    response = client.post(reverse("followup_edit", args=[report.pk]),
                           {"state": "running", "figures": "", "text": "Still there."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.text, report.submitted_by) == (
        FollowUpStatus.SUBMITTED, "Still there.", owner)


def test_another_municipalitys_report_answers_404(client, practice, adopter):
    follow_ups_request()
    report = _asked(practice)
    client.force_login(adopter)
    assert client.get(reverse("followup_edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("followup_edit", args=[report.pk]),
                       {"state": "running", "text": "x"}).status_code == 404


def test_organiser_approves_by_post(client, practice, owner, organiser):
    follow_ups_request()
    report = _asked(practice)
    follow_up_submit(report=report, by=owner, state="running", figures="", text="Runs.")
    client.force_login(organiser)
    assert client.get(reverse("organiser_followup_list")).status_code == 200
    assert client.post(reverse("organiser_followup_check", args=[report.pk]),
                       {"decision": "reject", "reason": ""}).status_code == 400
    response = client.post(reverse("organiser_followup_check", args=[report.pk]),
                           {"decision": "approve"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.decided_by) == (FollowUpStatus.APPROVED, organiser)


def test_sustained_form_starts_from_the_follow_up(client, practice, owner):
    follow_ups_request()
    report = _asked(practice)
    follow_up_submit(report=report, by=owner, state="extended", figures="3 villages",
                     text="Extended with a mobile office.")
    client.force_login(owner)
    page = client.get(reverse("practice_sustain", args=[practice.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["is_sustained"] is True
    assert form.initial["upgrade_description"] == "Extended with a mobile office."
    assert form.initial["results"].endswith("3 villages")
    assert form.initial["title"] == practice.title


def test_public_practice_page_query_count_with_follow_ups(client, practice, owner, organiser,
                                                          django_assert_max_num_queries,
                                                          settings):
    settings.SHOWCASE_CACHE_SECONDS = 0
    follow_ups_request(at=timezone.now() + dt.timedelta(days=400))  # both rounds
    for report in FollowUpReport.objects.filter(practice=practice):
        follow_up_photo_add(report=report, upload=SimpleUploadedFile("a.png", png_bytes()))
        follow_up_submit(report=report, by=owner, state="running", figures="", text="Runs.")
        follow_up_decide(report=report, by=organiser, approve=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("showcase:practice", args=[practice.pk]))
    assert response.content.decode().count("data-follow-up=") == 2


def test_decisions_and_adoptions_are_in_the_audit_log(practice, owner, organiser, adopter):
    from portal.audit import audit_log
    from uptake.services import adoption_record

    follow_ups_request()
    report = _asked(practice)
    follow_up_submit(report=report, by=owner, state="running", figures="", text="Runs.")
    follow_up_decide(report=report, by=organiser, approve=False, reason="Figures, please.")
    rows, _more = audit_log(kind="followup")
    assert [(row.who, row.action) for row in rows][:1] == [(organiser, "~")]
    assert ("reason for sending it back", "—", "Figures, please.") in rows[0].changes
    adoption_record(practice=practice, by=adopter, adopted_on=dt.date(2025, 1, 1))
    rows, _more = audit_log(kind="adoption")
    assert [(row.who, row.subject) for row in rows] == [
        (adopter, f"{practice.title} · {adopter.municipality.display_name}")]
