import pytest

from competitions.enums import Phase
from tests.factories import EntryFactory, RubricLevelFactory
from tests.portal.factories_showcase import (
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
    record_snapshot,
)
from tests.practices.factories_practices import PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_and_hidden():
    """A published edition "bg", and an edition "hidden" in phase ranked with a published
    run, an unpublished run of "bg", and a draft entry."""
    run, results = published_edition(slug="bg", areas=2, criteria=2, entries_per_area=2)
    RubricLevelFactory(criterion=run.edition.criteria.first())
    record_snapshot(run)
    hidden_run, hidden = published_edition(slug="hidden", areas=1, entries_per_area=1)
    hidden_run.edition.phase = Phase.RANKED
    hidden_run.edition.save()
    unpublished = RankingResultFactory(run=RankingRunFactory(edition=run.edition),
                                       entry=EntryFactory(area=results[0].area))
    draft = EntryFactory(area=results[0].area, status="draft")
    return {"run": run, "results": results, "hidden": hidden[0], "unpublished": unpublished,
            "draft": draft}


def test_api_editions_lists_published_editions_only(client, public_and_hidden):
    data = client.get("/api/v1/editions/").json()
    assert [e["slug"] for e in data["results"]] == ["bg"]
    assert data["results"][0]["fingerprint"] == public_and_hidden["run"].fingerprint
    assert client.get("/api/v1/editions/bg/").status_code == 200
    assert client.get("/api/v1/editions/hidden/").status_code == 404


def test_api_areas_of_published_editions_only(client, public_and_hidden):
    data = client.get("/api/v1/areas/").json()
    assert [a["code"] for a in data["results"]] == ["I", "II"]
    hidden_area = public_and_hidden["hidden"].area_id
    assert client.get(f"/api/v1/areas/{hidden_area}/").status_code == 404


def test_api_criteria_with_weights_and_rubric(client, public_and_hidden):
    data = client.get("/api/v1/criteria/", {"edition__slug": "bg"}).json()
    assert [c["order"] for c in data["results"]] == [1, 2]
    assert data["results"][0]["weight"] == 1.0
    assert data["results"][0]["rubric"] == [{"score": 5, "description": "Средно",
                                             "description_en": "Average"}]


def test_api_practices_published_only(client, public_and_hidden):
    data = client.get("/api/v1/practices/").json()
    expected = sorted(r.entry.practice_id for r in public_and_hidden["results"])
    assert [p["id"] for p in data["results"]] == expected
    for key in ("hidden", "unpublished"):
        practice = public_and_hidden[key].entry.practice_id
        assert client.get(f"/api/v1/practices/{practice}/").status_code == 404
    draft = public_and_hidden["draft"].practice_id
    assert client.get(f"/api/v1/practices/{draft}/").status_code == 404


def test_api_practice_detail_has_results_and_photos(client, public_and_hidden):
    result = public_and_hidden["results"][0]
    photo = PhotoFactory(practice=result.entry.practice)
    data = client.get(f"/api/v1/practices/{result.entry.practice_id}/").json()
    assert data["results"] == [{"id": result.pk, "edition": "bg", "area": result.area_id,
                                "area_code": "I", "rank": 1, "place": 1, "total": 9.0}]
    assert data["photos"][0]["url"] == f"http://testserver/showcase/photos/{photo.pk}/"


def test_api_practices_filters(client, public_and_hidden):
    area = public_and_hidden["results"][2].area_id
    data = client.get("/api/v1/practices/", {"edition": "bg", "area": area}).json()
    assert sorted(p["id"] for p in data["results"]) == sorted(
        r.entry.practice_id for r in public_and_hidden["results"][2:4])
    assert client.get("/api/v1/practices/", {"edition": "hidden"}).json()["count"] == 0


def test_api_results_published_only_and_filters(client, public_and_hidden):
    data = client.get("/api/v1/results/").json()
    assert [r["id"] for r in data["results"]] == [r.pk for r in public_and_hidden["results"]]
    awarded = client.get("/api/v1/results/", {"awarded": "true", "area":
                                              public_and_hidden["results"][0].area_id}).json()
    assert [r["place"] for r in awarded["results"]] == [1, 2]
    for key in ("hidden", "unpublished"):
        assert client.get(f"/api/v1/results/{public_and_hidden[key].pk}/").status_code == 404


def test_api_is_read_only(client, public_and_hidden):
    practice = public_and_hidden["results"][0].entry.practice_id
    assert client.post("/api/v1/practices/", {}).status_code == 405
    assert client.put(f"/api/v1/practices/{practice}/", {}).status_code == 405
    assert client.delete(f"/api/v1/practices/{practice}/").status_code == 405


@pytest.mark.parametrize(("url", "queries"), [
    ("/api/v1/practices/", 7), ("/api/v1/results/", 2), ("/api/v1/editions/", 3),
    ("/api/v1/criteria/", 3), ("/api/v1/areas/", 2)])
def test_api_list_query_count_is_fixed(client, django_assert_num_queries, url, queries):
    one = RankingResultFactory()
    PhotoFactory(practice=one.entry.practice)
    RubricLevelFactory(criterion__edition=one.run.edition)
    with django_assert_num_queries(queries):
        assert client.get(url).json()["count"] == 1
    run, results = published_edition(areas=3, entries_per_area=4)
    for result in results[:5]:
        PhotoFactory(practice=result.entry.practice)
    RubricLevelFactory(criterion=run.edition.criteria.first())
    with django_assert_num_queries(queries):
        assert client.get(url).json()["count"] > 1


def test_api_criteria_of_unpublished_edition_are_404(client, public_and_hidden):
    hidden = public_and_hidden["hidden"].run.edition.criteria.first()
    assert client.get(f"/api/v1/criteria/{hidden.pk}/").status_code == 404
    listed = [c["id"] for c in client.get("/api/v1/criteria/").json()["results"]]
    assert hidden.pk not in listed
