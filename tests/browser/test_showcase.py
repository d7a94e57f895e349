"""A visitor goes from the home page to a winner, and back to the showcase by a filter."""

import re

import pytest
from playwright.sync_api import expect

from tests.portal.factories_showcase import published_edition
from tests.practices.factories_practices import PhotoFactory


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_home_to_a_winner_and_back_through_a_filter(page, live_server):
    _run, results = published_edition(slug="bg-2016-2017", title_en="Best Practices 2016/2017",
                                      areas=2, entries_per_area=3)
    winner = results[0].entry.practice
    winner.title_en = "One-stop shop for citizens"
    winner.save()
    PhotoFactory(practice=winner)

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Winners of Best Practices 2016/2017")).to_be_visible()
    page.get_by_role("link", name="One-stop shop for citizens").click()

    expect(page).to_have_url(re.compile(rf"/practices/{winner.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("One-stop shop for citizens")
    expect(page.get_by_role("img", name="The renovated square with new benches")).to_be_visible()
    area = results[0].area
    page.get_by_role("link", name=f"I. {area.title_en}").first.click()

    expect(page).to_have_url(re.compile(rf"/showcase/\?area={area.pk}$"))
    expect(page.get_by_label("Thematic area")).to_have_value(str(area.pk))
    expect(page.locator("#result-count")).to_have_text("3 practices found")
    page.get_by_label("Award").select_option(label="Place 1")
    page.get_by_role("button", name="Show practices").click()
    expect(page.locator("#result-count")).to_have_text("1 practice found")
    expect(page.get_by_role("link", name="One-stop shop for citizens")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_edition_results_draw_a_chart_per_area(page, live_server):
    _run, results = published_edition(slug="bg", areas=2, entries_per_area=3)
    page.goto(f"{live_server.url}/showcase/bg/")
    for area_id in sorted({r.area_id for r in results}):
        drawn = page.evaluate(
            f"() => Chart.getChart(document.getElementById('chart-area-{area_id}'))"
            ".data.datasets[0].data.length")
        assert drawn == 3


@pytest.mark.django_db(transaction=True)
def test_visitor_searches_in_lowercase_bulgarian(page, live_server):
    _run, results = published_edition(slug="bg-2016-2017", areas=1, entries_per_area=2)
    practice = results[0].entry.practice
    practice.title = "С Тунджа в сърцето"
    practice.title_en = "With Tundzha at Heart"
    practice.save()

    page.goto(f"{live_server.url}/showcase/")
    page.get_by_label("Search").fill("тунджа")
    page.get_by_role("button", name="Show practices").click()
    expect(page.locator("#result-count")).to_have_text("1 practice found")
    expect(page.get_by_role("link", name="With Tundzha at Heart")).to_be_visible()
