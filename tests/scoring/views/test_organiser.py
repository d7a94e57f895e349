import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Assignment, JuryMember
from scoring.services.sheets import sheet_get_or_create, sheet_recuse, sheet_reopen, sheet_submit
from tests.factories import (
    EntryFactory,
    JuryMemberFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    PracticeFactory,
    ThematicAreaFactory,
    UserFactory,
)


def _pages(jury, sheet_id):
    slug = jury.edition.slug
    return [
        reverse("organiser_jury_editions"),
        reverse("organiser_jury", args=[slug]),
        reverse("organiser_jury_assignments", args=[slug]),
        reverse("organiser_jury_progress", args=[slug]),
        reverse("organiser_sheet_audit", args=[sheet_id]),
    ]


def _posts(jury):
    slug = jury.edition.slug
    return [
        (reverse("organiser_jury", args=[slug]), {"email": "new@example.org"}),
        (reverse("organiser_jury_assignments_auto", args=[slug]), {"per_entry": "2"}),
        (reverse("organiser_jury_assignments_everyone", args=[slug]), {"area": jury.area.pk}),
        (reverse("organiser_jury_assignment_add", args=[slug]),
         {"entry": jury.entry.pk, "juror": jury.juror.pk}),
        (reverse("organiser_jury_assignment_remove",
                 args=[slug, Assignment.objects.filter(entry=jury.entry).first().pk]), {}),
        (reverse("organiser_jury_reminders", args=[slug]), {}),
    ]


@pytest.fixture
def submitted(jury):
    first, second = jury.criteria
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    sheet_submit(sheet=sheet, by=jury.juror, scores={first.pk: 6, second.pk: 7},
                 comments={first.pk: "Visible to organisers"})
    return sheet


@pytest.mark.django_db
def test_organiser_jury_pages_open_for_organisers(client, jury, submitted):
    client.force_login(OrganiserFactory())
    for url in _pages(jury, submitted.pk):
        assert (url, client.get(url).status_code) == (url, 200)
    content = client.get(reverse("organiser_sheet_audit", args=[submitted.pk])).content.decode()
    assert "Visible to organisers" in content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["juror", "officer"])
def test_organiser_jury_pages_refuse_jurors_and_officers(client, jury, submitted, role,
                                                         django_capture_on_commit_callbacks):
    client.force_login(jury.juror if role == "juror" else OfficerFactory())
    for url in _pages(jury, submitted.pk):
        response = client.get(url)
        assert (url, response.status_code) == (url, 403)
        assert "Visible to organisers" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for url, data in _posts(jury):
            assert (url, client.post(url, data).status_code) == (url, 403)
    assert Assignment.objects.count() == 2
    assert mail.outbox == []


@pytest.mark.django_db
def test_organiser_jury_pages_send_anonymous_visitors_to_sign_in(client, jury, submitted):
    for url in _pages(jury, submitted.pk):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_organiser_invites_a_juror_for_some_areas(client, jury,
                                                  django_capture_on_commit_callbacks):
    client.force_login(OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organiser_jury", args=[jury.edition.slug]),
                               {"email": "expert@example.org", "first_name": "Maria",
                                "areas": [jury.area.pk]})
    assert response.status_code == 302
    member = JuryMember.objects.get(user__email="expert@example.org")
    assert list(member.areas.all()) == [jury.area]
    assert [m.to for m in mail.outbox] == [["expert@example.org"]]


@pytest.mark.django_db
def test_organiser_auto_assigns_from_the_page(client, jury):
    Assignment.objects.all().delete()
    for _ in range(3):
        EntryFactory(area=jury.area)
    client.force_login(OrganiserFactory())
    response = client.post(reverse("organiser_jury_assignments_auto", args=[jury.edition.slug]),
                           {"per_entry": "1"})
    assert response.status_code == 302
    assert sorted(Assignment.objects.values_list("juror_id", flat=True)) == sorted(
        [jury.juror.pk, jury.juror.pk, jury.other_juror.pk, jury.other_juror.pk])


@pytest.mark.django_db
def test_organiser_manual_assignment_of_a_conflict_shows_the_reason(client, jury):
    home = MunicipalityFactory()
    local = UserFactory(municipality=home)
    JuryMemberFactory(edition=jury.edition, user=local)
    entry = EntryFactory(area=jury.area, practice=PracticeFactory(municipality=home))
    client.force_login(OrganiserFactory())
    response = client.post(reverse("organiser_jury_assignment_add", args=[jury.edition.slug]),
                           {"entry": entry.pk, "juror": local.pk})
    assert response.status_code == 400
    assert "The entry comes from the juror&#x27;s own municipality." in response.content.decode()
    assert not Assignment.objects.filter(juror=local).exists()


