from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from competitions.models import Criterion, Edition, Municipality, ThematicArea
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    OfficerFactory,
    OrganiserFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db
REAL_CSV = Path(__file__).resolve().parents[2] / "portal" / "demo_data" / "municipalities-bg.csv"


@pytest.fixture
def organiser_client(client):
    client.force_login(OrganiserFactory())
    return client


def edition_form(areas=(("I", "Граждани", "1", "2"), ("II", "Технологии", "2", "2")),
                 criteria=(("1", "Релевантност", "1"), ("2", "Устойчивост", "1")), **fields):
    data = {
        "title": "Програма 2027", "title_en": "Programme 2027", "slug": "bg-2027",
        "country": "BG", "language": "bg", "year_label": "2027", "phase": "draft",
        "call_text": "", "call_text_en": "", "time_zone": "Europe/Sofia",
        "submissions_open_at_0": "2027-01-10", "submissions_open_at_1": "09:00",
        "submissions_close_at_0": "2027-03-10", "submissions_close_at_1": "17:00",
        "review_open_at_0": "2027-03-11", "review_open_at_1": "09:00",
        "review_close_at_0": "2027-05-10", "review_close_at_1": "17:00",
        "results_at_0": "", "results_at_1": "",
        "eligibility_months": "18", "max_entries_per_area": "1", "scale_min": "0",
        "scale_max": "10", "min_sheets_per_entry": "3", "conflict_scope": "municipality",
        "follow_up_first_months": "12", "follow_up_second_months": "24",
        "areas-TOTAL_FORMS": str(len(areas)), "areas-INITIAL_FORMS": "0",
        "areas-MIN_NUM_FORMS": "0", "areas-MAX_NUM_FORMS": "1000",
        "criteria-TOTAL_FORMS": str(len(criteria)), "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, (code, title, order, awards) in enumerate(areas):
        data.update({f"areas-{i}-code": code, f"areas-{i}-title": title,
                     f"areas-{i}-title_en": "", f"areas-{i}-order": order,
                     f"areas-{i}-awards": awards})
    for i, (order, title, weight) in enumerate(criteria):
        data.update({f"criteria-{i}-order": order, f"criteria-{i}-title": title,
                     f"criteria-{i}-title_en": "", f"criteria-{i}-weight": weight,
                     f"criteria-{i}-guidance": ""})
    data.update(fields)
    return data


def test_admin_organiser_configures_a_whole_edition(organiser_client):
    response = organiser_client.post("/admin/competitions/edition/add/", edition_form())
    assert response.status_code == 302
    edition = Edition.objects.get(slug="bg-2027")
    assert list(edition.areas.values_list("code", flat=True)) == ["I", "II"]
    assert list(edition.criteria.values_list("title", flat=True)) == ["Релевантност",
                                                                      "Устойчивост"]
    # the dates were entered in the edition's time zone (Sofia, UTC+2 in winter)
    assert edition.submissions_close_at.isoformat() == "2027-03-10T15:00:00+00:00"


def test_admin_duplicate_area_codes_save_nothing(organiser_client):
    response = organiser_client.post("/admin/competitions/edition/add/", edition_form(
        areas=(("I", "Едно", "1", "2"), ("I", "Друго", "2", "2"))))
    assert response.status_code == 200
    assert "Please correct the duplicate data for code" in response.content.decode()
    assert Edition.objects.count() == 0
    assert ThematicArea.objects.count() == 0


def test_admin_zero_weight_saves_nothing(organiser_client):
    response = organiser_client.post("/admin/competitions/edition/add/", edition_form(
        criteria=(("1", "Релевантност", "0"),)))
    assert response.status_code == 200
    assert "A weight must be above zero." in response.content.decode()
    assert Edition.objects.count() == 0
    assert Criterion.objects.count() == 0


def test_admin_overlapping_phase_dates_are_refused(organiser_client):
    response = organiser_client.post("/admin/competitions/edition/add/", edition_form(
        review_open_at_0="2027-02-01"))
    assert response.status_code == 200
    assert "“jury review opens” must come after “submission deadline”." in \
        response.content.decode()
    assert Edition.objects.count() == 0


def test_admin_edition_dates_are_shown_in_the_edition_time_zone(organiser_client):
    organiser_client.post("/admin/competitions/edition/add/", edition_form(
        time_zone="America/New_York", slug="ny"))
    edition = Edition.objects.get(slug="ny")
    page = organiser_client.get(f"/admin/competitions/edition/{edition.pk}/change/")
    # entered as 17:00 while the server zone (Sofia) was active: 15:00 UTC, 10:00 in New York
    assert 'value="10:00:00"' in page.content.decode()


def test_admin_copy_edition_action(organiser_client):
    edition = EditionFactory(slug="bg-2026")
    ThematicAreaFactory(edition=edition, code="I")
    CriterionFactory(edition=edition, order=1)
    response = organiser_client.post("/admin/competitions/edition/", {
        "action": "copy_editions", "_selected_action": [edition.pk]}, follow=True)
    assert response.status_code == 200
    copy = Edition.objects.get(slug="bg-2026-copy")
    assert copy.areas.count() == 1
    assert copy.criteria.count() == 1


def test_admin_copy_edition_action_marks_a_bulgarian_title_in_bulgarian(organiser_client):
    edition = EditionFactory(slug="bg-2026", title="Конкурс 2026", title_en="Contest 2026",
                             language="bg")
    organiser_client.post("/admin/competitions/edition/", {
        "action": "copy_editions", "_selected_action": [edition.pk]}, follow=True)
    copy = Edition.objects.get(slug="bg-2026-copy")
    assert (copy.title, copy.title_en) == ("Конкурс 2026 (копие)", "Contest 2026 (copy)")


def test_admin_import_real_csv(organiser_client):
    upload = SimpleUploadedFile("municipalities-bg.csv", REAL_CSV.read_bytes(), "text/csv")
    response = organiser_client.post("/admin/competitions/municipality/import-csv/",
                                     {"file": upload, "country": "BG"}, follow=True)
    assert response.status_code == 200
    assert "Imported: 289 new, 0 updated, 0 unchanged." in response.content.decode()
    assert Municipality.objects.count() == 289


def test_admin_import_broken_csv_shows_lines_and_saves_nothing(organiser_client):
    data = ("code,name_bg,name_en,region_bg,region_en,kind,parent_code\n"
            "AAA01,Първа,First,Ямбол,Yambol,municipality,\n"
            "AAA02,,Second,Ямбол,Yambol,municipality,\n").encode()
    response = organiser_client.post("/admin/competitions/municipality/import-csv/", {
        "file": SimpleUploadedFile("m.csv", data, "text/csv"), "country": "BG"})
    assert response.status_code == 400
    assert "Line 3: the name (name_bg) is empty." in response.content.decode()
    assert Municipality.objects.count() == 0


def test_admin_import_a_row_the_database_cannot_hold_is_a_line_not_a_server_error(
        organiser_client):
    data = ("code,name_bg,name_en,region_bg,region_en,kind,parent_code\n"
            "AAA01," + "Я" * 121 + ",First,Ямбол,Yambol,municipality,\n"
            "AAA02,Втора,Second,Ямбол,Yambol,municipality,AAA02\n"
            "AAA03,Тре\x00та,Third,Ямбол,Yambol,municipality,\n").encode()
    response = organiser_client.post("/admin/competitions/municipality/import-csv/", {
        "file": SimpleUploadedFile("m.csv", data, "text/csv"), "country": "BG"})
    assert response.status_code == 400
    page = response.content.decode()
    assert [line in page for line in (
        "Line 2: name_bg: Ensure this value has at most 120 characters (it has 121).",
        "Line 3: it is its own parent (parent_code).",
        "Line 4: a value holds a NUL character.")] == [True, True, True]
    assert Municipality.objects.count() == 0


@pytest.mark.parametrize("url", ["/admin/competitions/edition/add/",
                                 "/admin/competitions/municipality/import-csv/"])
def test_admin_is_closed_to_officers_and_anonymous(client, url):
    assert client.get(url).status_code == 302
    client.force_login(OfficerFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


# --- the phase and the locked set-up (the lifecycle's) --------------------------------------
def test_admin_cannot_write_the_phase(organiser_client):
    response = organiser_client.post("/admin/competitions/edition/add/",
                                     edition_form(phase="published"))
    assert response.status_code == 302
    edition = Edition.objects.get(slug="bg-2027")
    assert edition.phase == "draft"
    change = f"/admin/competitions/edition/{edition.pk}/change/"
    page = organiser_client.get(change).content.decode()
    assert 'name="phase"' not in page


def test_admin_revert_of_an_editions_history_is_refused(organiser_client):
    edition = EditionFactory(phase="review")
    record = edition.history.earliest()
    response = organiser_client.post(
        f"/admin/competitions/edition/{edition.pk}/history/{record.history_id}/", {})
    assert response.status_code == 403


def test_admin_criterion_weight_is_read_only_once_review_starts(organiser_client):
    criterion = CriterionFactory(edition=EditionFactory(phase="review"))
    url = f"/admin/competitions/criterion/{criterion.pk}/change/"
    page = organiser_client.get(url).content.decode()
    assert 'name="weight"' not in page
    response = organiser_client.post(url, {"edition": criterion.edition_id, "order": "1",
                                           "title": "Нов", "weight": "5"})
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == 1


def test_admin_adding_a_criterion_to_an_edition_in_review_is_refused_with_the_way_out(
        organiser_client):
    edition = EditionFactory(phase="review")
    response = organiser_client.post("/admin/competitions/criterion/add/", {
        "edition": edition.pk, "order": "7", "title": "Нов", "title_en": "", "weight": "2",
        "guidance": "", "guidance_en": "", "rubric_levels-TOTAL_FORMS": "0",
        "rubric_levels-INITIAL_FORMS": "0", "rubric_levels-MIN_NUM_FORMS": "0",
        "rubric_levels-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 200
    assert "Copy the edition to change them" in response.content.decode()
    assert Criterion.objects.filter(edition=edition).count() == 0


def test_admin_edition_inlines_are_read_only_once_review_starts(organiser_client):
    edition = EditionFactory(phase="review")
    CriterionFactory(edition=edition)
    ThematicAreaFactory(edition=edition)
    page = organiser_client.get(
        f"/admin/competitions/edition/{edition.pk}/change/").content.decode()
    assert 'name="criteria-0-weight"' not in page
    assert 'name="areas-0-awards"' not in page
    assert 'name="scale_max"' not in page
