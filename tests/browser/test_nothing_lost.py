"""Nothing lost, nothing doubled in a real browser: the back button after submitting, a
second tab with a stale form. Every outcome is checked in the database as well as on the
page. (The live server's database may be SQLite, which takes one writer at a time: each
step waits for the page's answer before the next one.)"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from competitions.models import ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry, Practice
from scoring.enums import SheetStatus
from scoring.models import JurySheet, SheetScore
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from tests.factories import PASSWORD, EntryFactory
from tests.practices.factories_practices import CompletePracticeFactory

pytestmark = pytest.mark.django_db(transaction=True)

STALE_PRACTICE = ("This practice was changed in another tab or by someone else since you "
                  "opened it, so nothing was saved.")
LOCKED_SHEET = ("Not saved: This sheet is submitted and locked: reopen it to change it. "
                "The sheet is shown as it is now.")


@pytest.fixture
def page(browser_type, browser_type_launch_args, browser_context_args):
    """A page of a chromium with its back-forward cache on, as in people's browsers
    (Playwright turns it off): the back button may bring a page back from memory instead
    of asking the server again."""
    browser = browser_type.launch(**browser_type_launch_args,
                                  ignore_default_args=["--disable-back-forward-cache"])
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()
    browser.close()


@pytest.fixture
def draft_entry(demo_officer):
    """A complete practice of the demo officer's municipality, entered as a draft."""
    practice = CompletePracticeFactory(municipality=demo_officer.municipality,
                                       title_en="Street lights in every village")
    return EntryFactory(practice=practice, status=EntryStatus.DRAFT,
                        area=ThematicArea.objects.get(edition__slug="demo-open", code="I"))


def _submissions(entry: Entry) -> int:
    return entry.history.filter(status=EntryStatus.SUBMITTED).count()


def test_officer_back_button_after_submitting_never_submits_twice(
        page, live_server, demo_officer, draft_entry):
    entry = draft_entry
    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/officer/practices/{entry.practice_id}/")
    page.get_by_role("link", name="Submit", exact=True).click()
    confirm_url = page.url
    # The same confirmation, opened in a second tab before submitting: a stale form.
    other_tab = page.context.new_page()
    other_tab.goto(confirm_url)

    page.get_by_role("button", name="Yes, submit").click()
    expect(page.get_by_text("The entry is submitted.")).to_be_visible()
    entry.refresh_from_db()
    submitted_at = entry.submitted_at
    assert (entry.status, _submissions(entry)) == (EntryStatus.SUBMITTED, 1)

    # Back to the confirmation: asked again, it says the entry is submitted and offers no
    # button to submit it twice.
    page.go_back(wait_until="commit")
    expect(page.locator("[data-already]")).to_have_text("This entry is already submitted.")
    expect(page.get_by_role("button", name="Yes, submit")).to_have_count(0)

    # The stale tab submits anyway: refused with a clear message, not a server error.
    with other_tab.expect_response(lambda response: response.request.method == "POST") as sent:
        other_tab.get_by_role("button", name="Yes, submit").click()
    assert sent.value.status == 400
    expect(other_tab.get_by_role("alert")).to_have_text("This entry is already submitted.")
    expect(other_tab.get_by_role("button", name="Yes, submit")).to_have_count(0)

    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at, _submissions(entry)) == (
        EntryStatus.SUBMITTED, submitted_at, 1)
    assert [message.subject for message in mail.outbox] == [
        f"Entry submitted: {entry.practice.title_en} (area I)"]


def test_officer_editing_a_practice_in_two_tabs_is_told_and_loses_nothing(
        page, live_server, demo_officer, draft_entry):
    practice = draft_entry.practice
    results_before = practice.results
    sign_in(page, live_server, "officer", PASSWORD)
    edit_url = f"{live_server.url}/officer/practices/{practice.pk}/edit/"
    page.goto(edit_url)
    other_tab = page.context.new_page()
    other_tab.goto(edit_url)

    page.fill("input[name=title]", "Светлина във всяко село")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The practice is saved.")).to_be_visible()

    # The second tab still shows the title as it was, and changes another section.
    other_tab.fill("textarea[name=results]", "120 villages lit.")
    with other_tab.expect_response(lambda response: response.request.method == "POST") as sent:
        other_tab.get_by_role("button", name="Save draft").click()
    assert sent.value.status == 409
    expect(other_tab.get_by_text(STALE_PRACTICE)).to_be_visible()
    # Its own change is still in the form, and the first tab's title is taken over.
    expect(other_tab.locator("textarea[name=results]")).to_have_value("120 villages lit.")
    expect(other_tab.locator("input[name=title]")).to_have_value("Светлина във всяко село")
    practice.refresh_from_db()
    assert (practice.title, practice.results) == ("Светлина във всяко село", results_before)

    other_tab.get_by_role("button", name="Save draft").click()
    expect(other_tab.get_by_text("The practice is saved.")).to_be_visible()
    practice = Practice.objects.get(pk=practice.pk)
    assert (practice.title, practice.results) == ("Светлина във всяко село", "120 villages lit.")


