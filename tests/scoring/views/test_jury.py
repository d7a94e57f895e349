import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scoring.enums import SheetStatus
from scoring.models import JurySheet, RankingResult, RankingRun, SheetScore
from scoring.services.sheets import sheet_get_or_create, sheet_recuse, sheet_save, sheet_submit
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    OfficerFactory,
    OrganiserFactory,
    UserFactory,
)
from tests.practices.factories_practices import AttachmentFactory, PhotoFactory

SECRETS = ("SECRET-OTHER-COMMENT", "SECRET-OTHER-OVERALL", "SECRET-OTHER-REASON", "9.87654")


@pytest.fixture
def leaky(jury):
    """Another juror's sheet on the same entry, with their conflict on a second entry, and a
    ranking run: nothing of it may reach the juror."""
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.other_juror)
    sheet_submit(sheet=sheet, by=jury.other_juror, scores={first.pk: 3, second.pk: 4},
                 comments={first.pk: "SECRET-OTHER-COMMENT"},
                 overall_comment="SECRET-OTHER-OVERALL")
    second_entry = EntryFactory(area=jury.area)
    AssignmentFactory(entry=second_entry, juror=jury.other_juror)
    AssignmentFactory(entry=second_entry, juror=jury.juror)
    sheet_recuse(sheet=sheet_get_or_create(entry=second_entry, juror=jury.other_juror),
                 by=jury.other_juror, reason="SECRET-OTHER-REASON")
    run = RankingRun.objects.create(edition=jury.edition, status="succeeded")
    RankingResult.objects.create(run=run, entry=jury.entry, area=jury.area, total=9.87654,
                                 rank=1, place=1, sheet_count=1)
    return second_entry


def _routes(entry):
    return {
        "dashboard": reverse("juror_dashboard"),
        "entry": reverse("juror_entry", args=[entry.pk]),
        "sheet": reverse("jury_sheet", args=[entry.pk]),
        "recuse": reverse("jury_sheet_recuse", args=[entry.pk]),
    }


def _assert_no_secrets(response):
    content = response.content.decode()
    for secret in SECRETS:
        assert secret not in content


@pytest.mark.django_db
def test_juror_pages_never_show_other_jurors_data(client, jury, leaky):
    client.force_login(jury.juror)
    first = jury.criteria[0]
    for entry in (jury.entry, leaky):
        for name, url in _routes(entry).items():
            response = client.get(url)
            assert (name, response.status_code) == (name, 200)
            _assert_no_secrets(response)
    post_routes = [
        (reverse("jury_sheet_autosave", args=[jury.entry.pk]), {f"score-{first.pk}": "6"}),
        (reverse("jury_sheet_autosave", args=[jury.entry.pk]), {f"score-{first.pk}": "60"}),
        (reverse("jury_sheet", args=[jury.entry.pk]), {f"score-{first.pk}": "6",
                                                       "action": "submit"}),
        (reverse("jury_sheet_recuse", args=[jury.entry.pk]), {"reason": ""}),
    ]
    for url, data in post_routes:
        _assert_no_secrets(client.post(url, data))
    _assert_no_secrets(client.get(reverse("jury_sheet", args=[jury.entry.pk])))
    for url in (reverse("jury_sheet_reopen", args=[jury.entry.pk]),
                reverse("jury_sheet_recusal_withdraw", args=[jury.entry.pk])):
        _assert_no_secrets(client.post(url, follow=True))


@pytest.mark.django_db
def test_juror_pages_refuse_anonymous_visitors(client, jury):
    for url in _routes(jury.entry).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["unassigned_juror", "officer", "organiser"])