@pytest.mark.django_db
def test_organiser_removes_an_assignment(client, jury):
    assignment = Assignment.objects.get(entry=jury.entry, juror=jury.juror)
    client.force_login(OrganiserFactory())
    client.post(reverse("organiser_jury_assignment_remove",
                        args=[jury.edition.slug, assignment.pk]))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.django_db
def test_organiser_progress_counts_per_juror_and_entry(client, jury, submitted):
    sheet_recuse(sheet=sheet_get_or_create(entry=jury.entry, juror=jury.other_juror),
                 by=jury.other_juror, reason="Neighbour")
    client.force_login(OrganiserFactory())
    response = client.get(reverse("organiser_jury_progress", args=[jury.edition.slug]))
    progress = response.context["progress"]
    counts = {row.member.user_id: (row.counts.assigned, row.counts.drafted,
                                   row.counts.submitted, row.counts.recused)
              for row in progress.jurors}
    assert counts == {jury.juror.pk: (1, 0, 1, 0), jury.other_juror.pk: (1, 0, 0, 1)}
    entry_row = progress.entries[0]
    assert (entry_row.counts.assigned, entry_row.counts.submitted, entry_row.counts.recused) == (
        2, 1, 1)


@pytest.mark.django_db
def test_organiser_progress_runs_the_same_queries_for_one_entry_or_many(client, jury, submitted):
    client.force_login(OrganiserFactory())
    url = reverse("organiser_jury_progress", args=[jury.edition.slug])
    assignments_url = reverse("organiser_jury_assignments", args=[jury.edition.slug])

    def count(target):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    few = (count(url), count(assignments_url))
    for _ in range(5):
        entry = EntryFactory(area=jury.area)
        for juror in (jury.juror, jury.other_juror):
            Assignment.objects.create(entry=entry, juror=juror)
        sheet_get_or_create(entry=entry, juror=jury.juror)
    assert (count(url), count(assignments_url)) == few


@pytest.mark.django_db
def test_organiser_reminds_only_jurors_with_entries_left(client, jury, submitted,
                                                         django_capture_on_commit_callbacks):
    client.force_login(OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organiser_jury_reminders", args=[jury.edition.slug]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[jury.other_juror.email]]
    assert "1 of 1 assigned entries" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organiser_jury_reminders", args=[jury.edition.slug]),
                    {"juror": jury.juror.pk})
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("juror", ["not-a-number", "0"])
def test_organiser_reminder_to_a_bad_juror_never_reaches_every_juror(
        client, jury, submitted, django_capture_on_commit_callbacks, juror):
    client.force_login(OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organiser_jury_reminders", args=[jury.edition.slug]),
                               {"juror": juror}, follow=True)
    assert mail.outbox == []
    if juror == "not-a-number":
        assert "No reminder sent: the juror is not valid." in response.content.decode()


@pytest.mark.django_db
def test_organiser_audit_shows_changes_after_submission(client, jury, submitted):
    first = jury.criteria[0]
    sheet_reopen(sheet=submitted, by=jury.juror)
    sheet_submit(sheet=submitted, by=jury.juror, scores={first.pk: 9})
    client.force_login(OrganiserFactory())
    response = client.get(reverse("organiser_sheet_audit", args=[submitted.pk]))
    events = response.context["events"]
    after = [(e.who, e.subject, c.what, c.old, c.new) for e in events if e.after_submission
             for c in e.changes]
    assert after == [
        (jury.juror, "jury sheet", "status", "Submitted", "Draft"),
        (jury.juror, "Relevance and impact", "score", 6, 9),
        (jury.juror, "jury sheet", "status", "Draft", "Submitted"),
    ]
    assert response.content.decode().count("data-after-submission") == 3


@pytest.mark.django_db
def test_organiser_jury_members_page_runs_the_same_queries_for_one_member_or_many(client, jury):
    client.force_login(OrganiserFactory())
    url = reverse("organiser_jury", args=[jury.edition.slug])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        member = JuryMemberFactory(edition=jury.edition,
                                   user=UserFactory(municipality=MunicipalityFactory()))
        member.areas.set([jury.area])
    assert count() == few


