"""What every visitor sees, in both languages: one chart scale per edition, readable
navigation, texts marked with their language when they fall back."""

import pytest

from tests.portal.factories_showcase import published_edition


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
    page.goto(f"{live_server.url}/")
    if language == "bg":
        page.select_option("#language", "bg")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "bg"
    contrasts = page.evaluate(NAV_CONTRASTS)
    assert len(contrasts) >= 3  # the brand, the showcase, sign in, register
    assert [link for link in contrasts if link[1] < 4.5] == []
