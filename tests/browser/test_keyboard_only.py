"""An officer submits a practice and a juror scores a sheet with the keyboard alone (issue 17,
WCAG 2.1.1 Keyboard and 2.4.7 Focus Visible).

No mouse: after the first page is opened by its address, every step is a key press
(Tab, Shift+Tab, Enter, Space, arrows, typing) through `page.keyboard`; no element is
clicked, filled or selected by Playwright. The tests read the page (which element has the
focus, what it shows) only to decide which key to press next, as a keyboard user looks at
the screen, and check at every stop that the focus can be seen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from competitions.models import Edition
from practices.enums import EntryStatus
from practices.models import Entry
from scoring.enums import SheetStatus
from scoring.models import JurySheet
from tests.browser.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD

# Whether the focused element shows where the focus is: an outline, or Bootstrap's focus ring
# (a box shadow that is not transparent). The pages run with reduced motion, so the ring is
# there at once rather than after Bootstrap's transition. A date field has one stop of its
# own past its parts, the browser's calendar button, which the browser draws itself.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return false; }
  if (element.type === 'date' && !element.matches(':focus')) { return true; }
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !style.outlineColor.endsWith(', 0)');
  const ring = style.boxShadow !== 'none' && !/^rgba\\([^)]*, 0\\)/.test(style.boxShadow);
  return outline || ring;
}"""
FOCUSED_MATCHES = "(s) => !!document.activeElement && document.activeElement.matches(s)"
FOCUSED = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''"


@pytest.fixture
def page(page):
    page.emulate_media(reduced_motion="reduce")
    return page


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab) until the focus is on `selector`; every stop must show it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("() => document.activeElement !== document.body"):
            assert page.evaluate(FOCUS_SHOWN), f"focus not visible on {page.evaluate(FOCUSED)}"
        if page.evaluate(FOCUSED_MATCHES, selector):
            return
    raise AssertionError(f"{key} never reaches {selector} on {page.url}")


def press_and_wait(page, selector: str, key: str = "Enter", *, backwards: bool = False) -> None:
    """Move the focus to a link or a button and press it; wait for the next page."""
    tab_to(page, selector, backwards=backwards)
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def type_into(page, selector: str, text: str, *, backwards: bool = False) -> None:
    tab_to(page, selector, backwards=backwards)
    page.keyboard.type(text)


