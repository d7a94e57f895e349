"""What the officer sees (issue 12, "Officers"), in a real browser: the award on the
dashboard, the practice read back, pages that offer only what is possible now, the form's
languages, counters and autosave, and the registration's type-ahead."""

import datetime as dt

import pytest
from django.utils import timezone

from competitions.enums import Phase
from practices.enums import EntryStatus
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, EditionFactory, EntryFactory, ThematicAreaFactory
from tests.portal.factories_showcase import PublishedRunFactory, RankingResultFactory
from tests.practices.factories_practices import CompletePracticeFactory


@pytest.mark.django_db(transaction=True)
def test_officer_sees_award_read_view_and_only_possible_actions(page, live_server,
                                                                 demo_officer):
    won = CompletePracticeFactory(municipality=demo_officer.municipality,
                                  title_en="With Tundzha at Heart", actions="Нови маршрути.")
    run = PublishedRunFactory()
    entry = EntryFactory(practice=won, area=ThematicAreaFactory(edition=run.edition),
                         status=EntryStatus.ELIGIBLE)
    RankingResultFactory(run=run, entry=entry, place=1, rank=1)
    now = timezone.now()
    closed = EditionFactory(phase=Phase.REVIEW, submissions_open_at=now - dt.timedelta(days=30),
                            submissions_close_at=now - dt.timedelta(days=1),
                            review_open_at=now - dt.timedelta(hours=2),
                            review_close_at=now + dt.timedelta(days=9))
    late = EntryFactory(practice=won, area=ThematicAreaFactory(edition=closed),
                        status=EntryStatus.SUBMITTED)

    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/officer/")
    result = page.locator(f"[data-entry='{entry.pk}'] [data-result]")
    assert result.locator(".badge").inner_text().strip() == "Place 1"
    result.get_by_role("link", name="See the published results").click()
    page.wait_for_url(f"**/practices/{won.pk}/")
    assert page.locator("h1").first.inner_text().strip() == "With Tundzha at Heart"

    page.goto(f"{live_server.url}/officer/practices/{won.pk}/")
    read = page.locator("[data-read-view]")
    assert read.locator("[data-field=actions]").inner_text() == "Нови маршрути."
    assert page.get_by_role("link", name="Edit the practice").count() == 0  # locked now
    assert page.get_by_role("link", name="Withdraw").count() == 0

    page.goto(f"{live_server.url}/officer/entries/{late.pk}/withdraw/")
    assert page.get_by_role("button", name="Yes, withdraw").count() == 0
    assert "can no longer be withdrawn" in page.locator("[data-not-possible]").inner_text()
    page.goto(f"{live_server.url}/officer/practices/{won.pk}/edit/")
    assert page.get_by_role("button", name="Save draft").count() == 0


@pytest.mark.django_db(transaction=True)
def test_officer_practice_form_names_languages_counts_and_autosaves(page, live_server,
                                                                    demo_officer):
    practice = CompletePracticeFactory(municipality=demo_officer.municipality,
                                       summary="Старо резюме.")
    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/officer/practices/{practice.pk}/edit/")
    assert page.get_by_label("Title (in Bulgarian)").get_attribute("lang") == "bg"
    assert page.get_by_label("Summary (in English)").get_attribute("lang") == "en"
    page.get_by_role("link", name="The criteria of Demo edition").wait_for()

    summary = page.get_by_label("Summary (in Bulgarian)")
    summary.fill("Ново резюме")
    assert page.locator("[data-counter-for=summary]").inner_text() == "11 of 2000 characters"
    status = page.locator("#autosave-status")
    status.get_by_text("Saved at").wait_for(timeout=10000)
    practice.refresh_from_db()
    assert practice.summary == "Ново резюме"

    # The version moved on with the autosave: the button's save is not taken for stale.
    page.get_by_label("Title (in English)").fill("Renamed")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("The practice is saved.").wait_for()
    practice.refresh_from_db()
    assert (practice.title_en, practice.summary) == ("Renamed", "Ново резюме")


@pytest.mark.django_db(transaction=True)
def test_registration_finds_a_municipality_by_typing(page, live_server, demo_officer):
    from tests.factories import MunicipalityFactory

    for name, name_en in (("Ямбол", "Yambol"), ("Добрич", "Dobrich"), ("Бургас", "Burgas")):
        MunicipalityFactory(name=name, name_en=name_en)
    page.goto(f"{live_server.url}/accounts/register/")
    page.get_by_label("Find your municipality: type part of its name").fill("tundz")
    page.get_by_text("Matching municipalities: 1").wait_for()
    select = page.locator("select[name=municipality]")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "Tundzha (Yambol)"
    assert select.evaluate("s => s.options.length") == 1
    page.get_by_label("Find your municipality: type part of its name").fill("")
    assert select.evaluate("s => s.options.length") == 5  # the empty choice and all four
    assert select.evaluate("s => Array.from(s.options).slice(1).map(o => o.text)") == [
        "Burgas (Yambol)", "Dobrich (Yambol)", "Tundzha (Yambol)", "Yambol (Yambol)"]
