import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from competitions.enums import Phase
from portal.cache import VERSION_KEY, showcase_bump, showcase_version
from tests.factories import EntryFactory
from tests.portal.factories_showcase import (
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
)
from tests.practices.factories_practices import PhotoFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/showcase/", "/showcase/bg/", "/showcase/bg/results.json"]


def test_cached_pages_need_no_query_the_second_time(client, django_assert_num_queries):
    run, results = published_edition(slug="bg")
    pages = PUBLIC_PAGES + [f"/practices/{results[0].entry.practice_id}/"]
    for url in pages:  # an export is written to its file as it is read
        assert client.get(url).getvalue()
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
    with django_assert_num_queries(5):  # the page's five (edition_results), uncached
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


# --- poisoning: what one request sends never reaches what another visitor is served -------

ALICE, PROXY = "192.0.2.10", "10.0.0.1"


@pytest.mark.parametrize(("poison", "clean", "links"), [
    ({"utm": "<script>alert(1)</script>", "evil": "1"}, {}, ['href="?page=2"']),
    ({"edition": "", "utm": "<script>"}, {"edition": ""}, ['href="?page=2"']),
    ({"page": "2", "evil": "1"}, {"page": "2"}, ['href="?page=1"', 'href="?page=3"']),
    ({"page": "2", "q": " ", "evil": "1"}, {"page": "2"}, ['href="?page=1"']),
])
def test_showcase_pagination_links_carry_only_the_filters_and_page(poison, clean, links):
    published_edition(areas=1, entries_per_area=60)
    attacker = Client(REMOTE_ADDR=ALICE)
    attacker.get("/showcase/", poison)
    body = Client(REMOTE_ADDR="198.51.100.20").get("/showcase/", clean).content.decode()
    assert [link in body for link in links] == [True] * len(links)
    assert ("utm" in body, "evil" in body, "script&gt;" in body) == (False, False, False)


def test_showcase_pagination_links_keep_the_filters_in_a_fixed_order():
    run, _results = published_edition(areas=1, entries_per_area=30)
    slug = run.edition.slug
    Client().get("/showcase/", {"award": "", "zzz": "1", "edition": slug})
    body = Client().get(f"/showcase/?edition={slug}").content.decode()
    assert f'href="?edition={slug}&amp;page=2"' in body
    assert "zzz" not in body


def practice_links(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'<link rel="canonical" href="([^"]+)"|og:image" content="([^"]+)"', body)


def test_a_client_sent_forwarded_proto_without_a_proxy_changes_no_cached_url():
    run, results = published_edition(slug="bg")
    practice = results[0].entry.practice
    PhotoFactory(practice=practice)
    forged = {"HTTP_HOST": "testserver", "HTTP_X_FORWARDED_PROTO": "https",
              "HTTP_X_FORWARDED_HOST": "evil.example"}
    Client().get("/showcase/bg/results.json", **forged)
    Client().get(f"/practices/{practice.pk}/", **forged)
    visitor = Client(REMOTE_ADDR=ALICE, HTTP_HOST="testserver")
    data = json.loads(visitor.get("/showcase/bg/results.json").getvalue())
    page = visitor.get(f"/practices/{practice.pk}/")
    assert data["results"][0]["url"].split("/practices/")[0] == "http://testserver"
    urls = [url for pair in practice_links(page) for url in pair if url]
    assert [url.startswith("http://testserver/") for url in urls] == [True, True]


def test_https_stays_https_when_a_client_reaches_gunicorn_directly(settings):
    settings.PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    run, results = published_edition(slug="bg")
    practice = results[0].entry.practice
    # straight to gunicorn, not through our proxy: its forwarded header counts for nothing
    direct = Client(REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_PROTO="https")
    data = json.loads(direct.get("/showcase/bg/results.json").getvalue())
    assert data["results"][0]["url"].startswith("http://")
    direct.get(f"/practices/{practice.pk}/")
    proxied = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver")
    data = json.loads(proxied.get("/showcase/bg/results.json").getvalue())
    page = proxied.get(f"/practices/{practice.pk}/").content.decode()
    assert data["results"][0]["url"] == f"https://testserver/practices/{practice.pk}/"
    assert f'<link rel="canonical" href="https://testserver/practices/{practice.pk}/">' in page


def test_drafts_of_an_open_call_leave_the_cached_pages_alone(django_capture_on_commit_callbacks):
    entry = EntryFactory()  # a draft practice of an open call: on no public page
    photo = PhotoFactory(practice=entry.practice)
    version = showcase_version()
    with django_capture_on_commit_callbacks(execute=True):
        entry.practice.title_en = "Draft title"
        entry.practice.save()
        photo.save()
        entry.save()
    assert showcase_version() == version


def test_a_change_to_a_public_practice_makes_the_cached_pages_stale(
        django_capture_on_commit_callbacks):
    _run, results = published_edition(slug="bg")
    practice = results[0].entry.practice
    for change in (practice.save, PhotoFactory(practice=practice).save, results[0].entry.save):
        version = showcase_version()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert showcase_version() > version
