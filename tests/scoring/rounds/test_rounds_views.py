"""The rounds pages: the organiser's rounds and shortlist pages (a fixed number of queries),
the panel's assignments of round 2, the site visits of a round for its panel only, and the
results page naming each run's round."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scoring.enums import ShortlistRule
from scoring.models import Assignment, ShortlistEntry, SiteVisit
from scoring.services.rounds import round_shortlist
from tests.factories import (
    EntryFactory,
    JuryMemberFactory,
    ThematicAreaFactory,
    UserFactory,
)


def _at(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _rounds_url(two_rounds):
    return reverse("organiser_rounds", args=[two_rounds.edition.slug])


def _shortlist_url(two_rounds, number=2):
    return reverse("organiser_round_shortlist",
                   args=[two_rounds.edition.slug, number, two_rounds.area.pk])


@pytest.mark.django_db
def test_rounds_page_lists_the_rounds_with_a_fixed_number_of_queries(
        client, two_rounds, django_assert_num_queries):
    client.force_login(two_rounds.organiser)
    client.get(_rounds_url(two_rounds))  # warm the session and the permission caches
    with django_assert_num_queries(11) as few:
        response = client.get(_rounds_url(two_rounds))
    assert response.status_code == 200
    assert "Round 2" in response.content.decode()
    for extra in range(3):
        ThematicAreaFactory(edition=two_rounds.edition, code=f"X{extra}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(_rounds_url(two_rounds)).status_code == 200


@pytest.mark.django_db
def test_round_add_view_adds_a_round_in_the_edition_time_zone(client, two_rounds):
    client.force_login(two_rounds.organiser)
    opens = timezone.localtime(_at(11), two_rounds.edition.tz)
    closes = timezone.localtime(_at(20), two_rounds.edition.tz)
    response = client.post(reverse("organiser_round_add", args=[two_rounds.edition.slug]), {
        "review_open_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "review_close_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "shortlist_rule": ShortlistRule.TOP_N, "shortlist_top_n": "1",
        f"weight_{two_rounds.game.criteria[0].pk}": "2"})
    assert response.status_code == 302
    third = two_rounds.edition.rounds.get(number=3)
    assert third.review_open_at == opens.replace(second=0, microsecond=0)
    assert third.weights == {str(two_rounds.game.criteria[0].pk): 2.0}


@pytest.mark.django_db
def test_round_add_view_shows_the_refusal(client, two_rounds):
    client.force_login(two_rounds.organiser)
    response = client.post(reverse("organiser_round_add", args=[two_rounds.edition.slug]), {
        "review_open_at": "2020-01-01T10:00", "review_close_at": "2020-01-02T10:00",
        "shortlist_rule": ShortlistRule.BY_HAND})
    assert response.status_code == 400
    assert "must open after round 2 closes" in response.content.decode()


@pytest.mark.django_db
def test_shortlist_page_applies_the_rule_and_shows_the_run_with_fixed_queries(
        client, two_rounds, django_assert_num_queries):
    run = two_rounds.run(two_rounds.first)
    client.force_login(two_rounds.organiser)
    response = client.post(_shortlist_url(two_rounds), {
        "action": "apply", "run": run.pk, "rule": ShortlistRule.TOP_N, "top_n": "2"})
    assert response.status_code == 302
    entries = two_rounds.game.by_area[two_rounds.area.pk]
    assert set(ShortlistEntry.objects.current().values_list("entry_id", flat=True)) == {
        entries[0].pk, entries[1].pk}
    client.get(_shortlist_url(two_rounds))
    with django_assert_num_queries(13) as few:
        page = client.get(_shortlist_url(two_rounds))
    assert f"run #{run.pk}" in page.content.decode()
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, add=[(entries[2], "a close third")])
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(_shortlist_url(two_rounds))
    assert "a close third" in page.content.decode()


@pytest.mark.django_db
def test_shortlist_page_by_hand_needs_a_reason(client, two_rounds):
    entry = two_rounds.game.by_area[two_rounds.area.pk][3]
    client.force_login(two_rounds.organiser)
    response = client.post(_shortlist_url(two_rounds), {
        "action": "hand", "entry": entry.pk, "change": "add", "reason": ""})
    assert response.status_code == 400
    assert not ShortlistEntry.objects.exists()
    response = client.post(_shortlist_url(two_rounds), {
        "action": "hand", "entry": entry.pk, "change": "add", "reason": "Seen on the visit"})
    assert response.status_code == 302
    assert ShortlistEntry.objects.get().reason == "Seen on the visit"


@pytest.mark.django_db
def test_shortlist_page_of_round_one_and_another_edition_area_is_404(client, two_rounds):
    client.force_login(two_rounds.organiser)
    assert client.get(_shortlist_url(two_rounds, number=1)).status_code == 404
    foreign = ThematicAreaFactory()
    url = reverse("organiser_round_shortlist", args=[two_rounds.edition.slug, 2, foreign.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_juror_cannot_shortlist(client, two_rounds):
    client.force_login(two_rounds.game.jurors[0])
    assert client.get(_shortlist_url(two_rounds)).status_code == 403


@pytest.mark.django_db
def test_panel_assign_view_gives_the_area_panel_the_shortlist(client, two_rounds):
    run = two_rounds.run(two_rounds.first)
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, run=run, rule=ShortlistRule.THRESHOLD,
                    threshold=Decimal("8"))
    client.force_login(two_rounds.organiser)
    url = reverse("organiser_round_panel_assign",
                  args=[two_rounds.edition.slug, 2, two_rounds.area.pk])
    assert client.post(url).status_code == 302
    assert Assignment.objects.filter(round=two_rounds.second).count() == 6
    board = client.get(reverse("organiser_jury_assignments", args=[two_rounds.edition.slug]))
    assert board.content.decode().count("(Round 2)") == 6


@pytest.mark.django_db
def test_juror_sheet_page_in_round_two_shows_the_fresh_sheet(client, two_rounds):
    run = two_rounds.run(two_rounds.first)
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N, top_n=1)
    client.force_login(two_rounds.organiser)
    client.post(reverse("organiser_round_panel_assign",
                        args=[two_rounds.edition.slug, 2, two_rounds.area.pk]))
    juror = two_rounds.game.jurors[0]
    client.force_login(juror)
    entry = two_rounds.game.by_area[two_rounds.area.pk][0]
    page = client.get(reverse("jury_sheet", args=[entry.pk]))
    assert page.status_code == 200
    assert page.context["judging_round"] == two_rounds.second
    assert page.context["editable"] is True
    assert reverse("site_visits", args=[two_rounds.edition.slug, 2, entry.pk]) in (
        page.content.decode())
    dashboard = client.get(reverse("juror_dashboard")).content.decode()
    assert dashboard.count(f'/jury/entries/{entry.pk}/') >= 1


def _visits_url(two_rounds, entry, number=2):
    return reverse("site_visits", args=[two_rounds.edition.slug, number, entry.pk])


@pytest.fixture
def panel(two_rounds):
    """Round 2's panel of the area: its jurors assigned to the two shortlisted entries."""
    run = two_rounds.run(two_rounds.first)
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N, top_n=2)
    from scoring.services.assignments import assignments_area_everyone

    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    return two_rounds


