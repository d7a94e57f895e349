"""The demo officer submits a practice with a photo, end to end, in a real browser."""

import pytest

from competitions.models import Edition
from practices.enums import EntryStatus
from practices.models import Entry, Photo
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.practices.factories_practices import png_bytes


@pytest.mark.django_db(transaction=True)
def test_officer_submits_practice_with_photo(page, live_server, demo_officer, tmp_path):
    photo = tmp_path / "hall.png"
    photo.write_bytes(png_bytes(40, 30))
    window_last_day = Edition.objects.get(slug="demo-open").eligibility_window[1]

    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/officer/")
    assert page.locator("h1[data-dashboard=officer]").inner_text() == "Tundzha"
    page.get_by_role("link", name="New practice").click()

    page.fill("input[name=title]", "Електронни услуги")
    page.fill("input[name=title_en]", "E-services")
    page.fill("textarea[name=summary]", "Услуги онлайн.")
    page.fill("textarea[name=problem]", "Опашки на гишетата.")
    page.fill("textarea[name=actions]", "Портал за е-услуги.")
    page.fill("textarea[name=results]", "40% от заявленията онлайн.")
    page.fill("input[name=implemented_on]", window_last_day.isoformat())
    page.fill("input[name=contact_name]", "Мария Иванова")
    page.fill("input[name=contact_email]", "maria@example.org")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("The practice is saved as a draft.").wait_for()

    page.set_input_files("input[name=image]", str(photo))
    page.fill("input[name=caption]", "Новата зала")
    page.get_by_role("button", name="Upload photo").click()
    page.get_by_text("The photo is added.").wait_for()
    # the photo is served and decodes (waiting for it to load: on a busy machine it may not
    # have arrived when the page says it is added)
    assert page.locator("figure[data-photo] img").evaluate(
        "img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(resolve => {"
        " img.addEventListener('load', () => resolve(img.naturalWidth));"
        " img.addEventListener('error', () => resolve(0)); })") == 40

    page.get_by_role("link", name="Enter into a thematic area").click()
    page.get_by_label("Thematic area").select_option(label="Demo edition: I. Good governance")
    page.get_by_role("button", name="Enter", exact=True).click()
    page.get_by_role("link", name="Submit", exact=True).click()
    page.get_by_role("button", name="Yes, submit").click()
    page.get_by_text("The entry is submitted.").wait_for()

    entry = Entry.objects.get()
    assert (entry.status, entry.submitted_by_id) == (EntryStatus.SUBMITTED, demo_officer.pk)
    assert Photo.objects.filter(practice=entry.practice).count() == 1
    page.goto(f"{live_server.url}/officer/")
    assert page.locator(f"[data-entry='{entry.pk}'] [data-status]").inner_text() == "Submitted"
