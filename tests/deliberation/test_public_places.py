"""Every public reader shows and filters by the published place: the jury's recorded decision
where the area has one (here the computed first and second swapped, the unplaced third a
special mention), else the computed place. The run's publication writes it
(`RankingResult.published_place`), in the same queries as before."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from deliberation.enums import DecisionStatus
from deliberation.models import AreaDecision, DecisionPlace
from portal import selectors
from portal.selectors import ShowcaseFilters
from scoring.models import RankingResult
from scoring.selectors.public import published_places
from scoring.services.ranking import ranking_run_publish, ranking_run_unpublish

from .test_views import _recorded_departure

pytestmark = pytest.mark.django_db


def _publish(panel):
    ranking_run_publish(run=panel.run, by=panel.organiser, notify=False)
    cache.clear()


@pytest.fixture
def decided(panel):
    """The panel's run published with the chair's recorded departure."""
    _recorded_departure(panel)
    _publish(panel)
    return panel


def _stored(panel) -> dict[int, int | None]:
    return dict(RankingResult.objects.filter(run=panel.run)
                .values_list("entry_id", "published_place"))


def _titles(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return re.findall(r'class="stretched-link">([^<]+)</a>', response.content.decode())


def _badges(body: str) -> list[str]:
    return re.findall(r"Place (\d+)", body)


def test_publication_writes_the_decided_places(decided):
    first, second, third = decided.entries
    assert _stored(decided) == {first.pk: 2, second.pk: 1, third.pk: None}
    # the column and the one definition (`published_places`, through the hook) agree
    results = list(RankingResult.objects.filter(run=decided.run))
    assert {entry: place for (_run, entry), place in published_places(results).items()} == (
        _stored(decided))


def test_publication_without_a_decision_writes_the_computed_places(panel):
    _publish(panel)
    first, second, third = panel.entries
    assert _stored(panel) == {first.pk: 1, second.pk: 2, third.pk: None}


def test_unpublishing_clears_the_published_places_and_republishing_writes_them(decided):
    ranking_run_unpublish(run=decided.run, by=decided.organiser, reason="Check.")
    assert set(_stored(decided).values()) == {None}
    _publish(decided)
    first, second, _third = decided.entries
    assert (_stored(decided)[first.pk], _stored(decided)[second.pk]) == (2, 1)


def test_practice_pages_show_the_decided_place(client, decided):
    first, second, third = decided.entries
    pages = {entry.pk: client.get(reverse("showcase:practice", args=[entry.practice_id]))
             for entry in decided.entries}
    assert {pk: _badges(page.content.decode().split("<main")[-1].split("</main>")[0]
                        .split("card-practice")[0])[:1]
            for pk, page in pages.items()} == {first.pk: ["2"], second.pk: ["1"],
                                               third.pk: []}


def test_showcase_cards_and_the_winners_filter_follow_the_decision(client, decided):
    body = client.get("/showcase/", {"sort": "award"}).content.decode()
    cards = re.findall(r'card-practice(?: place-(\d))?".*?class="stretched-link">([^<]+)</a>',
                       body, re.S)
    assert cards == [("1", "Practice 2"), ("2", "Practice 1"), ("", "Practice 3")]
    assert sorted(_titles(client, "/showcase/", award="winner")) == ["Practice 1",
                                                                     "Practice 2"]
    assert _titles(client, "/showcase/", award="1") == ["Practice 2"]
    assert _titles(client, "/showcase/", award="2") == ["Practice 1"]


def test_home_winners_follow_the_decision(client, decided):
    winners = selectors.home_page().winners
    assert [(r.entry_id, r.published_place) for r in winners] == [
        (decided.entries[1].pk, 1), (decided.entries[0].pk, 2)]
    body = client.get("/").content.decode()
    assert body.index("Practice 2") < body.index("Practice 1")
    assert "Practice 3" not in body


def test_the_feed_follows_the_decision(client, decided):
    body = client.get(reverse("showcase:feed")).content.decode()
    assert "Place 1 in I." in body and "Place 2 in I." in body
    titles = re.findall(r"<title>Place (\d) in [^:]+: ([^(<]+) \(", body)
    assert titles == [("1", "Practice 2"), ("2", "Practice 1")]


def test_the_api_follows_the_decision(client, decided):
    response = client.get("/api/v1/results/", {"awarded": "true"})
    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    assert sorted((row["practice"], row["place"]) for row in rows) == sorted(
        [(decided.entries[1].practice_id, 1), (decided.entries[0].practice_id, 2)])



def test_the_api_award_filter_of_practices_follows_the_decision(client, decided):
    def practices(**params):
        response = client.get("/api/v1/practices/", params)
        assert response.status_code == 200
        body = response.json()
        return sorted(row["id"] for row in (body["results"] if isinstance(body, dict)
                                             else body))

    first, second, _third = decided.entries
    assert practices(award="1") == [second.practice_id]
    assert practices(award="2") == [first.practice_id]
    assert practices(award="winner") == sorted([first.practice_id, second.practice_id])

def _unplace_the_first(panel):
    """A recorded decision that gives the computed first no place (a special mention)."""
    first, second, third = panel.entries
    decision = AreaDecision.objects.create(run=panel.run, area=panel.area,
                                           status=DecisionStatus.RECORDED, departs=True,
                                           chair=panel.chair, public_justification="Why.")
    for entry, place, computed in ((first, None, 1), (second, 1, 2), (third, 2, None)):
        DecisionPlace.objects.create(decision=decision, entry=entry, place=place,
                                     computed_place=computed, mention=place is None,
                                     justification="J.")


def test_region_counts_and_facets_count_the_decided_winners(panel):
    first, _second, _third = panel.entries
    first.practice.municipality.region = "Elsewhere"
    first.practice.municipality.save()
    _unplace_the_first(panel)
    _publish(panel)
    counts = selectors.region_counts()
    assert counts["Elsewhere"] == {"practices": 1, "winners": 0}
    facets = selectors.showcase_facets(selectors.showcase_results(filters=ShowcaseFilters()))
    assert facets["award"] == {1: 1, 2: 1, None: 1}


def test_an_edition_without_decision_shows_the_computed_places(client, panel):
    _publish(panel)
    assert _titles(client, "/showcase/", award="1") == ["Practice 1"]
    assert [(r.entry_id, r.published_place) for r in selectors.home_page().winners] == [
        (panel.entries[0].pk, 1), (panel.entries[1].pk, 2)]


def _page_queries(client, panel) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in ("/showcase/", "/showcase/?award=winner",
                f"/practices/{panel.entries[0].practice_id}/", "/"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_query_counts_are_those_without_a_decision(client, panel):
    """The showcase (14: tests/portal/test_showcase.py), its winners, a practice page (6:
    seven with follow-up reports) and the home page (5) read as many queries with a
    decision as without."""
    _publish(panel)
    without = _page_queries(client, panel)
    assert list(without.values()) == [14, 14, 6, 5]
    ranking_run_unpublish(run=panel.run, by=panel.organiser, reason="Decide first.")
    _recorded_departure(panel)
    _publish(panel)
    assert _page_queries(client, panel) == without


def _csv_places(client, url) -> dict[str, str]:
    import csv
    import io

    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return {row["practice"]: row["place"] for row in rows}


def test_the_csv_exports_publish_the_decided_place_and_results_json_the_computed(
        client, decided):
    """The CSV files' "place" is the award (the data dictionary): the decided place.
    results.json keeps the computed place in "results" (its verification recomputes it),
    the decision beside it (tests/deliberation/test_publication.py)."""
    import json

    expected = {"Practice 1": "2", "Practice 2": "1", "Practice 3": ""}
    assert _csv_places(client, reverse("showcase:results_csv",
                                       args=[decided.edition.slug])) == expected
    assert _csv_places(client, reverse("showcase:bulk_csv")) == expected
    response = client.get(reverse("showcase:results_json", args=[decided.edition.slug]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert {row["practice"]: row["place"] for row in json.loads(body)["results"]} == {
        "Practice 1": 1, "Practice 2": 2, "Practice 3": None}


def test_the_booklet_prints_the_decided_places(decided):
    from giveback.selectors import booklet_data

    first, second, third = decided.entries
    (area,) = booklet_data(run=decided.run).areas
    assert [(item.result.entry_id, item.place) for item in area.practices] == [
        (second.pk, 1), (first.pk, 2)]


def test_the_booklet_of_an_edition_without_decision_prints_the_computed_places(panel):
    from giveback.selectors import booklet_data

    _publish(panel)
    (area,) = booklet_data(run=panel.run).areas
    assert [(item.result.entry_id, item.place) for item in area.practices] == [
        (panel.entries[0].pk, 1), (panel.entries[1].pk, 2)]
