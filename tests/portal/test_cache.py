import pytest
from django.core.cache import cache
from django.utils import timezone

from competitions.enums import Phase
from portal.cache import VERSION_KEY, showcase_bump, showcase_version
from tests.factories import EntryFactory
from tests.portal.factories_showcase import (
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/showcase/", "/showcase/bg/", "/showcase/bg/results.json"]


def test_cached_pages_need_no_query_the_second_time(client, django_assert_num_queries):
    run, results = published_edition(slug="bg")
    pages = PUBLIC_PAGES + [f"/practices/{results[0].entry.practice_id}/"]
    for url in pages:
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        for url in pages:
            assert client.get(url).status_code == 200


def test_publishing_another_run_invalidates_the_cached_pages(client):
    run, results = published_edition(slug="bg", areas=1, entries_per_area=2)
    assert client.get("/showcase/bg/").status_code == 200
    newer = RankingRunFactory(edition=run.edition, fingerprint="f" * 64)
    RankingResultFactory(run=newer, entry=EntryFactory(
        area=results[0].area, practice__title_en="Newly ranked winner"))
    run.is_published = False
    run.save()
    newer.is_published = True
    newer.published_at = timezone.now()
    newer.save()
    body = client.get("/showcase/bg/").content.decode()
    assert "Newly ranked winner" in body
    assert "f" * 64 in body
    assert results[0].entry.practice.title_en not in body


def test_unpublishing_makes_cached_pages_404(client):
    run, results = published_edition(slug="bg")
    practice = f"/practices/{results[0].entry.practice_id}/"
    assert client.get("/showcase/bg/").status_code == 200
    assert client.get(practice).status_code == 200
    run.is_published = False
    run.save()
    assert client.get("/showcase/bg/").status_code == 404
    assert client.get(practice).status_code == 404
    assert client.get("/showcase/bg/results.csv").status_code == 404


def test_edition_phase_change_invalidates_the_cached_pages(client):
    run, _results = published_edition(slug="bg")
    assert client.get("/showcase/bg/").status_code == 200
    run.edition.phase = Phase.RANKED
    run.edition.save()
    assert client.get("/showcase/bg/").status_code == 404


def test_showcase_bump_increments_the_version():
    before = showcase_version()
    showcase_bump()
    assert showcase_version() == before + 1


def test_showcase_bump_after_eviction_starts_a_new_version():
    cache.delete(VERSION_KEY)
    showcase_bump()
    assert showcase_version() == 2


def test_cache_off_with_zero_seconds(client, settings, django_assert_num_queries):
    settings.SHOWCASE_CACHE_SECONDS = 0
    published_edition(slug="bg")
    client.get("/showcase/bg/")
    with django_assert_num_queries(7):
        client.get("/showcase/bg/")


def test_cached_page_is_per_language(client):
    published_edition(slug="bg")
    english = client.get("/showcase/bg/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bulgarian = client.get("/showcase/bg/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Methodology" in english
    assert "Методология" in bulgarian


@pytest.mark.integration
def test_cache_invalidation_with_redis(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/6",
                                   "KEY_PREFIX": "portal-test"}}
    cache.clear()
    run, _results = published_edition(slug="bg")
    assert client.get("/showcase/bg/").status_code == 200
    version = showcase_version()
    run.is_published = False
    run.save()
    assert showcase_version() == version + 1
    assert client.get("/showcase/bg/").status_code == 404
    cache.clear()
