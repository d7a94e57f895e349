"""A two-round edition end to end: round 1 scored, the area's chair shortlists it on the
shortlist page (from round 1's panel), round 2 scored; the panel
opens only to the jurors who submitted their round-2 sheets; the chair's decision departs
from the computed ranking on an indistinguishable place, with a justification and the
panel's positions; publication; the public page shows the decision, the computed ranking
beside it and the justification."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competitions.enums import Phase
from deliberation.services import area_chair_appoint
from scoring.enums import SheetStatus
from scoring.models import JudgingRound, ShortlistEntry
from scoring.services.ranking import ranking_run_publish
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JuryMemberFactory,
    JurySheetFactory,
    OrganiserFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import RankingResultFactory, RankingRunFactory
from tests.scoring.factories_jury import ReviewEditionFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_round_edition():
    """Round 1 scored and closed, with its ranking; round 2 open, nothing shortlisted yet."""
    now = timezone.now()
    edition = ReviewEditionFactory(slug="two-rounds", title_en="Two-round edition",
                                   review_open_at=now - dt.timedelta(days=20),
                                   review_close_at=now + dt.timedelta(days=5))
    first = JudgingRound.objects.get(edition=edition, number=1)
    first.review_close_at = now - dt.timedelta(days=10)
    first.save()
    JudgingRound.objects.create(edition=edition, number=2,
                                review_open_at=now - dt.timedelta(days=9),
                                review_close_at=now + dt.timedelta(days=5))
    area = ThematicAreaFactory(edition=edition, code="I", title_en="Good governance", awards=2)
    criterion = CriterionFactory(edition=edition, order=1)
    entries = [EntryFactory(area=area, practice__title=f"Практика {n}",
                            practice__title_en=f"Practice {n}") for n in (1, 2, 3, 4)]
    chair = UserFactory(username="chair", first_name="Chaira", last_name="Chairova")
    juror = UserFactory(username="juror2", first_name="Yuri", last_name="Jurorov")
    late = UserFactory(username="late", first_name="Lada", last_name="Latova")
    for user in (chair, juror, late):
        JuryMemberFactory(edition=edition, user=user)
    for index, entry in enumerate(entries):  # round 1: every entry, everyone submitted
        for user in (chair, juror, late):
            _sheet(entry, user, first, criterion, 8 - index)
    area_chair_appoint(area=area, user=chair, by=OrganiserFactory())
    round_one = RankingRunFactory(edition=edition, round=first)
    for rank, entry in enumerate(entries, start=1):
        RankingResultFactory(run=round_one, entry=entry, area=area, rank=rank,
                             place=rank if rank <= 2 else None, total=8 - rank / 10)
    return edition, area, entries, criterion


def _sheet(entry, user, judging_round, criterion, value, status=SheetStatus.SUBMITTED):
    AssignmentFactory(entry=entry, juror=user, round=judging_round)
    made = JurySheetFactory(entry=entry, juror=user, round=judging_round, status=status,
                            overall_comment=f"{user.username} on {entry.practice.title_en}",
                            submitted_at=timezone.now() if status == SheetStatus.SUBMITTED
                            else None)
    SheetScoreFactory(sheet=made, criterion=criterion, value=value)


def _round_two_scored_and_closed(edition, area, criterion):
    """Round 2's panel scores the shortlist (one juror leaves a draft); then its scoring
    closes with the edition's review, and its ranking is computed."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=("chair", "juror2", "late"))}
    second = JudgingRound.objects.get(edition=edition, number=2)
    shortlisted = [row.entry for row in ShortlistEntry.objects.current()
                   .filter(round=second).select_related("entry__practice")
                   .order_by("entry__practice__title_en")]
    for entry in shortlisted:
        _sheet(entry, users["chair"], second, criterion, 8)
        _sheet(entry, users["juror2"], second, criterion, 8)
        _sheet(entry, users["late"], second, criterion, 7, status=SheetStatus.DRAFT)
    closed = timezone.now() - dt.timedelta(hours=1)
    JudgingRound.objects.filter(pk=second.pk).update(review_close_at=closed)
    type(edition).objects.filter(pk=edition.pk).update(review_close_at=closed,
                                                       phase=Phase.RANKED)
    run = RankingRunFactory(edition=edition, round=second)
    for rank, (entry, place, flags) in enumerate(
            ((shortlisted[0], 1, ["indistinguishable"]),
             (shortlisted[1], 2, ["indistinguishable"]), (shortlisted[2], None, [])),
            start=1):
        RankingResultFactory(run=run, entry=entry, area=area, rank=rank, place=place,
                             total=8.2 - rank / 10, flags=flags)
    return run


