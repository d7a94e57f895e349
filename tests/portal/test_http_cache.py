"""HTTP caching of the public pages for a reverse proxy (portal.cache.public_page): headers,
conditional GET, and anonymous pages that set no cookie at all."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.portal.factories_showcase import published_edition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_of_this_process(settings):
    """These tests read what the decorator keeps (`cache._cache`) and count on an empty
    cache: the local-memory backend, whatever the run's shared cache is (Redis in CI)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "http-cache-tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def pages():
    run, results = published_edition(slug="bg", areas=1, entries_per_area=2)
    return ["/", "/showcase/", "/showcase/bg/", f"/showcase/bg/?area={results[0].area_id}",
            f"/practices/{results[0].entry.practice_id}/"]


def _vary(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Vary", "").split(",")}


def test_public_pages_anonymous_are_public_with_an_etag(client, pages, settings):
    settings.PUBLIC_PROXY_SECONDS = 7
    for url in pages[:3] + pages[4:]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=7", url
        assert response["ETag"].startswith('"') and len(response["ETag"]) == 34, url
        assert {"Accept-Language", "Cookie"} <= _vary(response), url


def test_public_pages_anonymous_set_no_cookie(pages):
    client = Client()
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response.cookies == {}, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_public_pages_anonymous_language_switcher_is_a_get_form(client, pages):
    body = client.get("/").content.decode()
    assert 'action="/i18n/setlang/" method="get"' in body


def test_public_pages_signed_in_are_private_and_keep_the_post_switcher(client, pages):
    client.force_login(UserFactory())
    response = client.get("/showcase/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response
    assert "Cookie" in _vary(response)
    body = response.content.decode()
    assert 'action="/i18n/setlang/" method="post"' in body
    assert "csrfmiddlewaretoken" in body


def test_public_pages_pending_message_is_not_shared(client, pages):
    client.cookies["messages"] = "anything"
    response = client.get("/showcase/")
    assert response["Cache-Control"] == "private, no-cache"


def test_public_pages_conditional_get_answers_304(client, pages):
    for url in pages:
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == first["Cache-Control"]


def test_public_pages_304_renders_nothing(client, pages, django_assert_num_queries):
    etag = client.get("/showcase/bg/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/showcase/bg/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_public_pages_etag_differs_by_language_and_page(client, pages):
    english = client.get("/showcase/", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    bulgarian = client.get("/showcase/", HTTP_ACCEPT_LANGUAGE="bg")["ETag"]
    other = client.get("/showcase/?page=2", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    assert len({english, bulgarian, other}) == 3
    stale = client.get("/showcase/", HTTP_ACCEPT_LANGUAGE="bg", HTTP_IF_NONE_MATCH=english)
    assert stale.status_code == 200


def test_public_pages_unpublishing_changes_the_etag_and_is_never_cached(client):
    run, results = published_edition(slug="bg", areas=1, entries_per_area=2)
    etag = client.get("/showcase/bg/")["ETag"]
    run.is_published = False
    run.save()
    response = client.get("/showcase/bg/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_public_pages_proxy_seconds_zero_is_not_cacheable(client, pages, settings):
    settings.PUBLIC_PROXY_SECONDS = 0
    response = client.get("/showcase/")
    assert response["Cache-Control"] == "no-cache"


def test_public_pages_migration_changes_every_etag(client, pages):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    etag = client.get("/")["ETag"]
    portal = apps.get_app_config("portal")
    post_migrate.send(sender=portal, app_config=portal, verbosity=0,
                      interactive=False, using="default", apps=apps, plan=[])
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_language_switch_by_get_sets_only_the_cookie(client):
    response = client.get("/i18n/setlang/", {"language": "bg", "next": "/showcase/"})
    assert response.status_code == 302
    assert response["Location"] == "/showcase/"
    assert response.cookies["django_language"].value == "bg"
    assert "no-cache" in response["Cache-Control"]
    assert '<html lang="bg">' in client.get("/showcase/").content.decode()


def test_language_switch_by_get_never_leaves_the_site(client):
    response = client.get("/i18n/setlang/", {"language": "bg", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_by_get_does_not_remember_a_signed_in_choice(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.get("/i18n/setlang/", {"language": "bg", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_public_pages_whole_page_kept_only_for_the_pages_own_parameters(client, pages):
    from django.core.cache import cache

    def kept(url):
        etag = client.get(url)["ETag"].strip('"')
        return cache.get(f"showcase:page:{etag}") is not None

    assert kept("/showcase/?page=1")
    assert kept(pages[3])  # the area page: its own parameter
    assert not kept("/showcase/?utm_source=mail")
    assert not kept("/?anything=1")


def test_public_pages_whole_page_never_kept_for_someone_signed_in(client, pages):
    from django.core.cache import cache

    client.force_login(UserFactory())
    client.get("/showcase/")
    assert not [key for key in cache._cache if "showcase:page:" in key]
