"""Each demo account's main journey, walked in a real browser in English and in Bulgarian
after `load_demo`, as a newcomer walks it (issue 12, "journeys").

Every page a journey opens must answer below 400 (the main document, redirects included) and
must not be one of the error pages. Each account signs in through the sign-in page in each
language, after choosing the language with the switcher in the navigation bar.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from practices.models import Entry, Practice
from tests.browser.conftest import pass_second_factor

DEMO_PASSWORD = "demo-pass-2016"
PUBLISHED = "bg-2016-2017"
OPEN = "demo-open"
CYRILLIC = re.compile("[А-Яа-яЁё]")
PLACE_1 = {"en": "Place 1", "bg": "1 място"}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    call_command("load_demo", "--force")
    yield
    cache.clear()


class Journey:
    """One browser context in one language; remembers every main-document answer."""

    def __init__(self, browser, live_server, language: str):
        self.base = live_server.url
        self.language = "en"  # the browser asks for English (en-GB) until the switch
        self.context = browser.new_context(locale="en-GB", timezone_id="Europe/Sofia")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.answers: list[tuple[str, int]] = []
        self.page.on("response", self._answer)
        self.go("/")
        if language != "en":
            with self.page.expect_navigation():
                self.page.select_option("#language", language)
        self.language = language
        expect(self.page.locator("html")).to_have_attribute("lang", language)

    def _answer(self, response) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.answers.append((response.url, response.status))

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.check()

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def check(self) -> None:
        """The page just reached answered below 400 and is no error page."""
        page = self.page
        page.wait_for_load_state("domcontentloaded")
        failed = [(url, status) for url, status in self.answers if status >= 400]
        assert failed == [], f"{self.language}: error answers {failed}"
        assert page.locator("[data-error-links]").count() == 0, f"{self.language}: {page.url}"
        assert "Something went wrong" not in page.content(), f"{self.language}: {page.url}"
        expect(page.locator("html")).to_have_attribute("lang", self.language)

    def sign_in(self, login: str, landing: str) -> None:
        """Through the sign-in page, whatever its language: by e-mail address or user name."""
        self.go("/accounts/login/")
        self.page.locator("#id_username").fill(login)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.click(self.page.locator("main form button[type=submit]"))
        pass_second_factor(self.page, login)  # the demo organiser's published authenticator
        self.check()
        assert self.page.url == f"{self.base}{landing}", (self.language, self.page.url)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journeys(browser, live_server):
    opened: list[Journey] = []

    def open_in(language: str) -> Journey:
        journey = Journey(browser, live_server, language)
        opened.append(journey)
        return journey

    yield open_in
    for journey in opened:
        journey.close()


def _officer_journey(journey: Journey, username: str) -> list[Practice]:
    page = journey.page
    journey.sign_in(username, "/officer/")
    expect(page.locator("h1[data-dashboard='officer']")).to_have_count(1)
    from accounts.models import User

    municipality = User.objects.get(username=username).municipality
    practices = list(Practice.objects.filter(municipality=municipality).order_by("pk"))
    assert practices, username
    # each 2016/2017 entry shows its published result, with a link to the public page
    published = Entry.objects.filter(practice__in=practices, edition__slug=PUBLISHED)
    assert published.count() >= 1
    for entry in published:
        row = page.locator(f"li[data-practice] div[data-entry='{entry.pk}']")
        expect(row).to_have_count(1)
        result = row.locator("[data-result]")
        expect(result).to_have_count(1)
        public = reverse("showcase:practice", args=[entry.practice_id])
        expect(result.locator(f"a[href='{public}']")).to_have_count(1)
        # beside it, the entry's private feedback report (issue 15)
        expect(result.locator("a[data-feedback-link]")).to_have_count(1)
    # every practice opens, and its read view shows what was written
    for practice in practices:
        journey.click(page.locator(f"li[data-practice='{practice.pk}'] > a"))
        assert page.url == f"{journey.base}{reverse('practice_detail', args=[practice.pk])}"
        read_view = page.locator("[data-read-view]")
        expect(read_view).to_have_count(1)
        # the practice's own text: its Bulgarian summary, and its English one where written
        for summary in filter(None, (practice.summary, practice.summary_en)):
            expect(read_view).to_contain_text(summary.strip().splitlines()[0][:40])
        for entry in Entry.objects.filter(practice=practice, edition__slug=PUBLISHED):
            item = page.locator(f"li[data-entry='{entry.pk}']")
            # closed and published: nothing to withdraw, and the page says so
            expect(item.locator("a[href$='/withdraw/']")).to_have_count(0)
            journey.go(reverse("entry_withdraw", args=[entry.pk]))
            expect(page.locator("[data-not-possible]")).to_have_count(1)
            expect(page.locator("main form button[type=submit]")).to_have_count(0)
            journey.go(reverse("practice_detail", args=[practice.pk]))
        journey.go("/officer/")
    return practices


def _enter_a_draft(journey: Journey, practice: Practice) -> None:
    """A draft entry in the open edition: it offers no "Withdraw", only its removal."""
    page = journey.page
    journey.go(reverse("practice_detail", args=[practice.pk]))
    journey.click(page.locator(f"a[href='{reverse('entry_create', args=[practice.pk])}']"))
    page.locator("main form select").first.select_option(index=1)
    journey.click(page.locator("main form button[type=submit]"))
    entry = Entry.objects.get(practice=practice, edition__slug=OPEN)
    item = page.locator(f"li[data-entry='{entry.pk}']")
    expect(item.locator("[data-status]")).to_have_attribute("data-status", "draft")
    expect(item.locator("a[href$='/withdraw/']")).to_have_count(0)
    expect(item.locator("a[href$='/remove/']")).to_have_count(1)
    journey.go(reverse("entry_withdraw", args=[entry.pk]))
    expect(page.locator("[data-not-possible]")).to_have_count(1)
    expect(page.locator("main form button[type=submit]")).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "bg"])
def test_demo_officer_of_tundzha_reads_results_and_every_practice(demo, journeys, language):
    journey = journeys(language)
    _officer_journey(journey, "officer")
    winner = Entry.objects.get(edition__slug=PUBLISHED, practice__title="С Тунджа в сърцето")
    expect(journey.page.locator(f"div[data-entry='{winner.pk}'] [data-result='place']")
           ).to_contain_text(PLACE_1[language])
    _enter_a_draft(journey, Practice.objects.get(title="Библиотека на открито"))


@pytest.mark.parametrize("language", ["en", "bg"])
def test_demo_officer_of_dobrich_reads_results_and_every_practice(demo, journeys, language):
    _officer_journey(journeys(language), "officer2")


@pytest.mark.parametrize("username", ["juror", "juror2"])
def test_demo_juror_signs_in_by_email_in_both_languages(demo, journeys, username):
    from accounts.models import User

    email = User.objects.get(username=username).email
    assert email == f"{username}@demo.example.org"
    for language in ("en", "bg"):
        journey = journeys(language)
        page = journey.page
        journey.sign_in(email, "/jury/")
        expect(page.locator("h1[data-dashboard='juror']")).to_have_count(1)
        # the finished edition is one line under "Past editions", not a full block
        expect(page.locator(f"[data-past-edition='{PUBLISHED}']")).to_have_count(1)
        expect(page.locator(f"section[data-edition='{PUBLISHED}']")).to_have_count(0)
        # no edition of the demo is open for scoring: no "Score" button anywhere
        expect(page.locator("tr[data-state='score']")).to_have_count(0)
        expect(page.locator("a[href*='/sheet']", has_text=re.compile(
            r"^\s*(Score|Оцени|Оценяване)\s*$"))).to_have_count(0)
        journey.click(page.locator(f"[data-past-edition='{PUBLISHED}'] a"))
        journey.go("/jury/")


@pytest.mark.parametrize("language", ["en", "bg"])
def test_demo_organiser_opens_consoles_results_and_entries(demo, journeys, language):
    journey = journeys(language)
    page = journey.page
    journey.sign_in("organiser", "/organiser/")
    for slug in (PUBLISHED, OPEN):
        journey.click(page.locator(f"a[data-console-link='{slug}']"))
        assert page.url == f"{journey.base}/organiser/editions/{slug}/"
        expect(page.locator("#timeline")).to_be_visible()
        journey.go("/organiser/")
    journey.click(page.locator(f"a[data-results-link='{PUBLISHED}']"))
    assert page.url == f"{journey.base}/organiser/results/{PUBLISHED}/"
    journey.go("/organiser/")
    journey.click(page.locator(f"a[href='/organiser/entries/{PUBLISHED}/']"))
    title = "С Тунджа в сърцето" if language == "bg" else "With Tundzha at Heart"
    expect(page.locator("main")).to_contain_text(title)


def test_anonymous_visitor_reads_the_showcase_in_both_languages(demo, journeys):
    # English: the region filter reads in English
    journey = journeys("en")
    page = journey.page
    journey.go("/showcase/")
    regions = page.locator("#id_region option").all_inner_texts()
    assert len(regions) > 1
    assert [region for region in regions if CYRILLIC.search(region)] == []
    journey.go(f"/showcase/{PUBLISHED}/")
    winners = page.locator("ol.winners a.fw-semibold").all_inner_texts()
    assert winners != []
    assert [title for title in winners if CYRILLIC.search(title)] == []

    # Bulgarian: the winners read in Bulgarian; a lowercase search finds Tundzha
    journey = journeys("bg")
    page = journey.page
    journey.go(f"/showcase/{PUBLISHED}/")
    winners = page.locator("ol.winners a.fw-semibold").all_inner_texts()
    assert winners != []
    assert [title for title in winners if not CYRILLIC.search(title)] == []
    expect(page.locator("ol.winners", has_text="С Тунджа в сърцето")).to_have_count(1)
    journey.go("/showcase/")
    page.locator("#id_q").fill("тунджа")
    journey.click(page.locator("main form[role=search] button[type=submit]"))
    expect(page.locator("#empty-state")).to_have_count(0)
    cards = page.locator("main ul.row > li")
    assert cards.count() >= 1
    expect(cards.filter(has_text="Тунджа").first).to_be_visible()
