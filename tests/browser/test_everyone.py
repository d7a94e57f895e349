"""What every visitor sees, in both languages: one chart scale per edition, readable
navigation, texts marked with their language when they fall back."""

import pytest
from playwright.sync_api import expect

from tests.portal.factories_showcase import published_edition


def switch_to_bulgarian(page, live_server) -> None:
    """Through the language switcher in the navigation bar, as a visitor does."""
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.select_option("#language", "bg")
    expect(page.locator("html")).to_have_attribute("lang", "bg")


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_edition_charts_share_the_editions_scale_in_every_area(page, live_server):
    run, results = published_edition(slug="bg", areas=2, entries_per_area=3)
    for result in results[3:]:  # area II scores much lower than area I
        result.total = 3.0 - result.rank
        result.save()
    page.goto(f"{live_server.url}/showcase/bg/")
    axes = [page.evaluate(
        f"() => {{ const x = Chart.getChart(document.getElementById('chart-area-{area_id}'))"
        ".scales.x; return [x.min, x.max]; }")
        for area_id in sorted({r.area_id for r in results})]
    edition = run.edition
    assert axes == [[edition.scale_min, edition.scale_max]] * 2


# The WCAG contrast ratio of each visible navigation link against the colour behind it
# (its own colour blended over the first opaque background among its ancestors).
NAV_CONTRASTS = """() => {
  const rgba = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const behind = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
      if (a > 0) { return [r, g, b]; }
    }
    return [255, 255, 255];
  };
  const luminance = ([r, g, b]) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  return [...document.querySelectorAll("nav.navbar a")]
    .filter((a) => a.offsetParent !== null)
    .map((a) => {
      const back = behind(a);
      const [r, g, b, alpha = 1] = rgba(getComputedStyle(a).color);
      const fore = [r, g, b].map((v, i) => v * alpha + back[i] * (1 - alpha));
      const [light, dark] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
      return [a.textContent.trim(), Math.round((light + 0.05) / (dark + 0.05) * 100) / 100];
    });
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "bg"])
def test_navigation_links_meet_wcag_aa_contrast(page, live_server, language):
    if language == "bg":
        switch_to_bulgarian(page, live_server)
    else:
        page.goto(f"{live_server.url}/")
    contrasts = page.evaluate(NAV_CONTRASTS)
    assert len(contrasts) >= 3  # the brand, the showcase, sign in, register
    assert [link for link in contrasts if link[1] < 4.5] == []


@pytest.mark.django_db(transaction=True)
def test_practice_page_says_which_language_a_fallback_text_is_in(page, live_server):
    _run, results = published_edition(slug="bg", areas=1, entries_per_area=2)
    in_both, english_only = (result.entry.practice for result in results)
    in_both.title, in_both.title_en = "С грижа за възрастните хора", "Caring for Older People"
    in_both.summary, in_both.summary_en = "Над 250 възрастни хора.", "Over 250 older people."
    in_both.save()
    english_only.summary, english_only.summary_en = "", "Opened in October 2016."
    english_only.save()

    switch_to_bulgarian(page, live_server)
    page.goto(f"{live_server.url}/practices/{in_both.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("С грижа за възрастните хора")
    expect(page.get_by_text("Над 250 възрастни хора.")).to_be_visible()
    expect(page.locator("[data-fallback]")).to_have_count(0)

    page.goto(f"{live_server.url}/practices/{english_only.pk}/")
    fallback = page.locator('article span[lang="en"]', has_text="Opened in October 2016.")
    expect(fallback).to_be_visible()
    expect(page.locator('[data-fallback="en"]')).to_have_text("(на английски)")


@pytest.mark.django_db(transaction=True)
def test_region_filter_in_english_reads_in_english(page, live_server):
    _run, results = published_edition(slug="bg", areas=1, entries_per_area=1)
    municipality = results[0].entry.practice.municipality
    municipality.region, municipality.region_en = "Благоевград", "Blagoevgrad"
    municipality.save()
    page.goto(f"{live_server.url}/showcase/")
    region = page.get_by_label("Region")
    expect(region.locator("option")).to_have_text(["Any", "Blagoevgrad"])
    region.select_option(label="Blagoevgrad")
    page.get_by_role("button", name="Show practices").click()
    expect(page.locator("#result-count")).to_have_text("1 practice found")