def test_juror_entry_pages_are_404_for_anyone_not_assigned(client, jury, leaky, role):
    if role == "unassigned_juror":
        user = UserFactory()
        JuryMemberFactory(edition=jury.edition, user=user)
    elif role == "officer":
        user = OfficerFactory()
    else:
        user = OrganiserFactory()
    client.force_login(user)
    for name, url in _routes(jury.entry).items():
        if name == "dashboard":
            continue
        assert (name, client.get(url).status_code) == (name, 404)
    first = jury.criteria[0]
    for name in ("jury_sheet", "jury_sheet_autosave", "jury_sheet_reopen", "jury_sheet_recuse",
                 "jury_sheet_recusal_withdraw"):
        response = client.post(reverse(name, args=[jury.entry.pk]),
                               {f"score-{first.pk}": "1", "reason": "x"})
        assert (name, response.status_code) == (name, 404)
    assert not JurySheet.objects.filter(juror=user).exists()


@pytest.mark.django_db
def test_juror_dashboard_refuses_an_officer(client, jury):
    client.force_login(OfficerFactory())
    assert client.get(reverse("juror_dashboard")).status_code == 403


@pytest.mark.django_db
def test_juror_dashboard_lists_assigned_entries_with_progress(client, jury, leaky):
    sheet_recuse(sheet=sheet_get_or_create(entry=leaky, juror=jury.juror), by=jury.juror,
                 reason="Own project")
    client.force_login(jury.juror)
    response = client.get(reverse("juror_dashboard"))
    content = response.content.decode()
    assert 'data-dashboard="juror"' in content
    assert f'data-entry="{jury.entry.pk}" data-progress="assigned"' in content
    assert f'data-entry="{leaky.pk}" data-progress="recused"' in content
    assert "1 of 2 assigned entries done" in content


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_juror_pages_run_the_same_queries_for_one_entry_or_many(client, jury):
    client.force_login(jury.juror)
    sheet_save(sheet=sheet_get_or_create(entry=jury.entry, juror=jury.juror), by=jury.juror,
               scores={jury.criteria[0].pk: 5})
    PhotoFactory(practice=jury.entry.practice)
    urls = list(_routes(jury.entry).values())
    few = [_count_queries(client, url) for url in urls]
    for _ in range(6):
        entry = EntryFactory(area=jury.area)
        AssignmentFactory(entry=entry, juror=jury.juror)
        sheet_save(sheet=sheet_get_or_create(entry=entry, juror=jury.juror), by=jury.juror,
                   scores={jury.criteria[1].pk: 2})
        PhotoFactory(practice=jury.entry.practice)
    many = [_count_queries(client, url) for url in urls]
    assert few == many


@pytest.mark.django_db
def test_jury_sheet_shows_every_criterion_with_guidance_rubric_and_scale(client, jury):
    client.force_login(jury.juror)
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk])).content.decode()
    assert "Relevance and impact" in content
    assert "Innovativeness" in content
    assert "How much it changed for the citizens." in content
    assert "2: Hardly any effect" in content
    assert '<option value="8">8 – A lasting change</option>' in content
    assert '<option value="10">10</option>' in content
    assert '<option value="11">' not in content
    assert 'name="overall_comment"' in content
    assert "hx-post" in content


@pytest.mark.django_db
def test_jury_sheet_get_does_not_create_a_sheet(client, jury):
    client.force_login(jury.juror)
    client.get(reverse("jury_sheet", args=[jury.entry.pk]))
    assert not JurySheet.objects.filter(juror=jury.juror).exists()


@pytest.mark.django_db
def test_jury_sheet_autosave_saves_one_field(client, jury):
    first, second = jury.criteria
    client.force_login(jury.juror)
    url = reverse("jury_sheet_autosave", args=[jury.entry.pk])
    response = client.post(url, {f"score-{first.pk}": "7"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-autosave="saved"' in response.content.decode()
    client.post(url, {f"comment-{second.pk}": "Partly new"}, HTTP_HX_REQUEST="true")
    client.post(url, {"overall_comment": "Worth it"}, HTTP_HX_REQUEST="true")
    sheet = JurySheet.objects.get(juror=jury.juror, entry=jury.entry)
    assert {s.criterion_id: (s.value, s.comment) for s in sheet.scores.all()} == {
        first.pk: (7, ""), second.pk: (None, "Partly new")}
    assert sheet.overall_comment == "Worth it"


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "message"), [
    ("11", "“Relevance and impact”: the score must be between 0 and 10."),
    ("-1", "“Relevance and impact”: the score must be between 0 and 10."),
    ("seven", "“Relevance and impact”: the score must be a whole number."),
])
def test_jury_sheet_autosave_refuses_a_bad_score_with_a_message(client, jury, raw, message):
    client.force_login(jury.juror)
    response = client.post(reverse("jury_sheet_autosave", args=[jury.entry.pk]),
                           {f"score-{jury.criteria[0].pk}": raw})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SheetScore.objects.exists()