def _autosaved(page, action, status: int = 200) -> None:
    """Do something on the sheet and wait for its autosave to be answered."""
    with page.expect_response(lambda response: "/autosave/" in response.url) as answer:
        action()
    assert answer.value.status == status


def _open_sheet(page, url: str) -> None:
    page.goto(url)
    # htmx binds the autosave once the scripts at the end of the page have run.
    page.wait_for_load_state("load")


def test_juror_stale_tab_cannot_change_a_sheet_submitted_in_another_tab(
        page, live_server, demo_jury):
    entry, (relevance, innovation), juror = demo_jury
    sign_in(page, live_server, "juror", DEMO_PASSWORD)
    sheet_url = f"{live_server.url}/jury/entries/{entry.pk}/sheet/"
    _open_sheet(page, sheet_url)
    _autosaved(page, lambda: page.get_by_label("Score for “Relevance and impact”")
               .select_option("8"))

    other_tab = page.context.new_page()
    _open_sheet(other_tab, sheet_url)
    expect(other_tab.get_by_label("Score for “Relevance and impact”")).to_have_value("8")
    _autosaved(other_tab, lambda: other_tab.get_by_label("Score for “Innovativeness”")
               .select_option("6"))
    other_tab.get_by_role("button", name="Submit the sheet").click()
    expect(other_tab.locator(f"[data-entry='{entry.pk}'][data-progress=submitted]")
           ).to_be_visible()
    sheet = JurySheet.objects.get(entry=entry, juror=juror)
    submitted = {relevance.pk: 8, innovation.pk: 6}
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == submitted
    score_records = SheetScore.history.filter(sheet_id=sheet.pk).count()

    # The first tab still shows an editable sheet; its autosave is refused, and the page
    # reloads to show the sheet as it is, locked, saying why.
    _autosaved(page, lambda: page.get_by_label("Score for “Relevance and impact”")
               .select_option("3"))
    expect(page.get_by_text(LOCKED_SHEET)).to_be_visible()
    expect(page.locator("h1[data-sheet-status]")).to_have_attribute(
        "data-sheet-status", "submitted")
    expect(page.get_by_label("Score for “Relevance and impact”")).to_be_disabled()
    expect(page.get_by_label("Score for “Relevance and impact”")).to_have_value("8")

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == submitted
    assert SheetScore.history.filter(sheet_id=sheet.pk).count() == score_records
    assert JurySheet.history.filter(id=sheet.pk, status=SheetStatus.SUBMITTED).count() == 1


def test_juror_back_button_after_submitting_shows_the_sheet_locked(
        page, live_server, demo_jury):
    entry, (relevance, innovation), juror = demo_jury
    sign_in(page, live_server, "juror", DEMO_PASSWORD)
    _open_sheet(page, f"{live_server.url}/jury/entries/{entry.pk}/sheet/")
    _autosaved(page, lambda: page.get_by_label("Score for “Relevance and impact”")
               .select_option("8"))
    _autosaved(page, lambda: page.get_by_label("Score for “Innovativeness”").select_option("6"))
    page.get_by_role("button", name="Submit the sheet").click()
    expect(page.locator(f"[data-entry='{entry.pk}'][data-progress=submitted]")).to_be_visible()
    sheet = JurySheet.objects.get(entry=entry, juror=juror)
    submitted_at = sheet.submitted_at

    page.go_back(wait_until="commit")
    # The sheet as it is now: submitted, every field locked, the way back is to reopen it.
    expect(page.locator("h1[data-sheet-status]")).to_have_attribute(
        "data-sheet-status", "submitted")
    expect(page.get_by_label("Score for “Relevance and impact”")).to_be_disabled()
    expect(page.get_by_label("Score for “Relevance and impact”")).to_have_value("8")
    expect(page.get_by_role("button", name="Submit the sheet")).to_have_count(0)
    expect(page.get_by_role("button", name="Reopen to change it")).to_be_visible()

    sheet.refresh_from_db()
    assert (sheet.status, sheet.submitted_at) == (SheetStatus.SUBMITTED, submitted_at)
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {
        relevance.pk: 8, innovation.pk: 6}
    assert JurySheet.history.filter(id=sheet.pk, status=SheetStatus.SUBMITTED).count() == 1
