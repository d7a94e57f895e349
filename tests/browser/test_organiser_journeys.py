"""The organiser's journeys as they are seen: deciding eligibility on the whole entry,
assigning the jury, publishing results, the edition's set-up in the admin."""

import pytest
from playwright.sync_api import expect

from practices.enums import EntryStatus
from scoring.models import Assignment
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from tests.factories import (
    PASSWORD,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    OfficerFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.practices.factories_practices import (
    AttachmentFactory,
    CompletePracticeFactory,
    PhotoFactory,
)
from tests.scoring.factories_jury import ReviewEditionFactory
from tests.scoring.factories_ranking import competition

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_organiser_decides_eligibility_reading_the_whole_entry(page, live_server, settings,
                                                               tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    practice = CompletePracticeFactory(title_en="Street lights in every village",
                                       partners="Читалище „Светлина“")
    PhotoFactory(practice=practice, caption="Новата улица", alt_text="Новата улица нощем")
    AttachmentFactory(practice=practice, title="Отчет")
    entry = EntryFactory(practice=practice, status=EntryStatus.SUBMITTED)
    organiser = OrganiserFactory()
    sign_in(page, live_server, organiser.username, PASSWORD)
    page.goto(f"{live_server.url}/organiser/entries/entry/{entry.pk}/")
    for text in ("Проблемът.", "Какво беше направено.", "Резултати и числа.",
                 "Читалище „Светлина“"):
        expect(page.get_by_text(text)).to_be_visible()
    photo = page.get_by_role("img", name="Новата улица нощем")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.naturalWidth") == 8  # the file is served to them
    expect(page.get_by_role("link", name="Отчет")).to_be_visible()

    eligible = page.get_by_role("radio", name="Eligible", exact=True)
    not_eligible = page.get_by_role("radio", name="Not eligible")
    expect(eligible).not_to_be_checked()
    expect(not_eligible).not_to_be_checked()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Choose a decision: eligible or not eligible.")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED

    page.get_by_role("radio", name="Eligible", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("The eligibility decision is saved.")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ELIGIBLE


@pytest.mark.django_db(transaction=True)
def test_organiser_is_told_the_minimum_of_sheets_and_offered_only_assignable_entries(
        page, live_server):
    edition = ReviewEditionFactory(min_sheets_per_entry=3)
    area = ThematicAreaFactory(edition=edition)
    for name in ("Ана", "Борис", "Вера"):
        JuryMemberFactory(edition=edition, user=UserFactory(first_name=name, last_name="Журова"))
    EntryFactory(area=area, status=EntryStatus.SUBMITTED,
                 practice__title_en="Street lights in every village")
    EntryFactory(area=area, status=EntryStatus.DRAFT, practice__title_en="A draft not sent")
    organiser = OrganiserFactory()
    sign_in(page, live_server, organiser.username, PASSWORD)
    page.goto(f"{live_server.url}/organiser/jury/{edition.slug}/assignments/")

    options = page.get_by_label("Entry").locator("option").all_inner_texts()
    assert any("Street lights in every village" in option for option in options)
    assert not any("A draft not sent" in option for option in options)

    per_entry = page.get_by_label("Jurors per entry")
    expect(per_entry).to_have_value("3")
    expect(page.get_by_text("At least 3: an entry with fewer sheets is not ranked.")
           ).to_be_visible()
    per_entry.fill("2")
    page.get_by_role("button", name="Assign").first.click()
    expect(page.get_by_text("Each entry needs at least 3 sheets to be ranked; with 2 jurors "
                            "per entry none will be ranked. Choose at least 3.")).to_be_visible()
    assert Assignment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_edition_admin_with_its_criteria_fits_the_screen(page, live_server, width, height):
    # open: its set-up is still editable (from review on the inline is read-only)
    edition = EditionFactory(title="Добри практики 2026")
    for order, (title, title_en) in enumerate([
            ("Значимост и въздействие", "Relevance and impact"),
            ("Публичност и прозрачност", "Publicity and transparency"),
            ("Иновативност", "Innovativeness"),
            ("Устойчивост", "Sustainability")], start=1):
        CriterionFactory(edition=edition, order=order, title=title, title_en=title_en,
                         guidance="Какво се промени за гражданите? " * 8,
                         guidance_en="What changed for the citizens? " * 8)
    ThematicAreaFactory(edition=edition, title="Добро управление", title_en="Good governance")
    organiser = OrganiserFactory()
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, organiser.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/competitions/edition/{edition.pk}/change/")
    expect(page.get_by_role("heading", name="Criteria")).to_be_visible()
    guidance = page.locator("#id_criteria-0-guidance")
    expect(guidance).to_be_visible()
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert (width, scroll <= client) == (width, True)
    # Every field of every criterion lies inside the criteria's box, none cut off.
    outside = page.evaluate("""() => {
        const group = document.querySelector('#criteria-group').getBoundingClientRect();
        return [...document.querySelectorAll('#criteria-group input:not([type=hidden]), '
                                             + '#criteria-group textarea')]
            .filter(field => field.offsetParent !== null)  // not the hidden empty form
            .filter(field => { const box = field.getBoundingClientRect();
                               return box.left < group.left || box.right > group.right + 0.5; })
            .map(field => field.name); }""")
    assert (width, outside) == (width, [])


@pytest.mark.django_db(transaction=True)
def test_organiser_publishing_again_is_told_no_e_mail_goes_out(page, live_server, mailoutbox):
    game = competition(language="en")
    officer = OfficerFactory(municipality=game.entries[0].practice.municipality)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    organiser = OrganiserFactory()
    sign_in(page, live_server, organiser.username, PASSWORD)
    publish = f"{live_server.url}/organiser/results/{game.edition.slug}/runs/{run.pk}/publish/"
    page.goto(publish)
    expect(page.get_by_text("This is the first publication of the edition's results")
           ).to_be_visible()
    page.get_by_label("I have checked this run: publish its places.").check()
    page.get_by_role("button", name="Publish these results").click()
    expect(page.get_by_text(f"Run #{run.pk} is published.")).to_be_visible()
    assert [m.to for m in mailoutbox] == [[officer.email]]

    page.goto(f"{live_server.url}/organiser/results/{game.edition.slug}/runs/{run.pk}/unpublish/")
    expect(page.get_by_text("The officers who were told the results receive an e-mail")
           ).to_be_visible()
    page.get_by_label("Why are the results withdrawn?").fill("A sheet was entered twice.")
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text(f"Run #{run.pk} is no longer published.")).to_be_visible()
    assert [m.subject for m in mailoutbox][1:] == [
        f"Results withdrawn for review: {game.edition.display_title}"]

    page.goto(publish)
    expect(page.get_by_text("The places are those the officers were last told: no e-mail is "
                            "sent.")).to_be_visible()
    page.get_by_label("I have checked this run: publish its places.").check()
    page.get_by_role("button", name="Publish these results").click()
    expect(page.get_by_text(f"Run #{run.pk} is published.")).to_be_visible()
    assert len(mailoutbox) == 2
    expect(page.locator('[data-list="events"] li').first).to_contain_text(
        "officers: no e-mail: the places they were told stand")