@pytest.mark.django_db
def test_organiser_sheet_audit_runs_the_same_queries_for_few_or_many_changes(client, jury,
                                                                           submitted):
    client.force_login(OrganiserFactory())
    url = reverse("organiser_sheet_audit", args=[submitted.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for value in (1, 2, 3):
        sheet_reopen(sheet=submitted, by=jury.juror)
        sheet_submit(sheet=submitted, by=jury.juror, scores={jury.criteria[0].pk: value})
    assert count() == few


@pytest.mark.django_db
def test_organiser_auto_assign_below_the_minimum_is_refused_naming_it(client, jury):
    jury.edition.min_sheets_per_entry = 2
    jury.edition.save()
    Assignment.objects.all().delete()
    client.force_login(OrganiserFactory())
    response = client.post(reverse("organiser_jury_assignments_auto", args=[jury.edition.slug]),
                           {"per_entry": "1"})
    assert response.status_code == 400
    assert response.context["auto_form"].errors["per_entry"] == [
        "Each entry needs at least 2 sheets to be ranked; with 1 jurors per entry none will "
        "be ranked. Choose at least 2."]
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_organiser_assign_by_hand_offers_only_assignable_entries(client, jury):
    from practices.enums import EntryStatus

    offered = {status: EntryFactory(area=jury.area, status=status) for status in EntryStatus}
    client.force_login(OrganiserFactory())
    response = client.get(reverse("organiser_jury_assignments", args=[jury.edition.slug]))
    choices = {entry.pk for entry in response.context["manual_form"].fields["entry"].queryset}
    assert choices == {jury.entry.pk, offered[EntryStatus.SUBMITTED].pk,
                       offered[EntryStatus.ELIGIBLE].pk}
    response = client.post(reverse("organiser_jury_assignment_add", args=[jury.edition.slug]),
                           {"entry": offered[EntryStatus.DRAFT].pk, "juror": jury.juror.pk})
    assert response.status_code == 400
    assert not Assignment.objects.filter(entry=offered[EntryStatus.DRAFT]).exists()


# --- boards paginated, searched, filtered (scale, issue 18) ------------------------------
def _many_entries(jury, count: int, **practice):
    for _ in range(count):
        entry = EntryFactory(area=jury.area, practice=PracticeFactory(**practice))
        Assignment.objects.create(entry=entry, juror=jury.juror)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["organiser_jury_progress", "organiser_jury_assignments"])
def test_organiser_board_shows_a_page_of_entries_with_the_same_queries_on_any_page(
        client, jury, submitted, name, settings):
    from scoring.selectors import jury as jury_selectors

    settings.LANGUAGE_CODE = "en"
    jury_selectors.BOARD_PAGE_SIZE, size = 3, jury_selectors.BOARD_PAGE_SIZE
    try:
        client.force_login(OrganiserFactory())
        url = reverse(name, args=[jury.edition.slug])

        def count(target):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(target)
                assert response.status_code == 200
            return len(queries), response

        few, _response = count(url)
        _many_entries(jury, 7)
        many, first = count(url)
        assert many == few
        assert len(first.context["entries"] if "entries" in first.context
                   else first.context["progress"].entries) == 3
        body = first.content.decode()
        assert '<nav aria-label="Pages"' in body and 'aria-current="page"' in body
        assert "Page 1 of 3" in body
        third_count, third = count(url + "?page=3")
        assert third_count == many
        rows = (third.context["entries"] if "entries" in third.context
                else third.context["progress"].entries)
        assert len(rows) == 2  # 8 entries: 3 + 3 + 2
        assert count(url + "?page=99")[1].context["page"].number == 3
    finally:
        jury_selectors.BOARD_PAGE_SIZE = size


@pytest.mark.django_db
def test_organiser_board_searches_and_filters_entries(client, jury, submitted):
    _many_entries(jury, 2, title="Дигитална община", title_en="Digital town hall")
    _many_entries(jury, 1, title="Паркове")
    nobody = EntryFactory(area=jury.area, practice=PracticeFactory(title="Без жури"))
    client.force_login(OrganiserFactory())
    url = reverse("organiser_jury_assignments", args=[jury.edition.slug])

    def shown(query):
        return {row.entry.pk for row in client.get(url, query).context["entries"]}

    assert len(shown({"q": "digital"})) == 2
    assert len(shown({"q": "Дигитална"})) == 2
    assert shown({"state": "unassigned"}) == {nobody.pk}
    # one submitted sheet on jury.entry against the minimum: everyone else is short too
    short = shown({"state": "short"})
    assert nobody.pk in short
    other = EntryFactory(area=ThematicAreaFactory(edition=jury.edition, code="II"))
    assert shown({"area": str(other.area_id)}) == {other.pk}
    assert shown({"area": "not-a-number", "state": "nonsense"}) == shown({})


@pytest.mark.django_db
def test_organiser_progress_counts_every_entry_whatever_the_page(client, jury, submitted):
    from scoring.selectors import jury as jury_selectors

    _many_entries(jury, 4)
    size, jury_selectors.BOARD_PAGE_SIZE = jury_selectors.BOARD_PAGE_SIZE, 2
    try:
        client.force_login(OrganiserFactory())
        progress = client.get(reverse("organiser_jury_progress", args=[jury.edition.slug]),
                              {"page": "2"}).context["progress"]
    finally:
        jury_selectors.BOARD_PAGE_SIZE = size
    counts = {row.member.user_id: (row.counts.assigned, row.counts.submitted)
              for row in progress.jurors}
    assert counts == {jury.juror.pk: (5, 1), jury.other_juror.pk: (1, 0)}
    assert (progress.totals.assigned, progress.totals.submitted) == (6, 1)
