"""The admin of live competition records: organisers see everything, and nothing there goes
around the services (sheets, scores, assignments, runs, publications, entries' status)."""

import pytest
from django.db.models import ProtectedError

from competitions.models import Edition
from practices.enums import EntryStatus
from scoring.enums import PublicationAction
from scoring.models import Assignment, JurySheet, PublicationEvent, RankingRun, SheetScore
from tests.factories import (
    EntryFactory,
    JuryMemberFactory,
    OrganiserFactory,
    SheetScoreFactory,
    UserFactory,
)
from tests.portal.factories_showcase import PublishedRunFactory, RankingRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_run():
    run = PublishedRunFactory()
    PublicationEvent.objects.create(run=run, action=PublicationAction.PUBLISH,
                                    by=OrganiserFactory())
    return run


@pytest.fixture
def unpublished_run(published_run):
    """Published once, then unpublished: still the record of what the public saw."""
    RankingRun.objects.filter(pk=published_run.pk).update(is_published=False)
    PublicationEvent.objects.create(run=published_run, action=PublicationAction.UNPUBLISH,
                                    reason="A sheet was entered twice.")
    published_run.refresh_from_db()
    return published_run


def test_published_run_cannot_be_deleted_in_the_admin(client, published_run):
    client.force_login(OrganiserFactory())
    response = client.post(f"/admin/scoring/rankingrun/{published_run.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 403
    client.post("/admin/scoring/rankingrun/", {"action": "delete_selected", "post": "yes",
                                               "_selected_action": [published_run.pk]})
    assert RankingRun.objects.filter(pk=published_run.pk).exists() is True
    assert PublicationEvent.objects.filter(run=published_run).count() == 1


def test_run_published_once_refuses_to_be_deleted(unpublished_run):
    with pytest.raises(ProtectedError):
        unpublished_run.delete()
    assert PublicationEvent.objects.filter(run=unpublished_run).count() == 2


def test_publication_events_hold_their_run_in_the_database(published_run):
    with pytest.raises(ProtectedError):
        RankingRun.objects.filter(pk=published_run.pk).delete()
    with pytest.raises(ProtectedError):
        Edition.objects.filter(pk=published_run.edition_id).delete()
    assert PublicationEvent.objects.filter(run=published_run).count() == 1


def test_never_published_run_can_still_be_deleted_by_code():
    run = RankingRunFactory()
    run.delete()
    assert RankingRun.objects.filter(pk=run.pk).exists() is False


def test_organiser_cannot_change_a_jurors_scores_in_the_admin(client):
    score = SheetScoreFactory(value=4, comment="Weak results.")
    sheet = score.sheet
    client.force_login(OrganiserFactory())
    assert client.get(f"/admin/scoring/jurysheet/{sheet.pk}/change/").status_code == 200
    response = client.post(f"/admin/scoring/jurysheet/{sheet.pk}/change/", {
        "entry": sheet.entry_id, "juror": sheet.juror_id, "status": "draft",
        "overall_comment": "rewritten",
        "scores-TOTAL_FORMS": "1", "scores-INITIAL_FORMS": "1", "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000", "scores-0-id": score.pk, "scores-0-sheet": sheet.pk,
        "scores-0-criterion": score.criterion_id, "scores-0-value": "10",
        "scores-0-comment": "rewritten"})
    assert response.status_code == 403
    score.refresh_from_db()
    sheet.refresh_from_db()
    assert (score.value, score.comment, sheet.status) == (4, "Weak results.", "submitted")


def test_organiser_cannot_revert_a_sheet_from_its_history(client):
    sheet = SheetScoreFactory().sheet
    first = sheet.history.earliest("history_date")
    sheet.overall_comment = "The juror's final word."
    sheet.save()
    client.force_login(OrganiserFactory())
    url = f"/admin/scoring/jurysheet/{sheet.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    sheet.refresh_from_db()
    assert sheet.overall_comment == "The juror's final word."


def test_organiser_cannot_add_or_delete_sheets_scores_or_assignments(client):
    score = SheetScoreFactory()
    member = JuryMemberFactory()
    entry = EntryFactory(area__edition=member.edition)
    client.force_login(OrganiserFactory())
    assert client.post("/admin/scoring/assignment/add/", {
        "entry": entry.pk, "juror": member.user_id}).status_code == 403
    assert client.post("/admin/scoring/jurysheet/add/", {
        "entry": entry.pk, "juror": member.user_id, "status": "submitted"}).status_code == 403
    assert client.post(f"/admin/scoring/jurysheet/{score.sheet_id}/delete/",
                       {"post": "yes"}).status_code == 403
    assert (Assignment.objects.count(), JurySheet.objects.count(),
            SheetScore.objects.count()) == (0, 1, 1)


def test_organiser_cannot_change_an_entrys_status_in_the_admin(client):
    entry = EntryFactory(status=EntryStatus.SUBMITTED)
    client.force_login(OrganiserFactory())
    response = client.post(f"/admin/practices/entry/{entry.pk}/change/", {
        "practice": entry.practice_id, "edition": entry.edition_id, "area": entry.area_id,
        "status": EntryStatus.ELIGIBLE})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_superuser_cannot_change_a_jurors_scores_either(client):
    sheet = SheetScoreFactory().sheet
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post(f"/admin/scoring/jurysheet/{sheet.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert JurySheet.objects.filter(pk=sheet.pk).exists() is True
