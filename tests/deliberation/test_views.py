import re

import pytest
from django.urls import reverse

from deliberation.enums import DecisionStatus
from deliberation.models import AreaChair, AreaDecision, PanelComment, PanelSettings
from deliberation.services import decision_agreement_record, decision_draft, decision_record
from tests.factories import EntryFactory, JuryMemberFactory, UserFactory

from .conftest import departing_places

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


# --- organisers ---------------------------------------------------------------------------
def test_organiser_page_lists_the_areas_and_chairs(client, panel):
    body = _as(client, panel.organiser).get(
        reverse("deliberation:organiser", args=[panel.edition.slug])).content.decode()
    assert 'data-chair="I">Chaira Chairova' in body


def test_organiser_page_query_count_is_fixed(client, panel, django_assert_num_queries):
    from tests.factories import ThematicAreaFactory

    url = reverse("deliberation:organiser", args=[panel.edition.slug])
    _as(client, panel.organiser)
    client.get(url)  # the session's first request warms what it caches
    one_area = _count_queries(client, url)
    for code in ("II", "III", "IV"):
        area = ThematicAreaFactory(edition=panel.edition, code=code)
        JuryMemberFactory(edition=panel.edition, user=UserFactory()).areas.add(area)
    with django_assert_num_queries(one_area):
        body = client.get(url).content.decode()
    assert body.count('id="chair-') == 4


def test_organiser_page_offers_each_area_its_own_jury(client, panel):
    """Jurors who judge chosen areas are offered only for those; the others for all."""
    from deliberation.selectors import juries_of_edition
    from scoring.models import JuryMember
    from tests.factories import ThematicAreaFactory

    other = ThematicAreaFactory(edition=panel.edition, code="II")
    only_other = UserFactory(username="only-other")
    JuryMemberFactory(edition=panel.edition, user=only_other).areas.add(other)
    juries = juries_of_edition(edition=panel.edition)
    for area in (panel.area, other):
        expected = [m.user for m in JuryMember.objects.judging(area).select_related("user")
                    .order_by("user__last_name", "user__username")]
        assert juries[area.pk] == expected
    assert only_other in juries[other.pk] and only_other not in juries[panel.area.pk]


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_organiser_appoints_a_chair(client, panel):
    response = _as(client, panel.organiser).post(
        reverse("deliberation:chair_appoint", args=[panel.edition.slug]),
        {"area": panel.area.pk, "user": panel.juror.pk})
    assert response.status_code == 302
    assert AreaChair.objects.get(area=panel.area).user == panel.juror


def test_appointing_someone_off_the_jury_is_refused_with_a_message(client, panel):
    _as(client, panel.organiser).post(
        reverse("deliberation:chair_appoint", args=[panel.edition.slug]),
        {"area": panel.area.pk, "user": UserFactory().pk})
    assert AreaChair.objects.get(area=panel.area).user == panel.chair


def test_organiser_chooses_whether_names_are_shown(client, panel):
    _as(client, panel.organiser).post(
        reverse("deliberation:settings", args=[panel.edition.slug]), {"show_names": "on"})
    assert PanelSettings.objects.get(edition=panel.edition).show_names is True


def test_jurors_cannot_appoint(client, panel):
    response = _as(client, panel.chair).post(
        reverse("deliberation:chair_appoint", args=[panel.edition.slug]),
        {"area": panel.area.pk, "user": panel.juror.pk})
    assert response.status_code == 403


# --- the panel ----------------------------------------------------------------------------
def test_panel_shows_every_submitted_sheet_anonymised(client, panel):
    body = _as(client, panel.juror).get(
        reverse("deliberation:panel", args=[panel.area.pk])).content.decode()
    assert ("SHEET-chair-0" in body, "NOTE-late-1" in body, "SHEET-late-2" in body,
            "Juror A" in body, "Chairova" in body) == (True, True, False, True, False)


def test_panel_shows_names_when_the_organiser_chose_so(client, panel):
    PanelSettings.objects.create(edition=panel.edition, show_names=True)
    body = _as(client, panel.juror).get(
        reverse("deliberation:panel", args=[panel.area.pk])).content.decode()
    assert "Chaira Chairova" in body and "Juror A" not in body


def test_panel_query_count_does_not_grow_with_entries(client, panel,
                                                      django_assert_max_num_queries):
    from deliberation.services import panel_comment_post

    url = reverse("deliberation:panel", args=[panel.area.pk])
    _as(client, panel.juror)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(4):
        EntryFactory(area=panel.area)
    panel_comment_post(entry=panel.entries[0], author=panel.chair, body="one")
    panel_comment_post(entry=panel.entries[1], author=panel.juror, body="two")
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_comment_posted_from_the_panel(client, panel):
    response = _as(client, panel.juror).post(
        reverse("deliberation:comment", args=[panel.area.pk, panel.entries[0].pk]),
        {"body": "Worth a place."})
    assert response.status_code == 302
    assert response.url.endswith(f"#entry-{panel.entries[0].pk}")
    assert PanelComment.objects.get().author == panel.juror


