"""The invited juror's journey in the browser: signing in with the invited address, a list
that offers only what can be done now (no entry found not eligible, no "Score" on a
submitted sheet, no conflict declaration on a locked one), finished editions on one line,
and a way back from a page they may not open."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competitions.enums import Phase
from practices.enums import EntryStatus
from scoring.enums import SheetStatus
from scoring.models import JurySheet
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    ThematicAreaFactory,
)
from tests.scoring.factories_jury import ReviewEditionFactory


@pytest.fixture
def journey(demo_jury):
    entry, criteria, juror = demo_jury
    juror.email = "demo.juror@example.org"
    juror.save()
    turned_away = EntryFactory(area=entry.area, status=EntryStatus.INELIGIBLE,
                               practice__title_en="Found not eligible")
    AssignmentFactory(entry=turned_away, juror=juror)
    submitted = EntryFactory(area=entry.area, practice__title_en="Already scored")
    AssignmentFactory(entry=submitted, juror=juror)
    JurySheet.objects.create(entry=submitted, juror=juror, status=SheetStatus.SUBMITTED,
                             submitted_at=timezone.now() - dt.timedelta(hours=2))
    now = timezone.now()
    past = ReviewEditionFactory(
        phase=Phase.RANKED, title_en="Best practices 2024",
        submissions_open_at=now - dt.timedelta(days=400),
        submissions_close_at=now - dt.timedelta(days=370),
        review_open_at=now - dt.timedelta(days=360),
        review_close_at=now - dt.timedelta(days=340))
    JuryMemberFactory(edition=past, user=juror)
    old = EntryFactory(area=ThematicAreaFactory(edition=past),
                       practice__title_en="An old practice")
    AssignmentFactory(entry=old, juror=juror)
    JurySheet.objects.create(entry=old, juror=juror, status=SheetStatus.SUBMITTED,
                             submitted_at=now - dt.timedelta(days=350))
    return entry, submitted, turned_away, old


@pytest.mark.django_db(transaction=True)
def test_invited_juror_signs_in_by_address_and_sees_only_what_can_be_done(
        page, live_server, journey):
    entry, submitted, turned_away, old = journey
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("E-mail address or user name")).to_be_visible()
    sign_in(page, live_server, "Demo.Juror@example.org", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/jury/")

    current = page.locator("section[data-edition]")
    expect(current).to_have_count(1)
    expect(current.get_by_role("link", name="Street lights in every village")).to_be_visible()
    expect(page.get_by_text("Found not eligible")).to_have_count(0)
    expect(page.get_by_text("An old practice")).to_have_count(0)
    row = page.locator(f"tr[data-entry='{entry.pk}']")
    expect(row.get_by_role("link", name="Score", exact=True)).to_be_visible()
    done = page.locator(f"tr[data-entry='{submitted.pk}']")
    expect(done).to_contain_text("Submitted on")
    expect(done.get_by_role("link", name="Score", exact=True)).to_have_count(0)

    # the submitted sheet is locked: reopen, or nothing; no conflict declaration
    done.get_by_role("link", name="View sheet").click()
    expect(page.get_by_role("button", name="Reopen to change it")).to_be_visible()
    expect(page.get_by_role("link", name="I have a conflict of interest with this entry")
           ).to_have_count(0)

    # the finished edition: one line, and its own list
    page.goto(f"{live_server.url}/jury/")
    page.get_by_role("link", name="Best practices 2024").click()
    expect(page.get_by_role("link", name="An old practice")).to_be_visible()
    expect(page.locator(f"tr[data-entry='{old.pk}']")).to_contain_text("Submitted on")

    # a page the juror may not open leads back to their own dashboard
    page.goto(f"{live_server.url}/organiser/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    page.get_by_role("link", name="Go to your dashboard").click()
    page.wait_for_url(f"{live_server.url}/jury/")


@pytest.mark.django_db(transaction=True)
def test_before_the_review_opens_the_juror_reads_when_scoring_opens_in_bulgarian(
        page, live_server, demo_jury):
    entry, _criteria, juror = demo_jury
    edition = entry.edition
    edition.phase = Phase.OPEN
    edition.review_open_at = timezone.now() + dt.timedelta(days=3)
    edition.save()
    sign_in(page, live_server, "juror", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/jury/")
    page.context.add_cookies([{"name": "django_language", "value": "bg",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/jury/")
    opens = edition.local(edition.review_open_at).strftime("%d.%m.%Y %H:%M")
    row = page.locator(f"tr[data-entry='{entry.pk}']")
    expect(row).to_contain_text(f"Оценяването започва на {opens}")
    expect(row.get_by_role("link")).to_have_count(1)  # the entry to read; nothing to score