def _chair_shortlists(page, live_server, area, entries):
    """Between the rounds, the area's chair opens round 1's panel and shortlists the area
    for round 2 on the shortlist page: round 1's top three, by the rule (audited: by them)."""
    sign_in(page, live_server, "chair", PASSWORD)
    page.goto(f"{live_server.url}/jury/panels/{area.pk}/?round=1")
    page.get_by_role("link", name="Shortlist for Round 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shortlist for Round 2")
    page.get_by_label("Rule").select_option(value="top_n")
    page.get_by_label("N", exact=True).fill("3")
    page.get_by_role("button", name="Apply the rule").click()
    expect(page.get_by_text("The shortlist is saved.")).to_be_visible()
    for entry in entries[:3]:
        expect(page.locator(f'tr[data-entry="{entry.pk}"]')).to_contain_text("Top 3 of run")
    expect(page.locator(f'tr[data-entry="{entries[3].pk}"]')).to_have_count(0)
    assert list(ShortlistEntry.objects.current().filter(by__username="chair")
                .order_by("entry_id").values_list("entry_id", flat=True)) == sorted(
        e.pk for e in entries[:3])
    page.context.clear_cookies()


def test_panel_decision_and_publication(page, live_server):
    edition, area, entries, criterion = _two_round_edition()
    panel_url = f"{live_server.url}/jury/panels/{area.pk}/?round=2"
    _chair_shortlists(page, live_server, area, entries)
    run = _round_two_scored_and_closed(edition, area, criterion)


    # The juror who left a round-2 draft sees no one's sheets.
    sign_in(page, live_server, "late", PASSWORD)
    page.goto(f"{live_server.url}/jury/panels/")
    expect(page.locator(f'[data-panel-link="{area.pk}-2"]')).to_contain_text(
        "Submit all your own sheets of the area first.")
    response = page.goto(panel_url)
    assert response.status == 404
    expect(page.get_by_text("juror2 on Practice 1")).to_have_count(0)
    page.context.clear_cookies()

    # A juror who submitted sees the round's sheets, anonymised, and comments.
    sign_in(page, live_server, "juror2", PASSWORD)
    page.goto(panel_url)
    expect(page.get_by_text("chair on Practice 1")).to_have_count(1)
    expect(page.get_by_text("Chairova")).to_have_count(0)
    expect(page.locator(f"#entry-{entries[3].pk}")).to_have_count(0)  # not shortlisted
    page.get_by_label("Your comment to the panel").first.fill("Practice 2 lasts longer.")
    page.get_by_role("button", name="Post to the panel").first.click()
    expect(page.get_by_text("Practice 2 lasts longer.")).to_be_visible()
    page.context.clear_cookies()

    # The chair swaps the indistinguishable places 1 and 2, with justifications.
    sign_in(page, live_server, "chair", PASSWORD)
    page.goto(panel_url)
    page.get_by_role("link", name="The area's decision").click()
    first, second, _third = entries[:3]
    expect(page.locator("tr[data-needs-justification]")).to_have_count(2)
    expect(page.locator(f'tr[data-entry="{first.pk}"]')).to_contain_text(
        "Statistically indistinguishable from a neighbour")
    page.locator(f"#place-{first.pk}").fill("2")
    page.locator(f"#justification-{first.pk}").fill("A close second.")
    page.locator(f"#place-{second.pk}").fill("1")
    page.locator(f"#justification-{second.pk}").fill("Its results last longer.")
    page.get_by_label("Public justification").fill("The jury preferred lasting results.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("[data-decision-status]")).to_contain_text(
        "departs from the computed ranking")
    for username, position in (("chair", "Agrees"), ("juror2", "Agrees"),
                               ("late", "Dissents")):
        member = page.locator("li", has=page.locator(f'[data-member="{username}"]'))
        member.get_by_label("Position").select_option(label=position)
        member.get_by_role("button", name="Record position").click()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-decision-status]")).to_have_attribute(
        "data-decision-status", "recorded")
    page.context.clear_cookies()

    # Published, the public page shows the decision, its justification and the computed
    # ranking beside it.
    ranking_run_publish(run=run, by=None, notify=False)
    page.goto(f"{live_server.url}/showcase/{edition.slug}/")
    decision = page.locator(f'[data-decision="{area.pk}"]')
    expect(decision).to_contain_text("The jury's decision")
    expect(decision).to_contain_text("The jury preferred lasting results.")
    expect(decision).to_contain_text("Its results last longer.")
    expect(decision.locator(".place-1")).to_contain_text("Practice 2")
    expect(decision.locator(".place-1")).to_contain_text("Computed place: 2")
    expect(page.get_by_role("heading", name="Computed ranking")).to_be_visible()
