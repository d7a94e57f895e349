import pytest
from django.urls import reverse

from practices.enums import EntryStatus
from practices.services import entry_decide_eligibility
from scoring.enums import PublicationAction
from scoring.models import PublicationEvent
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    OfficerFactory,
    OrganiserFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
)
from tests.portal.factories_showcase import PublishedRunFactory

pytestmark = pytest.mark.django_db


def test_audit_log_shows_who_changed_an_entrys_eligibility(client):
    organiser = OrganiserFactory(first_name="Мария", last_name="Георгиева")
    entry = EntryFactory(status=EntryStatus.SUBMITTED)
    entry_decide_eligibility(entry=entry, eligible=False, reason="Outside the 18 months.",
                             by=organiser)
    client.force_login(organiser)
    response = client.get(reverse("organiser_audit"), {"kind": "entry"})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row.kind, row.action) == ("entry", "~")
    assert ("status", "Submitted", "Ineligible") in row.changes
    assert ("reason for the eligibility decision", "—", "Outside the 18 months.") in row.changes


def test_audit_log_shows_old_and_new_score(client):
    score = SheetScoreFactory(value=6)
    score.value = 9
    score.save()
    client.force_login(OrganiserFactory())
    rows = client.get(reverse("organiser_audit"), {"kind": "score"}).context["rows"]
    assert [(r.action, r.changes[0][1:]) for r in rows] == [("~", ("6", "9")), ("+", ("—", "6"))]


def test_audit_log_shows_publication_with_reason(client):
    run = PublishedRunFactory()
    organiser = OrganiserFactory()
    PublicationEvent.objects.create(run=run, action=PublicationAction.UNPUBLISH, by=organiser,
                                    reason="A juror's sheet was entered twice.")
    client.force_login(organiser)
    rows = client.get(reverse("organiser_audit"), {"kind": "publication"}).context["rows"]
    assert [(r.who, r.changes) for r in rows] == [
        (organiser, [("reason", "—", "A juror's sheet was entered twice.")])]


def test_audit_log_shows_what_the_officers_were_told_of_a_withdrawal(client):
    run = PublishedRunFactory()
    organiser = OrganiserFactory()
    PublicationEvent.objects.create(run=run, action=PublicationAction.UNPUBLISH, by=organiser,
                                    reason="Двоен лист.", notice="withdrawn", notified=3)
    client.force_login(organiser)
    rows = client.get(reverse("organiser_audit"), {"kind": "publication"},
                      HTTP_ACCEPT_LANGUAGE="bg").context["rows"]
    assert [r.changes for r in rows] == [
        [("мотив", "—", "Двоен лист."),
         ("какво е съобщено на служителите", "—", "резултатите са оттеглени за преглед (3)")]]


def test_audit_log_in_bulgarian_labels_the_unpublish_reason_and_names_the_method(client):
    run = PublishedRunFactory(method="zscore")
    organiser = OrganiserFactory()
    PublicationEvent.objects.create(run=run, action=PublicationAction.UNPUBLISH, by=organiser,
                                    reason="Двоен лист.")
    client.force_login(organiser)
    rows = client.get(reverse("organiser_audit"), {"kind": "publication"},
                      HTTP_ACCEPT_LANGUAGE="bg").context["rows"]
    assert [(r.subject, r.changes) for r in rows] == [
        (f"{run.edition.slug} · #{run.pk} (Стандартизирано за всеки член на журито "
         "(z-оценка))", [("мотив", "—", "Двоен лист.")])]


@pytest.mark.parametrize("role", ["anonymous", "officer", "juror"])
def test_audit_log_is_for_organisers_only(client, role):
    SheetScoreFactory()
    if role == "officer":
        client.force_login(OfficerFactory())
    elif role == "juror":
        client.force_login(JuryMemberFactory().user)
    response = client.get(reverse("organiser_audit"))
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_audit_log_query_count_does_not_grow(client, django_assert_num_queries):
    client.force_login(OrganiserFactory())
    SheetScoreFactory()
    with django_assert_num_queries(38) as one:  # the second factor: its device, its events
        client.get(reverse("organiser_audit"))
    for _ in range(5):
        SheetScoreFactory()
        EntryFactory()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("organiser_audit"))


def _deleted_practice_with_an_entry():
    entry = EntryFactory()
    shown = f"deleted practice #{entry.practice.pk}"
    entry.practice.delete()
    return shown


def _deleted_entry_with_a_sheet():
    score = SheetScoreFactory()
    shown = f"deleted entry #{score.sheet.entry.pk}"
    score.sheet.entry.delete()
    return shown


def _deleted_draft_edition_copy():
    area = ThematicAreaFactory(edition=EditionFactory(slug="copy-by-mistake"))
    CriterionFactory(edition=area.edition)
    shown = f"deleted edition #{area.edition.pk}"
    area.edition.delete()
    return shown


@pytest.mark.parametrize("delete", [_deleted_practice_with_an_entry,
                                    _deleted_entry_with_a_sheet,
                                    _deleted_draft_edition_copy])
def test_audit_log_shows_records_of_deleted_objects_as_deleted(client, delete):
    shown = delete()
    client.force_login(OrganiserFactory())
    response = client.get(reverse("organiser_audit"))
    assert response.status_code == 200
    parts = {part for row in response.context["rows"]
             for part in row.subject.replace(" (", " · ").split(" · ")}
    assert shown in parts
    assert shown in response.content.decode()