@pytest.mark.django_db
def test_site_visit_notes_and_file_for_the_round_panel_only(client, panel, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = panel.game.by_area[panel.area.pk][0]
    member = panel.game.jurors[0]
    client.force_login(member)
    response = client.post(_visits_url(panel, entry), {
        "notes": "Visited the centre: 40 users a day.",
        "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4 visit", "application/pdf")})
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert (visit.by, visit.round, visit.original_name) == (member, panel.second, "report.pdf")
    assert not visit.file.name.endswith("report.pdf")  # a random stored name
    page = client.get(_visits_url(panel, entry)).content.decode()
    assert "40 users a day" in page
    file_url = reverse("site_visit_file", args=[visit.pk])
    assert b"".join(client.get(file_url).streaming_content) == b"%PDF-1.4 visit"
    # the organiser sees it too
    client.force_login(panel.organiser)
    assert client.get(file_url).status_code == 200
    # a juror of the same edition on another area's panel sees nothing, nor its file
    outsider = UserFactory()
    other_area = ThematicAreaFactory(edition=panel.edition)
    JuryMemberFactory(edition=panel.edition, user=outsider)
    Assignment.objects.create(entry=EntryFactory(area=other_area), juror=outsider,
                              round=panel.second)
    client.force_login(outsider)
    assert client.get(_visits_url(panel, entry)).status_code == 404
    assert client.get(file_url).status_code == 404
    # round 1's panel (every juror scored the area) does not see round 2's notes...
    loner = UserFactory()
    JuryMemberFactory(edition=panel.edition, user=loner)
    Assignment.objects.create(entry=entry, juror=loner, round=panel.first)
    client.force_login(loner)
    assert client.get(_visits_url(panel, entry)).status_code == 404
    assert client.get(file_url).status_code == 404
    # ...and nobody signed out
    client.logout()
    assert client.get(file_url).status_code == 404


