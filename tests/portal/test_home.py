import datetime as dt

import pytest
from django.core.cache import cache

from competitions.enums import Phase
from tests.factories import EditionFactory, EntryFactory, ThematicAreaFactory
from tests.portal.factories_showcase import PublishedEditionFactory, published_edition

pytestmark = pytest.mark.django_db


def test_home_shows_the_open_call_with_its_deadline_in_the_edition_time_zone(client):
    deadline = dt.datetime(2030, 3, 31, 21, 0, tzinfo=dt.UTC)  # midnight in Sofia (summer time)
    EditionFactory(title_en="Call 2030", submissions_close_at=deadline,
                   review_open_at=deadline + dt.timedelta(days=1),
                   review_close_at=deadline + dt.timedelta(days=30), time_zone="Europe/Sofia")
    EditionFactory(title_en="Not open yet", phase=Phase.DRAFT)
    body = client.get("/").content.decode()
    assert "Open call: Call 2030" in body
    assert "1 April 2030, 00:00" in body
    assert "Not open yet" not in body


def test_home_shows_the_latest_winners_per_area(client):
    published_edition(slug="old", year_label="2016/2017", title_en="Old edition")
    run, results = published_edition(slug="new", title_en="New edition", entries_per_area=3)
    run.edition.submissions_open_at += dt.timedelta(days=200)
    run.edition.submissions_close_at += dt.timedelta(days=200)
    run.edition.review_open_at += dt.timedelta(days=200)
    run.edition.review_close_at += dt.timedelta(days=200)
    run.edition.save()
    body = client.get("/").content.decode()
    assert "Winners of New edition" in body
    winners = [r.entry.practice.title_en for r in results if r.place]
    assert all(title in body for title in winners)
    assert results[2].entry.practice.title_en not in body  # ranked third, no award
    assert 'href="/showcase/new/"' in body


def _numbers(client) -> tuple[str, str, str]:
    body = client.get("/").content.decode()
    return tuple(body.split(f'id="number-{name}">')[1].split("<")[0]
                 for name in ("editions", "municipalities", "practices"))


def test_home_numbers_of_the_programme_count_public_results_only(client):
    _run, results = published_edition(slug="bg", areas=1, entries_per_area=3)
    EntryFactory(practice=results[0].entry.practice, status="draft")
    EntryFactory(area=results[0].area, status="ineligible")
    EntryFactory(status="draft")
    EntryFactory(status="submitted")
    PublishedEditionFactory(slug="no-run")  # published phase, nothing published
    assert _numbers(client) == ("1", "3", "3")


def test_home_numbers_unchanged_by_submissions_to_an_open_edition(client):
    """Rivals cannot watch submissions arrive on the home page."""
    published_edition(slug="bg", areas=1, entries_per_area=2)
    before = _numbers(client)
    area = ThematicAreaFactory(edition=EditionFactory(phase=Phase.OPEN))
    for status in ("submitted", "eligible", "ineligible", "draft"):
        EntryFactory(area=area, status=status)
    cache.clear()
    assert (before, _numbers(client)) == (("1", "2", "2"), ("1", "2", "2"))


def test_home_without_published_results(client):
    body = client.get("/").content.decode()
    assert "No results are published yet." in body


def test_home_query_count_is_fixed(client, django_assert_num_queries):
    published_edition(slug="small", areas=1, entries_per_area=1)
    with django_assert_num_queries(5):
        client.get("/")
    published_edition(slug="big", areas=4, entries_per_area=5)
    EditionFactory()
    with django_assert_num_queries(5):
        client.get("/")


def test_home_in_bulgarian(client):
    published_edition(slug="bg")
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Разгледайте витрината" in body
