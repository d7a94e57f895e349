"""A two-round edition: round 1 closed (its panel open), round 2 scoring the shortlist."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.models import PanelComment
from deliberation.rules import can_see_panel
from deliberation.selectors import area_panel, panel_page
from deliberation.services import panel_comment_post
from scoring.enums import SheetStatus
from scoring.models import JudgingRound
from tests.factories import AssignmentFactory, JurySheetFactory
from tests.scoring.factories_jury import ReviewEditionFactory

from .conftest import build_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(db):
    now = timezone.now()
    edition = ReviewEditionFactory(review_open_at=now - dt.timedelta(days=10),
                                   review_close_at=now + dt.timedelta(days=5))
    first = JudgingRound.objects.get(edition=edition, number=1)
    first.review_close_at = now - dt.timedelta(days=5)
    first.save()
    second = JudgingRound.objects.create(edition=edition, number=2,
                                         review_open_at=now - dt.timedelta(days=4),
                                         review_close_at=now + dt.timedelta(days=5))
    panel = build_panel(edition)
    # the shortlist of round 2: the first two entries, scored afresh by the chair and juror
    for entry in panel.entries[:2]:
        for user, status in ((panel.chair, SheetStatus.SUBMITTED),
                             (panel.juror, SheetStatus.DRAFT)):
            AssignmentFactory(entry=entry, juror=user, round=second)
            JurySheetFactory(entry=entry, juror=user, round=second, status=status,
                             overall_comment=f"ROUND2-{user.username}",
                             submitted_at=now if status == SheetStatus.SUBMITTED else None)
    return panel, first, second


def test_round_one_panel_opens_while_round_two_scores(two_rounds):
    panel, first, second = two_rounds
    assert area_panel(area=panel.area).round == first
    assert (can_see_panel(panel.chair, area_panel(area=panel.area, number=1)),
            can_see_panel(panel.chair, area_panel(area=panel.area, number=2))) == (True, False)


def test_round_two_panel_shows_the_shortlist_and_its_own_sheets(two_rounds):
    panel, first, second = two_rounds
    JudgingRound.objects.filter(pk=second.pk).update(
        review_close_at=timezone.now() - dt.timedelta(minutes=1))
    round_two = area_panel(area=panel.area, number=2)
    _criteria, entries, _labels = panel_page(panel=round_two)
    shown = {item.entry.pk: sorted(s.overall_comment for s in item.sheets) for item in entries}
    assert shown == {panel.entries[0].pk: ["ROUND2-chair"], panel.entries[1].pk: ["ROUND2-chair"]}
    # the juror who left a round-2 draft sees round 1's panel, never round 2's
    assert (can_see_panel(panel.juror, area_panel(area=panel.area, number=1)),
            can_see_panel(panel.juror, round_two)) == (True, False)


def test_comments_belong_to_their_round(client, two_rounds):
    panel, first, _second = two_rounds
    panel_comment_post(entry=panel.entries[0], author=panel.juror, body="Round one word",
                       round_number=1)
    assert PanelComment.objects.get().round == first
    client.force_login(panel.juror)
    assert client.get(reverse("deliberation:panel", args=[panel.area.pk]),
                      {"round": 2}).status_code == 404
    body = client.get(reverse("deliberation:panel", args=[panel.area.pk]),
                      {"round": 1}).content.decode()
    assert "Round one word" in body and "ROUND2-" not in body


# --- the area's chair shortlists it (issue 14: "the organiser (or the area's chair)") -----
def _shortlist_url(panel, number=2, area=None):
    return reverse("organiser_round_shortlist",
                   args=[panel.edition.slug, number, (area or panel.area).pk])


def _add_by_hand(client, panel, entry):
    return client.post(_shortlist_url(panel), {"action": "hand", "entry": entry.pk,
                                               "change": "add", "reason": "Chair's choice."})


def test_the_chair_shortlists_their_area_from_the_panel(client, two_rounds):
    from scoring.models import ShortlistEntry

    panel, _first, second = two_rounds
    client.force_login(panel.chair)
    body = client.get(reverse("deliberation:panel", args=[panel.area.pk]),
                      {"round": 1}).content.decode()
    assert f'href="{_shortlist_url(panel)}"' in body
    page = client.get(_shortlist_url(panel)).content.decode()
    assert "Back to the jury" in page and "Back to the rounds" not in page
    assert _add_by_hand(client, panel, panel.entries[2]).status_code == 302
    row = ShortlistEntry.objects.current().get(round=second, entry=panel.entries[2])
    assert (row.by, row.reason, row.history.get().history_user) == (
        panel.chair, "Chair's choice.", panel.chair)


def test_a_juror_who_does_not_chair_the_area_cannot_shortlist(client, two_rounds):
    from scoring.models import ShortlistEntry

    panel, _first, _second = two_rounds
    client.force_login(panel.juror)
    body = client.get(reverse("deliberation:panel", args=[panel.area.pk]),
                      {"round": 1}).content.decode()
    assert _shortlist_url(panel) not in body
    assert client.get(_shortlist_url(panel)).status_code == 403
    assert _add_by_hand(client, panel, panel.entries[2]).status_code == 403
    assert not ShortlistEntry.objects.filter(entry=panel.entries[2]).exists()


def test_the_chair_does_not_shortlist_another_area(client, two_rounds):
    from tests.factories import ThematicAreaFactory

    panel, _first, _second = two_rounds
    other = ThematicAreaFactory(edition=panel.edition, code="II")
    client.force_login(panel.chair)
    assert client.get(_shortlist_url(panel, area=other)).status_code == 403


def test_the_chair_shortlists_only_between_rounds(client, two_rounds):
    from scoring.models import ShortlistEntry

    panel, _first, second = two_rounds
    JudgingRound.objects.filter(pk=second.pk).update(
        review_close_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(panel.chair)
    body = client.get(reverse("deliberation:panel", args=[panel.area.pk]),
                      {"round": 1}).content.decode()
    assert _shortlist_url(panel) not in body  # round 2 has closed: nothing to choose
    response = _add_by_hand(client, panel, panel.entries[2])
    assert response.status_code == 400
    assert "Round 2 has closed" in response.content.decode()
    assert not ShortlistEntry.objects.filter(entry=panel.entries[2]).exists()