def sign_in_by_keyboard(page, live_server, username: str, password: str) -> None:
    """From the home page: the navigation's "Sign in", the two fields, Enter."""
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    press_and_wait(page, "a.nav-link[href='/accounts/login/']")
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True)
def test_skip_link_is_the_first_stop_and_moves_the_focus_to_the_main_content(page, live_server):
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # the next Tab lands inside the main content, past the navigation
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.django_db(transaction=True)
def test_focus_check_sees_a_focus_that_is_not_shown(page, live_server):
    """The check can fail: with every outline and ring removed, the focus is not seen."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")
    tab_to(page, "#id_username")
    assert page.evaluate(FOCUS_SHOWN)
    page.add_style_tag(content="*:focus { outline: none !important; box-shadow: none !important; }")
    assert not page.evaluate(FOCUS_SHOWN)


@pytest.mark.django_db(transaction=True)
def test_officer_submits_a_practice_with_the_keyboard_alone(page, live_server, demo_officer):
    first_day, last_day = Edition.objects.get(slug="demo-open").eligibility_window
    # a date field takes its parts as typed digits in the browser's own order (d/m/y or m/d/y);
    # a day whose number is its month's (9 September) reads the same in both
    implemented_on = max(day for day in (first_day + dt.timedelta(days=n)
                                         for n in range((last_day - first_day).days + 1))
                         if day.day == day.month)
    sign_in_by_keyboard(page, live_server, "officer", PASSWORD)
    assert page.url == f"{live_server.url}/officer/"

    press_and_wait(page, "main a[href='/officer/practices/new/']")
    type_into(page, "input[name=title]", "Електронни услуги")
    type_into(page, "input[name=title_en]", "E-services")
    type_into(page, "textarea[name=summary]", "Услуги онлайн.")
    type_into(page, "textarea[name=problem]", "Опашки на гишетата.")
    type_into(page, "textarea[name=actions]", "Портал за е-услуги.")
    type_into(page, "textarea[name=results]", "40% от заявленията онлайн.")
    type_into(page, "input[name=implemented_on]", implemented_on.strftime("%d%m%Y"))
    type_into(page, "input[name=contact_name]", "Мария Иванова")
    type_into(page, "input[name=contact_email]", "maria@example.org")
    press_and_wait(page, "main form button[type=submit]")
    expect(page.get_by_text("The practice is saved as a draft.")).to_be_visible()

    press_and_wait(page, "main a[href$='/enter/']")
    tab_to(page, "main form select[name=area]")
    page.keyboard.press("ArrowDown")  # the first area of the open edition
    expect(page.locator("main form select[name=area]")).not_to_have_value("")
    press_and_wait(page, "main form button[type=submit]")
    press_and_wait(page, "main a[href$='/submit/']")
    press_and_wait(page, "main form button[type=submit]", key="Space")
    expect(page.get_by_text("The entry is submitted.")).to_be_visible()

    entry = Entry.objects.get()
    assert (entry.status, entry.submitted_by_id) == (EntryStatus.SUBMITTED, demo_officer.pk)
    assert entry.practice.implemented_on == implemented_on


@pytest.mark.django_db(transaction=True)
def test_juror_scores_a_sheet_with_the_keyboard_alone(page, live_server, demo_jury):
    entry, (relevance, innovation), juror = demo_jury
    sign_in_by_keyboard(page, live_server, "juror", DEMO_PASSWORD)
    assert page.url == f"{live_server.url}/jury/"

    press_and_wait(page, f"main a[href='/jury/entries/{entry.pk}/sheet/']")
    # the entry's text opens and closes from the keyboard
    tab_to(page, "main details > summary")
    page.keyboard.press("Enter")
    expect(page.locator("main details")).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(page.locator("main details")).not_to_have_attribute("open", "")

    def autosaved(keys) -> None:
        """Each change autosaves; wait for it (SQLite in memory takes one writer at once)."""
        with page.expect_response(lambda response: "/autosave/" in response.url) as answer:
            keys()
        assert answer.value.status == 200

    tab_to(page, f"#id_score-{relevance.pk}")
    autosaved(lambda: page.keyboard.type("8"))  # a closed select jumps to the typed option
    type_into(page, f"#id_comment-{relevance.pk}", "Every village got lights.")
    tab_to(page, f"#id_score-{innovation.pk}")
    autosaved(lambda: page.keyboard.type("6"))
    # back to the first score with Shift+Tab, and one step up with the arrow key
    tab_to(page, f"#id_score-{relevance.pk}", backwards=True)
    autosaved(lambda: page.keyboard.press("ArrowDown"))
    type_into(page, "#id_overall_comment", "A model for small towns.")
    press_and_wait(page, "main form button[type=submit][value=submit]")

    sheet = JurySheet.objects.get(entry=entry, juror=juror)
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {
        relevance.pk: 9, innovation.pk: 6}
    assert sheet.overall_comment == "A model for small towns."
    expect(page.locator(f"[data-entry='{entry.pk}'][data-progress=submitted]")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_phone_menu_opens_from_the_keyboard(page, live_server):
    """On a phone width the navigation folds into a menu button, which Enter opens."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    sign_in = page.locator("a.nav-link[href='/accounts/login/']")
    expect(sign_in).to_be_hidden()
    tab_to(page, "button.navbar-toggler")
    page.keyboard.press("Enter")
    expect(page.locator("button.navbar-toggler")).to_have_attribute("aria-expanded", "true")
    expect(sign_in).to_be_visible()
    press_and_wait(page, "a.nav-link[href='/accounts/login/']")
    assert page.url == f"{live_server.url}/accounts/login/"
