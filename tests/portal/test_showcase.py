import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.enums import Phase
from competitions.models import Municipality
from tests.factories import (
    EntryFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    PracticeFactory,
    UserFactory,
)
from tests.portal.factories_showcase import (
    PublishedRunFactory,
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
    record_snapshot,
)
from tests.practices.factories_practices import PhotoFactory
from uptake.models import Adoption, FollowUpPhoto, FollowUpReport

pytestmark = pytest.mark.django_db

LIST = "/showcase/"


def cards(client, **params) -> list[str]:
    """The practice titles of the cards shown, in order."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return re.findall(r'class="stretched-link">([^<]+)</a>', response.content.decode())


@pytest.fixture
def two_editions():
    """Two published editions; the first with areas I and II, three entries each (two
    awarded), in two regions."""
    run_a, results_a = published_edition(slug="first", year_label="2016/2017")
    run_b, results_b = published_edition(slug="second", areas=1, entries_per_area=2)
    sofia = MunicipalityFactory(name="Столична", name_en="Sofia", region="София-град",
                                region_en="Sofia City")
    results_a[0].entry.practice.municipality = sofia
    results_a[0].entry.practice.title_en = "Electronic services for citizens"
    results_a[0].entry.practice.summary_en = "A one-stop shop online."
    results_a[0].entry.practice.save()
    return results_a + results_b


def test_showcase_lists_every_public_result(client, two_editions):
    assert len(cards(client)) == 8


def test_showcase_hides_unpublished_results(client):
    RankingResultFactory(entry__practice__title_en="Public one")
    RankingResultFactory(entry__practice__title_en="Run not published",
                         run=RankingRunFactory(is_published=False))
    RankingResultFactory(entry__practice__title_en="Edition ranked only",
                         run=PublishedRunFactory(edition__phase=Phase.RANKED))
    RankingResultFactory(entry__practice__title_en="Ineligible",
                         entry__status="ineligible")
    assert cards(client) == ["Public one"]


def test_showcase_filter_edition(client, two_editions):
    assert len(cards(client, edition="second")) == 2


def test_showcase_filter_area(client, two_editions):
    area = two_editions[3].area
    assert cards(client, area=area.pk) == [r.entry.practice.title_en for r in two_editions[3:6]]


def test_showcase_filter_region(client, two_editions):
    assert cards(client, region="София-град") == ["Electronic services for citizens"]


def test_showcase_filter_municipality(client, two_editions):
    sofia = Municipality.objects.get(name_en="Sofia")
    assert cards(client, municipality=sofia.pk) == ["Electronic services for citizens"]


def test_showcase_filter_award_winner(client, two_editions):
    assert len(cards(client, award="winner")) == 6


def test_showcase_filter_award_place(client, two_editions):
    expected = [r.entry.practice.title_en for r in two_editions if r.place == 2]
    assert sorted(cards(client, award="2")) == sorted(expected)


def test_showcase_filters_combined(client, two_editions):
    assert len(cards(client, edition="first", award="1")) == 2
    assert cards(client, edition="second", region="София-град") == []


def test_showcase_search_alone(client, two_editions):
    assert cards(client, q="electronic") == ["Electronic services for citizens"]


def test_showcase_search_on_municipality(client, two_editions):
    assert cards(client, q="Sofia") == ["Electronic services for citizens"]


def test_showcase_search_combined_with_filters(client, two_editions):
    assert cards(client, q="electronic", edition="first", award="1") == [
        "Electronic services for citizens"]
    assert cards(client, q="electronic", edition="second") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_showcase_full_text_search_postgresql_matches_words_in_any_order(client, two_editions):
    assert cards(client, q="citizens services") == ["Electronic services for citizens"]
    assert cards(client, q="one-stop shop") == ["Electronic services for citizens"]


def test_showcase_invalid_filter_values_are_ignored(client, two_editions):
    assert len(cards(client, area="nope", municipality="x", award="gold")) == 8


def test_showcase_filters_are_kept_in_pagination_links(client):
    run, _results = published_edition(areas=1, entries_per_area=25)
    response = client.get(LIST, {"edition": run.edition.slug, "page": "1"})
    body = response.content.decode()
    assert f'href="?edition={run.edition.slug}&amp;page=2"' in body
    assert len(cards(client, edition=run.edition.slug, page=2)) == 1
    assert len(cards(client, edition=run.edition.slug)) == 24


def test_showcase_empty_state_says_what_to_try(client, two_editions):
    response = client.get(LIST, {"q": "nothing-like-this"})
    body = response.content.decode()
    assert 'id="empty-state"' in body
    assert "Try fewer or other words" in body
    assert "Clear the filters" in body


def test_showcase_card_shows_photo_municipality_area_and_award(client):
    result = RankingResultFactory(place=1)
    photo = PhotoFactory(practice=result.entry.practice)
    body = client.get(LIST).content.decode()
    assert f'src="/showcase/photos/{photo.pk}/"' in body
    assert 'alt="The renovated square with new benches"' in body
    assert result.entry.practice.municipality.name_en in body
    assert result.area.title_en in body
    assert "Place 1" in body


def test_showcase_query_count_is_fixed(client, django_assert_num_queries):
    first = RankingResultFactory()
    PhotoFactory(practice=first.entry.practice)
    # 5 choices (editions, areas, municipalities, topics, ...), the count, the rows, the
    # photos and the topics of the cards, and one per facet (6): 14 in all
    with django_assert_num_queries(14):
        assert client.get(LIST).status_code == 200
    for _ in range(5):
        result = RankingResultFactory()
        PhotoFactory(practice=result.entry.practice)
    with django_assert_num_queries(14):
        response = client.get(LIST)
    assert len(cards(client)) == 6 and response.status_code == 200


def test_showcase_is_the_same_for_every_role(client, two_editions):
    anonymous = cards(client)
    for user in (OfficerFactory(), OrganiserFactory(), UserFactory()):
        client.force_login(user)
        assert cards(client) == anonymous


# --- /showcase/<slug>/ -------------------------------------------------------------------
def test_edition_results_per_area_winners_first_with_breakdown(client):
    run, results = published_edition(slug="bg", criteria=2, entries_per_area=3, awards=2)
    response = client.get("/showcase/bg/")
    assert response.status_code == 200
    body = response.content.decode()
    area_one = results[0].area
    assert f'id="area-{area_one.pk}-title"' in body
    winners = body.split(f'id="area-{area_one.pk}-title"')[1].split("Ranking")[0]
    assert winners.index(results[0].entry.practice.title_en) < winners.index(
        results[1].entry.practice.title_en)
    assert results[2].entry.practice.title_en not in winners
    assert "<td class=\"text-end\">9.00</td>" in body  # criterion score of rank 1
    assert "<td class=\"text-end\">7.00</td>" in body  # and the total of rank 3
    assert "<td class=\"text-end\">90%</td>" in body  # rank confidence 0.9


def test_edition_results_methodology(client):
    run, _results = published_edition(slug="bg", criteria=2, areas=1)
    criterion = run.edition.criteria.get(order=1)
    criterion.weight = 2
    criterion.guidance_en = "How much the practice changed people's lives."
    criterion.save()
    criterion.rubric_levels.create(score=10, description="Изключително",
                                   description_en="Outstanding")
    area = run.edition.areas.get()
    run.report = {"areas": [{"area_id": area.pk, "agreement": 0.734,
                             "agreement_statistic": "ICC(2,k)", "leniency": []}],
                  "sensitivity": {}}
    run.fingerprint = "ab" * 32
    run.save()
    record_snapshot(run)  # as the ranking job records it
    body = client.get("/showcase/bg/").content.decode()
    assert "weight 2" in body
    assert "How much the practice changed people&#x27;s lives." in body
    assert "<strong>10</strong>: Outstanding" in body
    assert "<strong>Weighted mean</strong>" in body
    assert "equal totals are broken by the criterion scores" in body
    assert "0.734 (ICC(2,k))" in body
    assert "ab" * 32 in body


def test_edition_results_report_with_missing_keys_is_not_reported(client):
    run, _results = published_edition(slug="bg", areas=1)
    run.report = {"areas": [{"oops": 1}, "junk"], "sensitivity": None}
    run.save()
    body = client.get("/showcase/bg/").content.decode()
    assert "not reported" in body


def test_edition_results_bad_criterion_scores_are_shown_as_dashes(client):
    run, results = published_edition(slug="bg", areas=1, criteria=3, entries_per_area=1)
    results[0].criterion_scores = [7, "x"]
    results[0].save()
    body = client.get("/showcase/bg/").content.decode()
    row = body.split("<tbody>")[1].split("</tr>")[0]
    assert row.count(">–</td>") == 2


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.OPEN, Phase.REVIEW, Phase.RANKED])
def test_edition_results_unpublished_edition_is_404(client, phase):
    run, _results = published_edition(slug="hidden")
    run.edition.phase = phase
    run.edition.save()
    client.force_login(OrganiserFactory())
    assert client.get("/showcase/hidden/").status_code == 404


def test_edition_results_without_published_run_is_404(client):
    run, _results = published_edition(slug="hidden")
    run.is_published = False
    run.save()
    assert client.get("/showcase/hidden/").status_code == 404


def test_edition_results_query_count_is_fixed(client, django_assert_num_queries):
    published_edition(slug="small", areas=1, entries_per_area=1)
    published_edition(slug="big", areas=3, entries_per_area=8)
    # the fifth: the jury's recorded decisions (deliberation.selectors.decisions_public)
    with django_assert_num_queries(5):
        assert client.get("/showcase/small/").status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/showcase/big/").status_code == 200


def test_edition_results_embeds_chart_data_and_chartjs(client):
    run, results = published_edition(slug="bg", areas=1, entries_per_area=2)
    body = client.get("/showcase/bg/").content.decode()
    assert '<script id="chart-data" type="application/json">' in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert f'id="chart-area-{results[0].area_id}"' in body


# --- /practices/<id>/ --------------------------------------------------------------------
def test_practice_page_shows_the_practice(client):
    result = RankingResultFactory(place=1, entry__practice__partners="Регионална библиотека",
                                  entry__practice__summary_en="Summary in English.")
    practice = result.entry.practice
    photo = PhotoFactory(practice=practice)
    response = client.get(f"/practices/{practice.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert practice.title_en in body
    assert "Summary in English." in body
    assert "Регионална библиотека" in body
    assert practice.municipality.name_en in body
    assert "Place 1" in body
    assert f'src="/showcase/photos/{photo.pk}/"' in body
    assert (f'<meta property="og:image" content="http://testserver/showcase/photos/'
            f'{photo.pk}/">') in body
    assert f'<meta property="og:title" content="{practice.title_en}">' in body


def test_practice_page_never_shows_contact_details(client):
    result = RankingResultFactory(entry__practice__contact_name="Мария Контактова",
                                  entry__practice__contact_email="maria@obshtina.bg",
                                  entry__practice__contact_phone="+359 888 123 456")
    body = client.get(f"/practices/{result.entry.practice_id}/").content.decode()
    for secret in ("Мария Контактова", "maria@obshtina.bg", "+359 888 123 456"):
        assert secret not in body


def test_practice_page_lists_other_practices_of_the_municipality_or_area(client):
    result = RankingResultFactory()
    municipality = result.entry.practice.municipality
    same_municipality = RankingResultFactory(entry__practice__municipality=municipality,
                                             entry__practice__title_en="Same municipality")
    same_area = RankingResultFactory(run=result.run, entry=EntryFactory(
        area=result.area, practice__title_en="Same area"))
    RankingResultFactory(entry__practice__title_en="Unrelated")
    RankingResultFactory(run=RankingRunFactory(edition=result.run.edition),
                         entry=EntryFactory(area=result.area,
                                            practice=PracticeFactory(municipality=municipality,
                                                                     title_en="Not public")))
    body = client.get(f"/practices/{result.entry.practice_id}/").content.decode()
    related = body.split('id="related-title"')[1]
    assert same_municipality.entry.practice.title_en in related
    assert same_area.entry.practice.title_en in related
    assert "Unrelated" not in related
    assert "Not public" not in related


@pytest.mark.parametrize("make", [
    lambda: EntryFactory().practice,
    lambda: PracticeFactory(),
    lambda: RankingResultFactory(run=RankingRunFactory(is_published=False)).entry.practice,
    lambda: RankingResultFactory(run__edition__phase=Phase.RANKED).entry.practice,
    lambda: RankingResultFactory(entry__status="withdrawn").entry.practice,
    lambda: RankingResultFactory(rank=None, place=None).entry.practice,
])
def test_practice_page_unpublished_is_404_for_everyone(client, make):
    practice = make()
    assert client.get(f"/practices/{practice.pk}/").status_code == 404
    client.force_login(OfficerFactory(municipality=practice.municipality))
    assert client.get(f"/practices/{practice.pk}/").status_code == 404
    client.force_login(OrganiserFactory())
    assert client.get(f"/practices/{practice.pk}/").status_code == 404


def test_practice_page_query_count_is_fixed(client, django_assert_num_queries):
    one = RankingResultFactory()
    PhotoFactory(practice=one.entry.practice)
    many = RankingResultFactory()
    for _ in range(4):
        PhotoFactory(practice=many.entry.practice)
        RankingResultFactory(run=many.run, entry=EntryFactory(area=many.area))
        RankingResultFactory(entry__practice__municipality=many.entry.practice.municipality)
    # the timeline of approved follow-up reports (with photos) and the adoptions (uptake)
    for result, count in ((one, 1), (many, 4)):
        for months in range(1, count + 1):
            report = FollowUpReport.objects.create(
                practice=result.entry.practice, edition=result.run.edition, months=months,
                due_on=dt.date(2026, months, 1), status="approved", state="running", text="x")
            FollowUpPhoto.objects.create(report=report, image="practices/x.png", width=8,
                                         height=6)
            Adoption.objects.create(practice=result.entry.practice,
                                    municipality=MunicipalityFactory(),
                                    adopted_on=dt.date(2026, months, 1))
    with django_assert_num_queries(7):
        assert client.get(f"/practices/{one.entry.practice_id}/").status_code == 200
    with django_assert_num_queries(7):
        assert client.get(f"/practices/{many.entry.practice_id}/").status_code == 200


# --- photos ------------------------------------------------------------------------------
def test_photo_of_published_practice_is_served(client):
    photo = PhotoFactory(practice=RankingResultFactory().entry.practice)
    response = client.get(f"/showcase/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_photo_of_unpublished_practice_is_404_for_everyone(client):
    photo = PhotoFactory(practice=EntryFactory().practice)
    hidden = PhotoFactory(practice=RankingResultFactory(
        run=RankingRunFactory(is_published=False)).entry.practice)
    for user in (None, OfficerFactory(municipality=photo.practice.municipality),
                 OrganiserFactory()):
        if user:
            client.force_login(user)
        assert client.get(f"/showcase/photos/{photo.pk}/").status_code == 404
        assert client.get(f"/showcase/photos/{hidden.pk}/").status_code == 404


def test_photo_missing_file_is_404(client):
    photo = PhotoFactory(practice=RankingResultFactory().entry.practice)
    photo.image.storage.delete(photo.image.name)
    assert client.get(reverse("showcase:photo", args=[photo.pk])).status_code == 404


def test_edition_results_large_area_shows_the_first_ranks_and_links_to_all(client):
    run, results = published_edition(slug="bg", areas=1, entries_per_area=55)
    body = client.get("/showcase/bg/").content.decode()
    area = results[0].area
    assert body.count('<th scope="row"') == 50
    assert "The first 50 of 55 ranked entries are shown." in body
    assert f'href="?area={area.pk}#area-{area.pk}"' in body
    full = client.get("/showcase/bg/", {"area": area.pk}).content.decode()
    assert full.count('<th scope="row"') == 55
    assert "Back to the results of every area" in full


def test_edition_results_area_of_another_edition_is_404(client):
    published_edition(slug="bg")
    _run, others = published_edition(slug="other")
    assert client.get("/showcase/bg/", {"area": others[0].area_id}).status_code == 404


def test_edition_results_sharing_metadata(client):
    published_edition(slug="bg", title_en="Best Practices 2016/2017", areas=1)
    body = client.get("/showcase/bg/").content.decode()
    assert '<meta property="og:title" content="Best Practices 2016/2017">' in body
    assert '<meta property="og:url" content="http://testserver/showcase/bg/">' in body
    assert "<title>Best Practices 2016/2017 · Best Practices Programme</title>" in body
    assert 'type="application/atom+xml"' in body


@pytest.fixture
def tundzha_result():
    """A public result of a practice whose Bulgarian text is in Cyrillic capitals."""
    result, *_ = published_edition(slug="tundzha", areas=1, entries_per_area=1)[1]
    municipality = MunicipalityFactory(name="Тунджа", name_en="Tundzha", region="Ямбол")
    practice = result.entry.practice
    practice.municipality = municipality
    practice.title = "С ТУНДЖА В СЪРЦЕТО"
    practice.title_en = "With Tundzha at Heart"
    practice.summary = "Общината събра Младежкия съвет."
    practice.save()
    return result


@pytest.mark.parametrize("q", ["тунджа", "Тунджа", "ТУНДЖА", "сърцето", "младежкия", "tundzha"])
def test_showcase_search_folds_case_in_bulgarian(client, tundzha_result, q):
    assert cards(client, q=q) == ["With Tundzha at Heart"]


def test_showcase_search_in_bulgarian_finds_nothing_for_other_words(client, tundzha_result):
    assert cards(client, q="добрич") == []


def _meta_description(body: str) -> str:
    return re.search(r'<meta name="description" content="([^"]*)"', body).group(1)


def test_edition_results_description_uses_plural_forms(client):
    run, _results = published_edition(slug="one", areas=1, entries_per_area=2, awards=1,
                                      title="Конкурс", title_en="Contest")
    assert _meta_description(client.get("/showcase/one/").content.decode()) == (
        "Results of Contest: 1 awarded practice in 1 thematic area, with every score "
        "and the method.")


def test_edition_results_description_uses_bulgarian_plural_forms():
    from django.test import Client

    published_edition(slug="two", areas=2, entries_per_area=2, awards=1, title="Конкурс",
                      title_en="Contest")
    body = Client(HTTP_ACCEPT_LANGUAGE="bg").get("/showcase/two/").content.decode()
    assert _meta_description(body) == (
        "Резултати от Конкурс: 2 отличени практики в 2 тематични области, с всички "
        "оценки и методиката.")


def test_edition_results_of_one_area_is_paginated_with_the_same_queries(
        client, monkeypatch, django_assert_num_queries):
    from portal import selectors as portal_selectors

    monkeypatch.setattr(portal_selectors, "AREA_PAGE_SIZE", 4)
    run, results = published_edition(slug="bg", areas=1, criteria=1, entries_per_area=10)
    area = results[0].area_id
    url = f"/showcase/bg/?area={area}"
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url + "&utm=x").content.decode()
    assert first.count('<th scope="row"') == 4
    assert '<nav aria-label="Pages"' in first and 'aria-current="page"' in first
    # the links come from the normalised parameters, never the request's extra ones
    pages = re.search(r'<nav aria-label="Pages".*?</nav>', first, re.S).group(0)
    assert f"?area={area}&amp;page=2" in pages and "utm" not in pages
    with CaptureQueriesContext(connection) as last_queries:
        last = client.get(url + "&page=3").content.decode()
    assert last.count('<th scope="row"') == 2  # ranks 9 and 10
    assert len(last_queries) == len(first_queries)
    assert "Show all" not in last
