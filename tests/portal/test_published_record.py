"""What is published stays as published: every public page, export, feed and API response
about a published edition reads the published run's snapshot, never the live set-up."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from competitions.models import Criterion, Edition, RubricLevel, ThematicArea
from scoring.models import RankingResult

pytestmark = pytest.mark.django_db
SLUG = "bg-2016-2017"
PUBLIC = [f"/showcase/{SLUG}/", f"/showcase/{SLUG}/?lang=bg", f"/showcase/{SLUG}/results.json",
          f"/showcase/{SLUG}/results.csv", f"/showcase/{SLUG}/sheets.json",
          f"/showcase/{SLUG}/sheets.csv", "/showcase/feed/",
          f"/api/v1/criteria/?edition__slug={SLUG}", f"/api/v1/areas/?edition__slug={SLUG}",
          "/api/v1/results/", "/api/v1/practices/", f"/api/v1/editions/{SLUG}/", "/",
          "/showcase/", f"/showcase/?edition={SLUG}&award=winner"]


def _everything(client) -> dict[str, str]:
    cache.clear()
    pages = {}
    winners = RankingResult.objects.filter(run__is_published=True, place__isnull=False)
    for url in PUBLIC + [f"/practices/{r.entry.practice_id}/" for r in winners]:
        language = "bg" if url.endswith("?lang=bg") else "en"
        response = client.get(url.removesuffix("?lang=bg"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        body = response.getvalue().decode()
        pages[url] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return pages


def test_published_pages_exports_and_api_ignore_setup_changed_behind_the_portals_back(client):
    call_command("load_demo", "--force")
    before = _everything(client)
    criteria = Criterion.objects.filter(edition__slug=SLUG)
    assert f"weight {float(criteria.get(order=1).weight):g}" in before[f"/showcase/{SLUG}/"]
    criteria.filter(order=1).update(weight=7, title="Друго", title_en="Something else",
                                    guidance_en="Other guidance")
    RubricLevel.objects.filter(criterion__edition__slug=SLUG).update(description_en="Changed")
    ThematicArea.objects.filter(edition__slug=SLUG).update(title="Друга", title_en="Renamed",
                                                           awards=9)
    Edition.objects.filter(slug=SLUG).update(scale_max=20, min_sheets_per_entry=1)
    after = _everything(client)
    assert sorted(after) == sorted(before)
    for url in before:
        assert after[url] == before[url], url
    assert "Renamed" not in after[f"/showcase/{SLUG}/"]
    assert "Something else" not in after[f"/showcase/{SLUG}/results.json"]