@pytest.mark.django_db
def test_site_visit_page_queries_do_not_grow_with_visits(client, panel,
                                                         django_assert_num_queries):
    from scoring.services.rounds import site_visit_add

    entry = panel.game.by_area[panel.area.pk][0]
    client.force_login(panel.organiser)
    site_visit_add(judging_round=panel.second, entry=entry, by=panel.organiser, notes="one")
    client.get(_visits_url(panel, entry))
    with django_assert_num_queries(8) as few:
        client.get(_visits_url(panel, entry))
    for number in range(3):
        site_visit_add(judging_round=panel.second, entry=entry, by=panel.game.jurors[number],
                       notes=f"more {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(_visits_url(panel, entry)).status_code == 200


@pytest.mark.django_db
def test_site_visit_refused_for_an_entry_off_the_shortlist(client, panel):
    entry = panel.game.by_area[panel.area.pk][3]
    client.force_login(panel.organiser)
    response = client.post(_visits_url(panel, entry), {"notes": "went there"})
    assert response.status_code == 400
    assert not SiteVisit.objects.exists()


@pytest.mark.django_db
def test_results_page_names_the_round_of_each_run_and_starts_one_for_a_round(client,
                                                                             two_rounds):
    run = two_rounds.run(two_rounds.first)
    client.force_login(two_rounds.organiser)
    page = client.get(reverse("organiser_results", args=[two_rounds.edition.slug])
                      + f"?run={run.pk}").content.decode()
    assert 'data-round="1"' in page
    assert 'data-shown-round="1"' in page
    assert 'name="round"' in page
    response = client.post(reverse("organiser_run_start", args=[two_rounds.edition.slug]),
                           {"method": "weighted_mean", "round": "1"})
    assert response.status_code == 302
    latest = two_rounds.edition.ranking_runs.order_by("-pk").first()
    assert latest.round == two_rounds.first
    missing = client.post(reverse("organiser_run_start", args=[two_rounds.edition.slug]),
                          {"method": "weighted_mean", "round": "7"})
    assert missing.status_code == 404


@pytest.mark.django_db
def test_rounds_and_shortlist_pages_speak_bulgarian(client, two_rounds):
    client.force_login(two_rounds.organiser)
    client.cookies["django_language"] = "bg"
    rounds = client.get(_rounds_url(two_rounds), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Кръгове на оценяване" in rounds
    assert "Кръг 2" in rounds
    shortlist = client.get(_shortlist_url(two_rounds), HTTP_ACCEPT_LANGUAGE="bg")
    assert "Прилагане на правило" in shortlist.content.decode()


@pytest.mark.django_db
def test_juror_dashboard_rows_of_each_round_link_to_their_own_round_sheet(client, panel):
    """An entry in round 1 and round 2: the round-1 row opens the round-1 sheet, read-only
    (round 1 has closed), the round-2 row the fresh round-2 sheet."""
    entry = panel.game.by_area[panel.area.pk][0]
    juror = panel.game.jurors[0]
    for scored in panel.game.by_area[panel.area.pk]:  # round 1's assignments
        Assignment.objects.create(entry=scored, juror=juror, round=panel.first)
    client.force_login(juror)
    dashboard = client.get(reverse("juror_dashboard"))
    rows = [row for block in dashboard.context["blocks"] for row in block.rows
            if row.entry == entry]
    assert [(row.sheet.round.number, row.link_round) for row in rows] == [(1, 1), (2, None)]
    sheet_url = reverse("jury_sheet", args=[entry.pk])
    content = dashboard.content.decode()
    assert f'href="{sheet_url}?round=1"' in content
    assert f'href="{sheet_url}">Score</a>' in content
    assert content.count('data-round="1">Round 1<') == 2  # only the entries in both rounds
    assert content.count('data-round="2">Round 2<') == 2
    first = client.get(f"{sheet_url}?round=1")
    assert first.status_code == 200
    assert first.context["judging_round"] == panel.first
    assert first.context["sheet"].status == "submitted"
    assert (first.context["editable"], first.context["reopenable"]) == (False, False)
    second = client.get(sheet_url)
    assert second.context["judging_round"] == panel.second
    assert (second.context["sheet"].pk, second.context["editable"]) == (None, True)
    assert client.get(f"{sheet_url}?round=2").context["judging_round"] == panel.second
    # a round the entry is not assigned to the juror in, or no round at all: not found
    assert client.get(f"{sheet_url}?round=3").status_code == 404
    assert client.get(f"{sheet_url}?round=x").status_code == 404
    # an entry off the shortlist has only its round-1 row, with the bare link
    off = panel.game.by_area[panel.area.pk][3]
    assert [(row.sheet.round.number, row.link_round) for block in
            dashboard.context["blocks"] for row in block.rows if row.entry == off] == [
        (1, None)]


@pytest.mark.django_db
def test_site_visits_follow_the_one_panel_definition_the_area_chair_included(client, panel):
    """Who sits on a round's panel is `deliberation.rules.is_panel_member`: the area's chair
    (not assigned in the round) sees and adds the round's notes; a juror of round 1 only
    does not."""
    from deliberation.rules import AreaPanel, is_panel_member
    from deliberation.services import area_chair_appoint
    from scoring.selectors.rounds import RoundEntry

    entry = panel.game.by_area[panel.area.pk][0]
    chair = UserFactory()
    JuryMemberFactory(edition=panel.edition, user=chair)
    area_chair_appoint(area=panel.area, user=chair, by=panel.organiser)
    round_entry = RoundEntry(round=panel.second, entry=entry)
    assert is_panel_member(chair, AreaPanel(panel.area, panel.second)) is True
    assert chair.has_perm("scoring.view_site_visits", round_entry) is True
    client.force_login(chair)
    assert client.get(_visits_url(panel, entry)).status_code == 200
    response = client.post(_visits_url(panel, entry), {"notes": "The chair went too."})
    assert response.status_code == 302
    assert SiteVisit.objects.get().by == chair
    member = panel.game.jurors[0]
    assert member.has_perm("scoring.add_site_visit", round_entry) is True
    assert is_panel_member(member, AreaPanel(panel.area, panel.second)) is True
    loner = UserFactory()
    JuryMemberFactory(edition=panel.edition, user=loner)
    Assignment.objects.create(entry=entry, juror=loner, round=panel.first)
    assert (loner.has_perm("scoring.view_site_visits", round_entry),
            is_panel_member(loner, AreaPanel(panel.area, panel.second))) == (False, False)
