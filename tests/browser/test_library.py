"""A municipal officer looking for a solution to copy finds a practice through the regions
map and the facets of the showcase, with the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from practices.models import Topic
from tests.factories import MunicipalityFactory
from tests.portal.factories_showcase import published_edition


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_find_a_practice_through_the_map_and_the_facets(page, live_server):
    _run, results = published_edition(slug="bg-2016-2017", areas=2, entries_per_area=3)
    digital = Topic.objects.create(slug="digital", name="Цифрови услуги",
                                   name_en="Digital services")
    care = Topic.objects.create(slug="social-care", name="Социални грижи",
                                name_en="Social care")
    varna = MunicipalityFactory(name_en="Varna", region="Варна", region_en="Varna")
    for index, result in enumerate(results):
        practice = result.entry.practice
        practice.innovation_type = "service" if index % 2 else "process"
        if index < 3:
            practice.municipality = varna
        practice.save()
        practice.topics.add(digital if index in (1, 2) else care)
    wanted = results[1].entry.practice  # Varna, service, digital

    page.goto(f"{live_server.url}/showcase/")
    page.get_by_role("link", name="Map of practices by region").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of practices by region")
    expect(page.locator("#region-table tr[data-region='BG-03'] td").first).to_have_text("3")
    # the region is a link that the keyboard reaches, named by its figure
    tile = page.get_by_role("link", name="Varna: 3 practices")
    tile.focus()
    expect(tile).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/showcase/\?region="))
    expect(page.locator("#result-count")).to_have_text("3 practices found")
    facets = page.get_by_role("navigation", name="Refine")
    facets.get_by_role("link", name=re.compile(r"^Service innovation")).click()
    expect(page.locator("#result-count")).to_have_text("1 practice found")
    page.get_by_role("navigation", name="Refine").get_by_role(
        "link", name=re.compile(r"^Digital services")).click()
    expect(page.locator("#result-count")).to_have_text("1 practice found")
    page.get_by_role("link", name=wanted.title_en).click()
    expect(page).to_have_url(re.compile(rf"/practices/{wanted.pk}/$"))


@pytest.mark.django_db(transaction=True)
def test_map_at_phone_width_and_in_bulgarian(page, live_server):
    published_edition(slug="bg-2016-2017", areas=1, entries_per_area=2)
    page.set_viewport_size({"width": 375, "height": 800})
    page.context.add_cookies([{"name": "django_language", "value": "bg",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/showcase/map/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Карта на практиките по области")
    width = page.evaluate("document.querySelector('.region-map-svg').getBoundingClientRect().width")
    assert width <= 375
    # the page's content does not scroll sideways (the table scrolls in its own box; the
    # navigation bar is the base template's)
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 375
