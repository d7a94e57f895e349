"""WCAG 2.1 AA, checked by axe-core in a real browser on the main pages of every role, in
English and Bulgarian, on a desktop and on a phone width (issue 17, "Accessibility").

axe-core comes from the npm registry (package.json, `make assets` copies it into
static/vendor/axe-core/); no page loads it: the tests inject it from our own static files
(the pages' Content-Security-Policy allows scripts from our origin only, so it is added by
URL rather than inline). Any critical or serious violation fails, with its rule id, impact and
the elements it found; moderate and minor ones are printed.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

AXE = "/static/vendor/axe-core/axe.min.js"
PUBLISHED = "bg-2016-2017"
OPEN = "demo-open"
ROUNDS = "demo-rounds"
PHONE = {"width": 375, "height": 812}
FAILING = ("critical", "serious")

# WCAG 2.0/2.1 levels A and AA; best practices are reported too (landmarks, headings).
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  return result.violations.map((v) => ({id: v.id, impact: v.impact,
    targets: v.nodes.map((n) => n.target.join(' '))}));
}"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo, plus an edition in review whose entry the demo juror may score now (the
    demo itself has none: its only jury finished in 2017)."""
    from django.core.cache import cache

    from accounts.models import User
    from tests.factories import (
        AssignmentFactory,
        CriterionFactory,
        EntryFactory,
        JuryMemberFactory,
        ThematicAreaFactory,
    )
    from tests.scoring.factories_jury import ReviewEditionFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    call_command("load_demo", "--force")
    edition = ReviewEditionFactory(slug="review-now", title_en="Review now")
    area = ThematicAreaFactory(edition=edition)
    for order in (1, 2):
        CriterionFactory(edition=edition, order=order)
    juror = User.objects.get(username="juror")
    JuryMemberFactory(edition=edition, user=juror)
    entry = EntryFactory(area=area, practice__title_en="Street lights in every village")
    AssignmentFactory(entry=entry, juror=juror)
    yield {"sheet_entry": entry.pk}
    cache.clear()


def pages_of(demo: dict) -> dict[str | None, list[str]]:
    """The main pages of each role (None: an anonymous visitor)."""
    from competitions.models import ThematicArea
    from practices.models import Entry, Practice

    tundzha = Practice.objects.filter(municipality__name_en="Tundzha",
                                      entries__edition__slug=PUBLISHED).order_by("pk").first()
    draft = Practice.objects.get(title="Библиотека на открито")
    decided = Entry.objects.filter(edition__slug=PUBLISHED).order_by("pk").first().pk
    entry = demo["sheet_entry"]
    # the two-round demo: round 1 closed with its panel open to the chair, round 2 open
    area = ThematicArea.objects.filter(edition__slug=ROUNDS).order_by("order").first().pk
    return {
        None: ["/", "/showcase/", f"/showcase/{PUBLISHED}/",  # the methodology is on this page
               f"/practices/{tundzha.pk}/", "/accounts/login/", "/accounts/register/",
               "/accounts/password/reset/", "/accessibility/"],
        "officer": ["/officer/", "/officer/practices/new/", f"/officer/practices/{tundzha.pk}/",
                    f"/officer/practices/{draft.pk}/edit/", f"/officer/practices/{draft.pk}/enter/",
                    f"/officer/practices/{draft.pk}/photos/add/",
                    f"/officer/editions/{OPEN}/criteria/", "/accounts/password/change/"],
        "juror": ["/jury/", "/jury/editions/review-now/", f"/jury/entries/{entry}/",
                  f"/jury/entries/{entry}/sheet/", f"/jury/entries/{entry}/sheet/conflict/",
                  "/jury/panels/", f"/jury/panels/{area}/?round=1",
                  f"/jury/panels/{area}/decision/?round=1",
                  f"/organiser/jury/{ROUNDS}/rounds/2/areas/{area}/shortlist/"],
        "organiser": ["/organiser/", f"/organiser/editions/{PUBLISHED}/",
                      f"/organiser/editions/{OPEN}/", f"/organiser/results/{PUBLISHED}/",
                      f"/organiser/entries/{PUBLISHED}/", f"/organiser/entries/entry/{decided}/",
                      f"/organiser/jury/{PUBLISHED}/", f"/organiser/jury/{PUBLISHED}/progress/",
                      f"/organiser/jury/{PUBLISHED}/assignments/", "/organiser/audit/",
                      "/organiser/lockouts/", f"/organiser/jury/{ROUNDS}/rounds/",
                      f"/organiser/deliberation/{ROUNDS}/", "/admin/"],
    }