def test_empty_comment_is_refused(client, panel):
    _as(client, panel.juror).post(
        reverse("deliberation:comment", args=[panel.area.pk, panel.entries[0].pk]),
        {"body": ""})
    assert PanelComment.objects.count() == 0


# --- independence: a juror who has not submitted sees no other sheet anywhere -------------
def test_a_juror_who_has_not_submitted_sees_no_other_sheet_anywhere(client, panel):
    """Every page, fragment, export and API endpoint a juror can reach, asked by the juror
    who still has a draft: none holds another juror's sheet."""
    _as(client, panel.late)
    entry = panel.entries[0]
    asked = {
        "panel": client.get(reverse("deliberation:panel", args=[panel.area.pk])),
        "comment": client.post(reverse("deliberation:comment",
                                       args=[panel.area.pk, entry.pk]), {"body": "x"}),
        "decision": client.get(reverse("deliberation:decision", args=[panel.area.pk])),
        "dashboard": client.get(reverse("juror_dashboard")),
        "edition": client.get(reverse("juror_edition", args=[panel.edition.slug])),
        "entry": client.get(reverse("juror_entry", args=[entry.pk])),
        "sheet": client.get(reverse("jury_sheet", args=[entry.pk])),
        "autosave (htmx)": client.post(reverse("jury_sheet_autosave", args=[entry.pk]),
                                       HTTP_HX_REQUEST="true"),
        "sheets.csv": client.get(reverse("showcase:sheets_csv", args=[panel.edition.slug])),
        "sheets.json": client.get(reverse("showcase:sheets_json",
                                          args=[panel.edition.slug])),
        "results.json": client.get(reverse("showcase:results_json",
                                           args=[panel.edition.slug])),
        "api results": client.get("/api/v1/results/?format=json"),
        "api editions": client.get("/api/v1/editions/?format=json"),
    }
    leaks = {name: answer.status_code for name, answer in asked.items()
             if any(f"{kind}-{who}" in answer.content.decode()
                    for kind in ("SHEET", "NOTE") for who in ("chair", "juror"))}
    statuses = {name: asked[name].status_code for name in ("panel", "comment", "decision")}
    assert (leaks, statuses) == ({}, {"panel": 404, "comment": 404, "decision": 404})
    assert PanelComment.objects.count() == 0


def test_after_submitting_the_same_juror_sees_the_panel(client, panel):
    from scoring.models import JurySheet

    JurySheet.objects.filter(juror=panel.late).update(status="submitted")
    body = _as(client, panel.late).get(
        reverse("deliberation:panel", args=[panel.area.pk])).content.decode()
    assert "SHEET-chair-0" in body


# --- the decision -------------------------------------------------------------------------
def test_decision_form_shows_the_evidence_and_requires_exactly_those(client, panel):
    body = _as(client, panel.chair).get(
        reverse("deliberation:decision", args=[panel.area.pk])).content.decode()
    # the second place and the third (indistinguishable, swapping under the median), not
    # the clear first
    needs = re.findall(r'data-entry="(\d+)" data-needs-justification', body)
    assert sorted(map(int, needs)) == sorted([panel.entries[1].pk, panel.entries[2].pk])
    assert "Statistically indistinguishable from a neighbour" in body
    assert "Median of sheets: 2 → –" in body
    assert AreaDecision.objects.count() == 0  # a GET changes nothing


def test_decision_page_query_count_is_fixed(client, panel, django_assert_max_num_queries):
    decision_draft(area=panel.area, run=panel.run, by=panel.chair)
    url = reverse("deliberation:decision", args=[panel.area.pk])
    _as(client, panel.chair)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    assert len(few) < 40


