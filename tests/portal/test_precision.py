"""Figures of a ranking are shown and exported at the precision of scoring.precision."""

import csv
import io
import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import OrganiserFactory
from tests.portal.factories_showcase import published_edition

pytestmark = pytest.mark.django_db

RAW = 8.299999999999999


@pytest.fixture
def result():
    run, results = published_edition(slug="bg", areas=1, criteria=2, entries_per_area=1)
    first = results[0]
    first.total = RAW
    first.criterion_scores = [RAW, 7.333333333333333]
    first.rank_confidence = 0.8766666666666667
    first.spread = 1.2345678
    first.save()
    return first


def test_precision_results_json_rounds_figures(client, result):
    data = json.loads(client.get("/showcase/bg/results.json").getvalue())
    row = data["results"][0]
    assert row["total"] == 8.3
    assert row["criterion_scores"] == [8.3, 7.33]
    assert row["rank_confidence"] == 0.877
    assert data["precision"] == {"scores": 2, "rank_confidence": 3}


def test_precision_results_csv_rounds_figures(client, result):
    response = client.get("/showcase/bg/results.csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    assert values["total"] == "8.3"
    assert values["rank_confidence"] == "0.877"
    assert [values[name] for name in header if name.startswith("criterion_")] == ["8.3", "7.33"]


def test_precision_api_results_round_figures(client, result):
    row = client.get("/api/v1/results/").json()["results"][0]
    assert row["total"] == 8.3
    assert row["criterion_scores"] == [8.3, 7.33]
    assert row["rank_confidence"] == 0.877


def test_precision_api_practice_awards_round_total(client, result):
    practice = client.get(f"/api/v1/practices/{result.entry.practice_id}/").json()
    assert [award["total"] for award in practice["results"]] == [8.3]


def test_precision_is_stated_in_the_openapi_schema():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]
    result = components["schemas"]["Result"]["properties"]
    assert result["total"]["description"] == (
        "Weighted total on the edition's scale. Rounded to 2 decimal places.")
    assert result["criterion_scores"]["items"]["description"] == "Rounded to 2 decimal places."
    assert result["rank_confidence"]["description"] == (
        "Share of bootstrap resamples of jurors in which the entry keeps its place. "
        "Rounded to 3 decimal places.")


def test_precision_public_pages_round_figures(client, result):
    edition_page = client.get("/showcase/bg/").content.decode()
    practice_page = client.get(f"/practices/{result.entry.practice_id}/").content.decode()
    assert "8.29999" not in edition_page
    assert "8.30" in edition_page
    assert "7.33" in edition_page
    assert "total 8.30" in practice_page
    assert "8.29999" not in practice_page


def test_precision_organiser_results_page_rounds_figures(client, result):
    client.force_login(OrganiserFactory())
    page = client.get("/organiser/results/bg/").content.decode()
    assert page.count("8.30") >= 2  # the criterion score and the total
    assert "8.300" not in page
    assert "1.23<" in page
