"""The demo juror scores an entry in the browser, leaves mid-way, comes back to the draft and
submits it."""

import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from scoring.enums import SheetStatus
from scoring.models import JurySheet
from tests.browser.conftest import DEMO_PASSWORD, sign_in


def _wait_for(condition, seconds: float = 10) -> None:
    """Poll the database until the page's last request has landed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError:  # the server thread is writing right now
            pass
        time.sleep(0.1)
    raise AssertionError("the draft sent on closing the page never arrived")


@pytest.mark.django_db(transaction=True)
def test_juror_scores_leaves_mid_way_finds_the_draft_and_submits(page, live_server, demo_jury):
    entry, (relevance, innovation), juror = demo_jury
    sign_in(page, live_server, "juror", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/jury/")
    expect(page.locator("[data-dashboard=juror]")).to_be_visible()
    page.get_by_role("link", name="Score").click()
    expect(page.get_by_text("What changed for the citizens?")).to_be_visible()
    # The text shows as soon as the HTML is parsed; htmx binds the autosave only once the
    # scripts at the end of the page have run.
    page.wait_for_load_state("load")

    def autosaved(action):
        """Do something on the sheet and wait for its autosave to be answered. (The test
        database is SQLite in memory, which cannot take two writers at once.)"""
        with page.expect_response(lambda response: "/autosave/" in response.url) as answer:
            action()
        assert answer.value.status == 200
        return answer.value.request.post_data

    # Each field saves alone, so two open tabs never overwrite each other's other fields.
    sent = autosaved(
        lambda: page.get_by_label("Score for “Relevance and impact”").select_option("8"))
    assert sent == f"score-{relevance.pk}=8"
    comment = page.locator(f"#id_comment-{relevance.pk}")
    autosaved(lambda: (comment.fill("Every village got lights."), comment.blur()))
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    # The last words are typed and the page is closed at once, before the typing pause that
    # triggers the autosave: the page sends them as it goes away.
    page.locator("#id_overall_comment").press_sequentially("A model for small towns")
    page.close(run_before_unload=True)
    _wait_for(lambda: JurySheet.objects.filter(
        entry=entry, juror=juror, overall_comment="A model for small towns").exists())

    page = page.context.new_page()
    page.goto(f"{live_server.url}/jury/entries/{entry.pk}/sheet/")
    expect(page.get_by_label("Score for “Relevance and impact”")).to_have_value("8")
    expect(page.locator(f"#id_comment-{relevance.pk}")).to_have_value(
        "Every village got lights.")
    expect(page.locator("#id_overall_comment")).to_have_value("A model for small towns")

    autosaved(lambda: page.get_by_label("Score for “Innovativeness”").select_option("6"))
    page.get_by_role("button", name="Submit the sheet").click()
    expect(page.locator(f"[data-entry='{entry.pk}'][data-progress=submitted]")).to_be_visible()

    sheet = JurySheet.objects.get(entry=entry, juror=juror)
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {
        relevance.pk: 8, innovation.pk: 6}
    assert sheet.overall_comment == "A model for small towns"