@pytest.mark.django_db
def test_jury_sheet_post_out_of_scale_is_refused_and_shows_what_was_typed(client, jury):
    first, second = jury.criteria
    client.force_login(jury.juror)
    response = client.post(reverse("jury_sheet", args=[jury.entry.pk]),
                           {f"score-{first.pk}": "12", f"score-{second.pk}": "4",
                            f"comment-{second.pk}": "typed", "action": "save"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "“Relevance and impact”: the score must be between 0 and 10." in content
    assert ">typed</textarea>" in content
    assert not SheetScore.objects.exists()


@pytest.mark.django_db
def test_jury_sheet_submit_with_a_missing_criterion_is_refused(client, jury):
    first, second = jury.criteria
    client.force_login(jury.juror)
    response = client.post(reverse("jury_sheet", args=[jury.entry.pk]),
                           {f"score-{first.pk}": "6", f"score-{second.pk}": "",
                            "overall_comment": "", "action": "submit"})
    assert response.status_code == 400
    assert "“Innovativeness” has no score yet." in response.content.decode()
    sheet = JurySheet.objects.get(juror=jury.juror)
    assert sheet.status == SheetStatus.DRAFT
    assert [s.value for s in sheet.scores.all()] == [6]


@pytest.mark.django_db
def test_jury_sheet_submit_then_reopen(client, jury):
    first, second = jury.criteria
    client.force_login(jury.juror)
    url = reverse("jury_sheet", args=[jury.entry.pk])
    response = client.post(url, {f"score-{first.pk}": "6", f"score-{second.pk}": "8",
                                 "overall_comment": "Good", "action": "submit"})
    assert response.status_code == 302
    assert response.url == reverse("juror_dashboard")
    sheet = JurySheet.objects.get(juror=jury.juror)
    assert sheet.status == SheetStatus.SUBMITTED
    content = client.get(url).content.decode()
    assert 'data-sheet-status="submitted"' in content
    assert "Reopen to change it" in content
    assert "hx-post" not in content
    # A locked sheet refuses a direct post too.
    response = client.post(url, {f"score-{first.pk}": "1", "action": "save"})
    assert response.status_code == 400
    locked = "This sheet is submitted and locked: reopen it to change it."
    assert locked in response.content.decode()
    client.post(reverse("jury_sheet_reopen", args=[jury.entry.pk]))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


@pytest.mark.django_db
def test_jury_sheet_submitted_twice_is_submitted_once_without_an_error(client, jury):
    first, second = jury.criteria
    client.force_login(jury.juror)
    url = reverse("jury_sheet", args=[jury.entry.pk])
    form = {f"score-{first.pk}": "6", f"score-{second.pk}": "8", "overall_comment": "Good",
            "action": "submit"}
    answers = [client.post(url, form), client.post(url, form)]
    assert [(answer.status_code, answer.url) for answer in answers] == [
        (302, reverse("juror_dashboard"))] * 2
    sheet = JurySheet.objects.get(juror=jury.juror)
    assert JurySheet.history.filter(id=sheet.pk, status=SheetStatus.SUBMITTED).count() == 1


@pytest.mark.django_db
def test_jury_sheet_is_never_cached_so_the_back_button_shows_it_as_it_is(client, jury):
    client.force_login(jury.juror)
    response = client.get(reverse("jury_sheet", args=[jury.entry.pk]))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_jury_sheet_submit_after_the_review_closed_is_refused(client, jury):
    first, second = jury.criteria
    jury.edition.review_close_at = timezone.now() - dt.timedelta(minutes=1)
    jury.edition.save()
    client.force_login(jury.juror)
    url = reverse("jury_sheet", args=[jury.entry.pk])
    assert 'data-out-of-review' in client.get(url).content.decode()
    response = client.post(url, {f"score-{first.pk}": "6", f"score-{second.pk}": "8",
                                 "action": "submit"})
    assert response.status_code == 400
    assert "The jury review closed on" in response.content.decode()
    assert not SheetScore.objects.exists()


@pytest.mark.django_db
def test_jury_sheet_recuse_with_a_reason(client, jury):
    client.force_login(jury.juror)
    url = reverse("jury_sheet_recuse", args=[jury.entry.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"reason": "I advised this municipality on the project."})
    assert response.status_code == 302
    sheet = JurySheet.objects.get(juror=jury.juror)
    assert (sheet.recused, sheet.recusal_reason) == (
        True, "I advised this municipality on the project.")
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk])).content.decode()
    assert "data-recused" in content
    client.post(reverse("jury_sheet_recusal_withdraw", args=[jury.entry.pk]))
    sheet.refresh_from_db()
    assert sheet.recused is False


