import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.enums import Phase
from practices.enums import EntryStatus
from practices.models import Attachment, Entry, Photo, Practice
from practices.services import practice_version
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    ThematicAreaFactory,
)
from tests.portal.factories_showcase import RankingResultFactory

from .factories_practices import (
    AttachmentFactory,
    CompletePracticeFactory,
    PhotoFactory,
    pdf_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

PRACTICE_FORM = {
    "title": "Дигитална община", "title_en": "Digital municipality",
    "summary": "Кратко.", "problem": "Опашки.", "actions": "Е-услуги.",
    "results": "50% по-малко опашки.", "implemented_on": "",
    "budget_currency": "BGN", "contact_name": "Мария", "contact_email": "m@example.org",
}


def test_officer_journey_create_upload_enter_submit_withdraw(
        client, officer, area, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(officer)
    assert client.get(reverse("officer_dashboard")).status_code == 200
    assert client.get(reverse("practice_create")).status_code == 200
    data = dict(PRACTICE_FORM, implemented_on=area.edition.eligibility_window[1].isoformat())
    response = client.post(reverse("practice_create"), data)
    practice = Practice.objects.get()
    assert response.url == reverse("practice_detail", args=[practice.pk])
    assert (practice.municipality, practice.created_by) == (officer.municipality, officer)

    response = client.post(reverse("practice_edit", args=[practice.pk]),
                           dict(data, title="Дигитална община 2",
                                version=practice_version(practice)))
    assert response.status_code == 302
    response = client.post(reverse("practice_photo_add", args=[practice.pk]),
                           {"image": upload("снимка.png", png_bytes()), "caption": "Зала"})
    assert response.status_code == 302
    response = client.post(reverse("practice_attachment_add", args=[practice.pk]),
                           {"file": upload("отчет.pdf", pdf_bytes()), "title": "Отчет"})
    assert response.status_code == 302

    response = client.post(reverse("entry_create", args=[practice.pk]), {"area": area.pk})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.status == EntryStatus.DRAFT

    confirm = client.get(reverse("entry_submit", args=[entry.pk]))
    assert confirm.status_code == 200
    assert b"Yes, submit" in confirm.content
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT  # asking is not submitting

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("entry_submit", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_by) == (EntryStatus.SUBMITTED, officer)

    detail = client.get(reverse("practice_detail", args=[practice.pk]))
    assert "Digital municipality" in detail.content.decode()
    assert detail.context["entries"][0].entry.status == EntryStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("entry_withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    # An English e-mail names the practice by its English title.
    assert [m.subject for m in mailoutbox] == [
        "Entry submitted: Digital municipality (area I)",
        "Entry withdrawn: Digital municipality (area I)"]


def test_practice_edit_by_colleague_of_same_municipality(client, officer, practice):
    from tests.factories import OfficerFactory

    colleague = OfficerFactory(municipality=officer.municipality)
    client.force_login(colleague)
    response = client.post(reverse("practice_edit", args=[practice.pk]),
                           dict(PRACTICE_FORM, title="От колега",
                                version=practice_version(practice)))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "От колега"


def test_practice_edit_without_a_version_never_undoes_a_saved_change(client, officer,
                                                                     practice):
    """A form without the hidden version (a page cached from before versions, a script)
    counts as opened at an unknown version: a difference from what is saved is a
    conflict, never a silent overwrite."""
    from tests.factories import OfficerFactory

    colleague = OfficerFactory(municipality=officer.municipality)
    client.force_login(colleague)
    client.post(reverse("practice_edit", args=[practice.pk]),
                dict(PRACTICE_FORM, title="От колега", version=practice_version(practice)))
    client.force_login(officer)
    response = client.post(reverse("practice_edit", args=[practice.pk]),
                           dict(PRACTICE_FORM, title="Старо заглавие"))
    assert response.status_code == 409
    practice.refresh_from_db()
    assert practice.title == "От колега"


@pytest.mark.parametrize("version", [
    "99999999999999999999", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
    "0001-01-01", "9999-12-31T23:59:59", "not a version"])
def test_practice_edit_with_a_version_out_of_the_date_range_is_a_stale_form(
        client, officer, practice, version):
    """The hidden version comes back from the browser: a value no date can hold is an
    unknown version (the form is refused as stale, nothing saved), never a server error."""
    client.force_login(officer)
    response = client.post(reverse("practice_edit", args=[practice.pk]),
                           dict(PRACTICE_FORM, title="Старо заглавие", version=version))
    assert response.status_code == 409
    assert "was changed in another tab" in response.content.decode()
    practice.refresh_from_db()
    assert practice.title != "Старо заглавие"


def test_practice_page_of_an_entry_whose_submitting_officer_was_deleted(
        client, officer, area, practice):
    """submitted_by is set to NULL when the officer's account is deleted: the page says when
    the entry was submitted, and by nobody."""
    from django.utils import timezone

    from tests.factories import OfficerFactory

    former = OfficerFactory(municipality=officer.municipality, first_name="Бивш",
                            last_name="Служител")
    EntryFactory(practice=practice, area=area, status=EntryStatus.SUBMITTED,
                 submitted_by=former,
                 submitted_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10, 30)))
    former.delete()
    client.force_login(officer)
    response = client.get(reverse("practice_detail", args=[practice.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Submitted on 2 March 2026, 10:30</div>" in page, "Бивш" in page) == (True, False)


def _as_posted(form) -> dict:
    """The fields of a practice form as the browser sends them."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = ("on" if value is True
                            else value.isoformat() if hasattr(value, "isoformat") else value)
    return data


STALE = ("This practice was changed in another tab or by someone else since you opened it, so "
         "nothing was saved. Your changes are kept in the form, together with the other "
         "changes; review them and save again.")


def test_practice_edit_in_two_tabs_the_stale_tab_is_told_and_loses_nothing(
        client, officer, practice):
    client.force_login(officer)
    url = reverse("practice_edit", args=[practice.pk])
    opened = client.get(url)
    version = opened.context["form"]["version"].value()
    assert f'name="version" value="{version}"' in opened.content.decode()
    tab_1 = dict(_as_posted(opened.context["form"]), title="Title from tab 1")
    tab_2 = dict(_as_posted(opened.context["form"]), results="Results from tab 2")
    assert client.post(url, tab_1).status_code == 302

    response = client.post(url, tab_2)
    assert response.status_code == 409
    form = response.context["form"]
    assert form.non_field_errors() == [STALE]
    assert STALE in response.content.decode()
    # Tab 2's change is kept in the form, tab 1's is taken over; nothing is saved yet.
    assert (form["title"].value(), form["results"].value()) == (
        "Title from tab 1", "Results from tab 2")
    practice.refresh_from_db()
    assert (practice.title, practice.results) == ("Title from tab 1", "Резултати и числа.")

    assert client.post(url, _as_posted(form)).status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.results) == ("Title from tab 1", "Results from tab 2")


def test_practice_edit_in_two_tabs_a_field_changed_in_both_shows_the_saved_value(
        client, officer, practice):
    client.force_login(officer)
    url = reverse("practice_edit", args=[practice.pk])
    opened = _as_posted(client.get(url).context["form"])
    assert client.post(url, dict(opened, results="Results from tab 1")).status_code == 302
    response = client.post(url, dict(opened, results="Results from tab 2"))
    assert response.status_code == 409
    form = response.context["form"]
    assert form["results"].value() == "Results from tab 2"
    assert form.errors["results"] == [
        "Changed in the meantime; saved now: “Results from tab 1”. Your version is kept here: "
        "choose one, then save again."]
    practice.refresh_from_db()
    assert practice.results == "Results from tab 1"


def test_entry_submit_view_refused_with_clear_message(client, officer, area):
    practice = CompletePracticeFactory(municipality=officer.municipality, results="")
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(officer)
    response = client.post(reverse("entry_submit", args=[entry.pk]))
    assert response.status_code == 400
    assert response.context["problems"] == ["Fill in: results and figures."]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_entry_submit_confirmation_of_a_submitted_entry_offers_no_button_and_is_not_cached(
        client, officer, area, practice):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    response = client.get(reverse("entry_submit", args=[entry.pk]))
    assert response.status_code == 200
    # never cached: the back button asks the server again
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "This entry is already submitted." in content
    assert "Yes, submit" not in content


def test_entry_withdraw_confirmation_of_a_withdrawn_entry_offers_no_button(
        client, officer, area, practice):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.WITHDRAWN)
    client.force_login(officer)
    response = client.get(reverse("entry_withdraw", args=[entry.pk]))
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "This entry is already withdrawn." in content
    assert "Yes, withdraw" not in content


def test_entry_submitted_twice_is_submitted_once_with_a_clear_message(
        client, officer, area, practice, mailoutbox, django_capture_on_commit_callbacks):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(officer)
    url = reverse("entry_submit", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first, second = client.post(url), client.post(url)
    assert (first.status_code, second.status_code) == (302, 400)
    assert second.context["problems"] == ["This entry is already submitted."]
    assert "Yes, submit" not in second.content.decode()
    assert entry.history.filter(status=EntryStatus.SUBMITTED).count() == 1
    assert len(mailoutbox) == 1


def test_entry_create_view_over_the_limit_refused(client, officer, area, practice):
    EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality),
                 area=area, status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("entry_create", args=[practice.pk]), {"area": area.pk})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Your municipality already has 1 entry in area I; the limit is 1. "
        "Withdraw it first."]
    assert Entry.objects.filter(practice=practice).count() == 0


def test_views_after_deadline_change_nothing(client, officer, practice):
    closed_area = ThematicAreaFactory(edition__phase=Phase.REVIEW, code="I")
    entry = EntryFactory(practice=practice, area=closed_area, status=EntryStatus.SUBMITTED)
    photo = PhotoFactory(practice=practice)
    client.force_login(officer)
    before = practice.title
    requests = [
        (reverse("practice_edit", args=[practice.pk]), dict(PRACTICE_FORM, title="Late")),
        (reverse("entry_withdraw", args=[entry.pk]), {}),
        (reverse("practice_photo_add", args=[practice.pk]),
         {"image": upload("late.png", png_bytes())}),
        (reverse("practice_photo_delete", args=[practice.pk, photo.pk]), {}),
    ]
    for url, data in requests:
        client.post(url, data)
    practice.refresh_from_db()
    entry.refresh_from_db()
    assert (practice.title, entry.status) == (before, EntryStatus.SUBMITTED)
    assert list(Photo.objects.values_list("pk", flat=True)) == [photo.pk]


def test_upload_view_refuses_mismatch_with_message(client, officer, practice, settings):
    client.force_login(officer)
    response = client.post(reverse("practice_attachment_add", args=[practice.pk]),
                           {"file": upload("report.pdf", b"MZ\x90\x00not a pdf")})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The file's content does not match its name “.pdf”: upload a real PDF, office "
        "document or image."]
    assert Attachment.objects.count() == 0


# --- permissions: every officer URL, every denied role ----------------------------------
def _officer_urls(practice, entry, photo, attachment):
    return [
        ("get", reverse("practice_detail", args=[practice.pk])),
        ("get", reverse("practice_edit", args=[practice.pk])),
        ("post", reverse("practice_edit", args=[practice.pk])),
        ("get", reverse("practice_photo_add", args=[practice.pk])),
        ("post", reverse("practice_photo_add", args=[practice.pk])),
        ("post", reverse("practice_photo_delete", args=[practice.pk, photo.pk])),
        ("get", reverse("practice_attachment_add", args=[practice.pk])),
        ("post", reverse("practice_attachment_add", args=[practice.pk])),
        ("post", reverse("practice_attachment_delete", args=[practice.pk, attachment.pk])),
        ("get", reverse("entry_create", args=[practice.pk])),
        ("post", reverse("entry_create", args=[practice.pk])),
        ("get", reverse("entry_submit", args=[entry.pk])),
        ("post", reverse("entry_submit", args=[entry.pk])),
        ("get", reverse("entry_withdraw", args=[entry.pk])),
        ("post", reverse("entry_withdraw", args=[entry.pk])),
    ]


@pytest.fixture
def officer_data(practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.SUBMITTED)
    return practice, entry, PhotoFactory(practice=practice), AttachmentFactory(practice=practice)


@pytest.fixture
def pending_officer(officer):
    """Asked to act for the same municipality, not approved yet."""
    from tests.factories import OfficerFactory

    return OfficerFactory(municipality=officer.municipality, officer_status="pending")


@pytest.mark.parametrize("role", ["anonymous", "other_officer", "juror", "pending_officer"])
def test_officer_urls_denied_to_other_roles(client, request, role, officer_data):
    practice, entry, photo, attachment = officer_data
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for method, url in _officer_urls(*officer_data):
        response = getattr(client, method)(url, {"title": "Hijack", "area": entry.area_id})
        # a visitor may be sent to sign in (the practice's own pages); never let through
        refused = (403, 404, 302) if role == "anonymous" else (403, 404)
        assert (method, url, response.status_code in refused) == (method, url, True), \
            response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    title = practice.title
    practice.refresh_from_db()
    entry.refresh_from_db()
    assert (practice.title, entry.status) == (title, EntryStatus.SUBMITTED)
    assert Entry.objects.count() == 1
    assert (Photo.objects.count(), Attachment.objects.count()) == (1, 1)


@pytest.mark.parametrize("role", ["anonymous", "juror"])
def test_practice_create_denied(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("practice_create")).status_code == 403
    assert client.post(reverse("practice_create"), PRACTICE_FORM).status_code == 403
    assert Practice.objects.count() == 0


def test_officer_dashboard_anonymous_sent_to_sign_in(client):
    assert client.get(reverse("officer_dashboard")).url == "/accounts/login/?next=/officer/"


def test_officer_dashboard_juror_denied(client, juror):
    client.force_login(juror)
    assert client.get(reverse("officer_dashboard")).status_code == 403


def test_officer_dashboard_shows_only_own_municipality(client, officer, practice):
    other = CompletePracticeFactory(title="Чужда практика")
    client.force_login(officer)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert (practice.title_en in content, other.title_en in content) == (True, False)


# --- files --------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", 404), ("other_officer", 404), ("juror", 404), ("pending_officer", 404),
    ("officer", 200), ("organiser", 200), ("assigned_juror", 200),
])
def test_practice_files_by_role(client, request, role, expected, officer_data):
    practice, entry, photo, attachment = officer_data
    if role == "assigned_juror":
        juror = JuryMemberFactory(edition=entry.edition).user
        client.force_login(AssignmentFactory(entry=entry, juror=juror).juror)
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    photo_response = client.get(reverse("practice_photo_file", args=[photo.pk]))
    attachment_response = client.get(reverse("practice_attachment_file", args=[attachment.pk]))
    assert (photo_response.status_code, attachment_response.status_code) == (expected, expected)
    if expected == 200:
        assert attachment_response["Content-Type"] == "application/pdf"
        assert attachment_response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert b"".join(attachment_response.streaming_content) == pdf_bytes()


def test_practice_photos_public_once_the_practice_has_a_public_result_attachments_not(
        client, practice):
    result = RankingResultFactory(entry__practice=practice)
    photo = PhotoFactory(practice=practice)
    attachment = AttachmentFactory(practice=practice)
    assert client.get(reverse("practice_photo_file", args=[photo.pk])).status_code == 200
    assert client.get(reverse("practice_attachment_file",
                              args=[attachment.pk])).status_code == 404
    result.run.is_published = False
    result.run.save()
    assert client.get(reverse("practice_photo_file", args=[photo.pk])).status_code == 404


def test_practice_photos_private_in_a_published_edition_without_a_published_run(
        client, practice):
    """The phase alone publishes nothing (the rule these photos once leaked through)."""
    area = ThematicAreaFactory(edition__phase=Phase.PUBLISHED)
    EntryFactory(practice=practice, area=area, status=EntryStatus.ELIGIBLE)
    photo = PhotoFactory(practice=practice)
    assert client.get(reverse("practice_photo_file", args=[photo.pk])).status_code == 404


# --- fixed query counts ---------------------------------------------------------------------
def _fill(municipality, area, count):
    for _n in range(count):
        practice = CompletePracticeFactory(municipality=municipality)
        EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
        PhotoFactory(practice=practice)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_officer_dashboard_fixed_queries(client, officer, area, area2,
                                        django_assert_num_queries):
    client.force_login(officer)
    _fill(officer.municipality, area, 1)
    url = reverse("officer_dashboard")
    one = _count(client, url)
    _fill(officer.municipality, area2, 6)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["practice_rows"]) == 7


def test_practice_detail_fixed_queries(client, officer, practice, area, area2,
                                       django_assert_num_queries):
    client.force_login(officer)
    EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    PhotoFactory(practice=practice)
    AttachmentFactory(practice=practice)
    url = reverse("practice_detail", args=[practice.pk])
    one = _count(client, url)
    EntryFactory(practice=practice, area=area2, status=EntryStatus.SUBMITTED)
    PhotoFactory.create_batch(4, practice=practice)
    AttachmentFactory.create_batch(4, practice=practice)
    with django_assert_num_queries(one):
        client.get(url)


def test_practice_edit_fixed_queries(client, officer, practice, area, area2):
    client.force_login(officer)
    EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    url = reverse("practice_edit", args=[practice.pk])
    one = _count(client, url)
    EntryFactory(practice=practice, area=area2, status=EntryStatus.DRAFT)
    PhotoFactory.create_batch(3, practice=practice)
    assert _count(client, url) == one


@pytest.mark.parametrize(("name", "content", "field", "message"), [
    ("bomb.png", png_bytes(10_000, 10_000, mode="1"), "image",
     "The image is too large in pixels (at most 24 million allowed)."),
    (".htaccess.png", png_bytes(), "image",
     "The file name is not acceptable. Rename the file to a plain name such as "
     "“report.pdf” and upload it again."),
    ("a" * 200 + ".png", png_bytes(), "image",
     "The file name is not acceptable. Rename the file to a plain name such as "
     "“report.pdf” and upload it again."),
    ("photo.png", pdf_bytes(), "image", "The file is not a valid image (JPEG, PNG or WebP)."),
], ids=["image-bomb", "dot-file", "long-name", "pdf-as-png"])
def test_photo_add_view_refuses_with_message(client, officer, practice, settings, name,
                                             content, field, message):
    client.force_login(officer)
    response = client.post(reverse("practice_photo_add", args=[practice.pk]),
                           {field: upload(name, content)})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert Photo.objects.count() == 0
    assert not (settings.MEDIA_ROOT.exists() and any(settings.MEDIA_ROOT.rglob("*.*")))


def test_attachment_add_view_oversized_refused(client, officer, practice, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 50
    client.force_login(officer)
    response = client.post(reverse("practice_attachment_add", args=[practice.pk]),
                           {"file": upload("report.pdf", pdf_bytes())})
    assert response.status_code == 400
    assert response.context["form"].errors["file"][0].startswith("The file is too large")
    assert Attachment.objects.count() == 0
