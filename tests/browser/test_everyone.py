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