def axe_violations(page) -> list[dict]:
    page.wait_for_load_state("load")
    page.add_script_tag(url=AXE)
    return page.evaluate(AXE_RUN)


def check_pages(browser, live_server, language: str, pages: dict, viewport: dict | None = None
                ) -> tuple[int, list[str]]:
    """Visit every page of every role; return how many were checked and each failure."""
    checked, failures = 0, []
    for role, paths in pages.items():
        context = browser.new_context(locale="en-GB", timezone_id="Europe/Sofia",
                                      viewport=viewport or {"width": 1280, "height": 900})
        context.add_cookies([{"name": "django_language", "value": language,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role:
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("#id_username").fill(role)
            page.locator("#id_password").fill(DEMO_PASSWORD)
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (language, role, path, response.status)
            expect(page.locator("html")).to_have_attribute("lang", language)
            checked += 1
            if viewport:  # nothing wider than a phone's screen (WCAG 1.4.10, reflow)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    failures.append(f"{language} {viewport['width']}px {role or 'anonymous'} "
                                    f"{path}: the page is {width}px wide")
            for violation in axe_violations(page):
                line = (f"{language} {viewport['width'] if viewport else 1280}px "
                        f"{role or 'anonymous'} {path}: {violation['id']} "
                        f"({violation['impact']}) at {violation['targets'][:5]}")
                print(line)
                if violation["impact"] in FAILING:
                    failures.append(line)
        context.close()
    return checked, failures


@pytest.mark.parametrize("language", ["en", "bg"])
def test_main_pages_of_every_role_have_no_serious_violations(demo, browser, live_server,
                                                              language):
    pages = pages_of(demo)
    checked, failures = check_pages(browser, live_server, language, pages)
    assert checked == sum(len(paths) for paths in pages.values()) == 39
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["en", "bg"])
def test_pages_on_a_phone_width_have_no_serious_violations(demo, browser, live_server,
                                                            language):
    pages = pages_of(demo)
    phone_pages = {
        None: [pages[None][0], pages[None][2], pages[None][3], "/accessibility/"],
        "officer": [pages["officer"][1]],
        "juror": [pages["juror"][3]],
        "organiser": [pages["organiser"][1], pages["organiser"][3]],
    }
    checked, failures = check_pages(browser, live_server, language, phone_pages, PHONE)
    assert checked == 8
    assert failures == [], "\n".join(failures)


def test_axe_reports_a_contrast_failure_it_is_shown(transactional_db, browser, live_server):
    """The check can fail: a link made pale (Bootstrap's navbar-dark default, 2.36:1 on our
    blue) is reported as a serious color-contrast violation."""
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.add_style_tag(
        content=".navbar-portal .nav-link { color: rgba(255, 255, 255, .55) !important; }")
    violations = {v["id"]: v for v in axe_violations(page)}
    assert violations["color-contrast"]["impact"] == "serious"
    in_navigation = [page.locator(target).evaluate("e => !!e.closest('.navbar-portal')")
                     for target in violations["color-contrast"]["targets"]]
    assert len(in_navigation) >= 3 and all(in_navigation)
    page.close()


@pytest.mark.parametrize("language", ["en", "bg"])
def test_form_errors_are_tied_to_their_fields_and_pass_axe(transactional_db, browser,
                                                          live_server, language):
    """The registration form sent empty: each field in error says so (aria-invalid) and
    points to its message (aria-describedby), which screen readers read with the field."""
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/register/")
    with page.expect_navigation():
        page.locator("main form [type=submit]").press("Enter")
    invalid = page.locator("main form [aria-invalid=true]")
    assert invalid.count() >= 3
    for field in invalid.all():
        described_by = field.get_attribute("aria-describedby").split()
        messages = [page.locator(f"[id='{i}']").inner_text().strip() for i in described_by
                    if i.endswith("_error")]
        assert messages and all(messages), field.get_attribute("name")
    failures = [f"{v['id']} ({v['impact']}) at {v['targets']}" for v in axe_violations(page)
                if v["impact"] in FAILING]
    assert failures == []
    context.close()