@pytest.mark.django_db
def test_juror_entry_shows_the_practice_read_only(client, jury):
    practice = jury.entry.practice
    practice.problem = "Dark streets in the villages."
    practice.save()
    PhotoFactory(practice=practice, caption="New street lights")
    AttachmentFactory(practice=practice, title="Budget report")
    client.force_login(jury.juror)
    content = client.get(reverse("juror_entry", args=[jury.entry.pk])).content.decode()
    assert practice.title_en in content
    assert "Dark streets in the villages." in content
    assert "New street lights" in content
    assert "Budget report" in content
    assert "<textarea" not in content


@pytest.mark.django_db
def test_jury_sheet_pages_speak_bulgarian(client, jury):
    client.force_login(jury.juror)
    client.cookies["django_language"] = "bg"
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk]),
                         HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Общ коментар" in content
    assert "Значимост" in content


def _submitted_sheet_page(client, jury) -> str:
    """The juror signed in, their sheet submitted with 6 and 8: the sheet page's address."""
    first, second = jury.criteria
    client.force_login(jury.juror)
    url = reverse("jury_sheet", args=[jury.entry.pk])
    client.post(url, {f"score-{first.pk}": "6", f"score-{second.pk}": "8",
                      "action": "submit"})
    return url


@pytest.mark.django_db
def test_jury_sheet_autosave_on_a_locked_sheet_reloads_the_page_saying_why(client, jury):
    """A stale tab (the sheet was submitted in another): htmx is told to reload the page,
    which then shows the sheet as it is, locked, with the reason; nothing changes."""
    url = _submitted_sheet_page(client, jury)
    response = client.post(reverse("jury_sheet_autosave", args=[jury.entry.pk]),
                           {f"score-{jury.criteria[0].pk}": "2"}, HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Refresh"]) == (200, "true")
    page = client.get(url).content.decode()
    assert ("Not saved: This sheet is submitted and locked: reopen it to change it. The "
            "sheet is shown as it is now.") in page
    assert 'data-sheet-status="submitted"' in page
    assert [s.value for s in JurySheet.objects.get(juror=jury.juror).scores.all()] == [6, 8]


@pytest.mark.django_db
def test_jury_sheet_beacon_on_a_locked_sheet_is_refused_and_leaves_no_message(client, jury):
    """A beacon sent as a stale tab closes (no htmx header): refused, and no message waits
    for the juror's next page."""
    url = _submitted_sheet_page(client, jury)
    response = client.post(reverse("jury_sheet_autosave", args=[jury.entry.pk]),
                           {f"score-{jury.criteria[0].pk}": "2"})
    assert response.status_code == 422
    assert "HX-Refresh" not in response
    assert "Not saved" not in client.get(url).content.decode()
    assert [s.value for s in JurySheet.objects.get(juror=jury.juror).scores.all()] == [6, 8]