def test_chair_saves_records_and_the_panel_positions(client, panel):
    _as(client, panel.chair)
    url = reverse("deliberation:decision", args=[panel.area.pk])
    first, second, third = panel.entries
    client.post(url, {"run": panel.run.pk, f"place-{second.pk}": "1",
                      f"justification-{second.pk}": "Lasting results.",
                      f"place-{first.pk}": "2", f"justification-{first.pk}": "Close.",
                      f"mention-{third.pk}": "on", f"justification-{third.pk}": "Idea.",
                      "public_justification": "The jury preferred lasting results."})
    decision = AreaDecision.objects.get()
    assert decision.departs is True
    for juror, position in ((panel.chair, "agrees"), (panel.juror, "agrees"),
                            (panel.late, "dissents")):
        client.post(reverse("deliberation:agreement", args=[panel.area.pk, decision.pk]),
                    {"juror": juror.pk, "position": position})
    response = client.post(reverse("deliberation:record", args=[panel.area.pk, decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECORDED


def test_record_refused_shows_why(client, panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair)
    _as(client, panel.chair)
    response = client.post(reverse("deliberation:record", args=[panel.area.pk, decision.pk]),
                           follow=True)
    assert "Justify the decision on" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_a_juror_is_not_the_chair(client, panel):
    response = _as(client, panel.juror).get(
        reverse("deliberation:decision", args=[panel.area.pk]))
    assert response.status_code == 404


# --- publication --------------------------------------------------------------------------
def _recorded_departure(panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                              places=departing_places(panel),
                              public_justification="PUBLIC-WHY lasting results.")
    for juror in (panel.chair, panel.juror, panel.late):
        decision_agreement_record(decision=decision, juror=juror, agrees=True,
                                  by=panel.chair)
    return decision_record(decision=decision, by=panel.chair)


def _publish(panel):
    from competitions.enums import Phase

    panel.run.is_published = True
    panel.run.save()
    panel.edition.phase = Phase.PUBLISHED
    panel.edition.save()


def test_a_published_runs_decision_cannot_change(panel):
    from django.core.exceptions import ValidationError

    _publish(panel)
    with pytest.raises(ValidationError):
        decision_draft(area=panel.area, run=panel.run, by=panel.chair)


def test_public_page_shows_the_decision_beside_the_computed_ranking(client, panel):
    _recorded_departure(panel)
    _publish(panel)
    body = client.get(reverse("showcase:edition", args=[panel.edition.slug])).content.decode()
    decision = body[body.index("The jury's decision"):body.index(">Computed ranking<")]
    assert "PUBLIC-WHY lasting results." in decision
    assert decision.index("Practice 2") < decision.index("Practice 1")  # place 1 first
    assert "Special mentions" in decision and "Original idea." in decision
    assert "Its results last longer." in decision
    assert ">Computed ranking<" in body  # the computed ranking stays beside it
    assert "Computed place: 2" in decision


def test_public_page_without_decision_shows_the_computed_winners(client, panel):
    _publish(panel)
    body = client.get(reverse("showcase:edition", args=[panel.edition.slug])).content.decode()
    assert "The jury's decision" not in body and ">Winners<" in body


def test_a_draft_decision_is_never_public(client, panel):
    decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                   places=departing_places(panel), public_justification="SECRET-DRAFT")
    _publish(panel)
    body = client.get(reverse("showcase:edition", args=[panel.edition.slug])).content.decode()
    assert "SECRET-DRAFT" not in body


def test_non_member_of_another_edition_is_404(client, panel):
    stranger = UserFactory()
    JuryMemberFactory(user=stranger)
    response = _as(client, stranger).get(reverse("deliberation:panel", args=[panel.area.pk]))
    assert response.status_code == 404


def test_public_page_query_count_is_the_same_with_decisions(client, panel,
                                                             django_assert_num_queries):
    _publish(panel)
    url = reverse("showcase:edition", args=[panel.edition.slug])
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get(url)
    panel.run.is_published = False
    panel.run.save()
    _recorded_departure(panel)
    _publish(panel)
    cache.clear()
    with django_assert_num_queries(len(without)):
        client.get(url)


def test_panels_page_says_where_each_panel_stands(client, panel):
    _as(client, panel.chair)
    body = client.get(reverse("deliberation:panels")).content.decode()
    assert "you chair it" in body and "Open the panel" in body
    late = _as(client, panel.late).get(reverse("deliberation:panels")).content.decode()
    assert "Submit all your own sheets of the area first." in late
    assert "Open the panel" not in late


def test_panels_page_query_count_is_fixed(client, panel, django_assert_num_queries):
    """One panel, then four: the same queries."""
    url = reverse("deliberation:panels")
    _as(client, panel.juror)
    client.get(url)
    one = _count_queries(client, url)
    from deliberation.services import area_chair_appoint
    from tests.factories import AssignmentFactory, ThematicAreaFactory

    for code in ("II", "III", "IV"):  # three more areas: assigned in two, chairing one
        area = ThematicAreaFactory(edition=panel.edition, code=code)
        entry = EntryFactory(area=area)
        if code != "IV":
            AssignmentFactory(entry=entry, juror=panel.juror)
        else:
            area_chair_appoint(area=area, user=panel.juror, by=panel.organiser)
    with django_assert_num_queries(one):
        body = client.get(url).content.decode()
    assert body.count("data-panel-link=") == 4


def test_the_panels_list_agrees_with_the_panel_rules(panel):
    from deliberation.rules import can_see_panel, is_area_chair
    from deliberation.selectors import panels_of_juror

    for user in (panel.chair, panel.juror, panel.late, panel.outsider):
        for link in panels_of_juror(user=user):
            assert (link.can_see, link.is_chair) == (can_see_panel(user, link.panel),
                                                     is_area_chair(user, link.panel.area))


def test_juror_dashboard_links_to_the_panels(client, panel):
    body = _as(client, panel.juror).get(reverse("juror_dashboard")).content.decode()
    assert reverse("deliberation:panels") in body
