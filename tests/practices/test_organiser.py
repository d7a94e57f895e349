import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices.enums import EntryStatus
from tests.factories import EntryFactory, MunicipalityFactory

from .factories_practices import AttachmentFactory, CompletePracticeFactory, PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(area, area2, municipality):
    first = EntryFactory(practice=CompletePracticeFactory(municipality=municipality,
                                                          title="=HYPERLINK(1)"),
                         area=area, status=EntryStatus.SUBMITTED)
    second = EntryFactory(practice=CompletePracticeFactory(
        municipality=MunicipalityFactory(region="Добрич")), area=area2,
        status=EntryStatus.DRAFT)
    return first, second


def _organiser_urls(edition, entry):
    return [reverse("organiser_entry_editions"),
            reverse("organiser_entry_list", args=[edition.slug]),
            reverse("organiser_entry_export", args=[edition.slug]),
            reverse("organiser_entry_decide", args=[entry.pk])]


@pytest.mark.parametrize("role", ["anonymous", "officer", "juror"])
def test_organiser_entry_pages_denied(client, request, role, edition, entries):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in _organiser_urls(edition, entries[0]):
        assert (url, client.get(url).status_code) == (url, 403)
    response = client.post(reverse("organiser_entry_decide", args=[entries[0].pk]),
                           {"decision": "ineligible", "reason": "x"})
    assert response.status_code == 403
    entries[0].refresh_from_db()
    assert entries[0].status == EntryStatus.SUBMITTED


def test_organiser_entry_list_filters(client, organiser, edition, entries):
    client.force_login(organiser)
    url = reverse("organiser_entry_list", args=[edition.slug])
    assert [e.pk for e in client.get(url).context["entries"]] == [e.pk for e in entries]
    assert [e.pk for e in client.get(url, {"area": "II"}).context["entries"]] == [entries[1].pk]
    assert [e.pk for e in client.get(url, {"status": "submitted"}).context["entries"]] == [
        entries[0].pk]
    assert [e.pk for e in client.get(url, {"region": "Добрич"}).context["entries"]] == [
        entries[1].pk]


def test_organiser_entry_list_fixed_queries(client, organiser, edition, area, area2):
    client.force_login(organiser)
    EntryFactory(area=area, status=EntryStatus.SUBMITTED)
    url = reverse("organiser_entry_list", args=[edition.slug])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    EntryFactory.create_batch(5, area=area2, status=EntryStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["entries"]) == 6
    assert len(many) == len(one)


def test_organiser_entry_export_csv(client, organiser, edition, entries):
    client.force_login(organiser)
    response = client.get(reverse("organiser_entry_export", args=[edition.slug]),
                          {"area": "I"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:9] == ["entry_id", "edition", "area", "area_title", "municipality",
                           "region", "practice_id", "practice", "status"]
    assert len(rows) == 2
    assert rows[1][7] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[1][8] == "submitted"


def test_organiser_entry_export_streams_with_a_fixed_number_of_queries(client, organiser,
                                                                      edition, area):
    client.force_login(organiser)
    url = reverse("organiser_entry_export", args=[edition.slug])
    counts = []
    for more in (1, 5):
        EntryFactory.create_batch(more, area=area, status=EntryStatus.SUBMITTED)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = response.getvalue().decode("utf-8-sig")
        assert response.streaming and response["Cache-Control"] == "private, no-store"
        counts.append((len(queries), len(list(csv.reader(io.StringIO(body))))))
    assert counts == [(counts[0][0], 2), (counts[0][0], 7)]


def test_organiser_entry_decide_ineligible_with_reason_seen_by_officer(
        client, organiser, officer, entries, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    url = reverse("organiser_entry_decide", args=[entries[0].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "ineligible", "reason": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "ineligible", "reason": "Извън срока."})
    assert response.status_code == 302
    entries[0].refresh_from_db()
    assert (entries[0].status, entries[0].eligibility_reason) == (EntryStatus.INELIGIBLE,
                                                                  "Извън срока.")
    assert [m.to for m in mailoutbox] == [[officer.email]]
    client.force_login(officer)
    assert "Извън срока." in client.get(reverse("officer_dashboard")).content.decode()


def test_organiser_entry_decide_shows_the_whole_entry_as_the_jury_sees_it(
        client, organiser, entries):
    practice = entries[0].practice
    practice.partners = "Читалище „Светлина“"
    practice.budget = "Общински бюджет"
    practice.links = "https://example.org/tundzha"
    practice.save()
    photo = PhotoFactory(practice=practice, caption="Новата улица")
    attachment = AttachmentFactory(practice=practice, title="Отчет")
    client.force_login(organiser)
    page = client.get(reverse("organiser_entry_decide", args=[entries[0].pk])).content.decode()
    for text in ("Проблемът.", "Какво беше направено.", "Резултати и числа.",
                 "Читалище „Светлина“", "Общински бюджет", "https://example.org/tundzha",
                 "Новата улица", reverse("practice_photo_file", args=[photo.pk]),
                 "Отчет", reverse("practice_attachment_file", args=[attachment.pk])):
        assert (text, text in page) == (text, True)


@pytest.mark.parametrize("status", [EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE])
def test_organiser_entry_decide_preselects_no_decision(client, organiser, entries, status):
    entry = entries[0]
    entry.status = status
    entry.save()
    client.force_login(organiser)
    url = reverse("organiser_entry_decide", args=[entry.pk])
    page = client.get(url).content.decode()
    assert page.count('name="decision"') == 2
    assert "checked" not in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["decision"] == [
        "Choose a decision: eligible or not eligible."]
    entry.refresh_from_db()
    assert entry.status == status


def test_organiser_entry_list_is_paginated_keeping_its_filters(client, organiser, edition,
                                                              area, area2, monkeypatch):
    from practices import organiser_views

    monkeypatch.setattr(organiser_views, "PAGE_SIZE", 2)
    EntryFactory.create_batch(5, area=area, status=EntryStatus.SUBMITTED)
    EntryFactory(area=area2, status=EntryStatus.SUBMITTED)
    client.force_login(organiser)
    url = reverse("organiser_entry_list", args=[edition.slug])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url, {"area": "I"})
    assert len(first.context["entries"]) == 2
    body = first.content.decode()
    assert 'aria-current="page"' in body and "?area=I&amp;page=2" in body
    with CaptureQueriesContext(connection) as last_queries:
        last = client.get(url, {"area": "I", "page": "3"})
    assert len(last.context["entries"]) == 1
    assert len(last_queries) == len(first_queries)
    # the export link keeps the filters, not the page; the export has every entry
    assert 'export.csv?area=I"' in last.content.decode()
    export = client.get(reverse("organiser_entry_export", args=[edition.slug]), {"area": "I"})
    assert len(list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))) == 6
