import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from competitions.enums import Phase
from tests.factories import EntryFactory
from tests.portal.factories_showcase import (
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_results_csv_has_a_row_per_public_result(client):
    run, results = published_edition(slug="bg", areas=2, criteria=2, entries_per_area=2)
    RankingResultFactory(run=run, entry=EntryFactory(area=results[0].area, status="ineligible"))
    response = client.get("/showcase/bg/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 4
    first = rows[0]
    criterion = run.edition.criteria.get(order=1)
    assert first["area_code"] == "I"
    assert first["rank"] == "1"
    assert first["place"] == "1"
    assert first["practice"] == results[0].entry.practice.title
    assert first[f"criterion_1: {criterion.title_en}"] == "9.0"
    assert first["total"] == "9.0"
    assert first["url"] == f"http://testserver/practices/{results[0].entry.practice_id}/"


def test_results_json_has_edition_run_criteria_and_results(client):
    run, results = published_edition(slug="bg", areas=1, criteria=2, entries_per_area=3)
    data = json.loads(client.get("/showcase/bg/results.json").getvalue())
    assert data["edition"]["slug"] == "bg"
    assert data["run"]["fingerprint"] == run.fingerprint
    assert data["run"]["method"] == "weighted_mean"
    assert [c["order"] for c in data["criteria"]] == [1, 2]
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]
    assert [r["place"] for r in data["results"]] == [1, 2, None]
    assert data["results"][0]["criterion_scores"] == [9.0, 9.0]


@pytest.mark.parametrize("suffix", ["results.csv", "results.json"])
@pytest.mark.parametrize("phase", [Phase.OPEN, Phase.REVIEW, Phase.RANKED])
def test_results_exports_of_unpublished_edition_are_404(client, suffix, phase):
    run, _results = published_edition(slug="hidden")
    run.edition.phase = phase
    run.edition.save()
    assert client.get(f"/showcase/hidden/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["results.csv", "results.json"])
def test_results_exports_without_published_run_are_404(client, suffix):
    RankingRunFactory(edition__slug="hidden")
    assert client.get(f"/showcase/hidden/{suffix}").status_code == 404


def test_results_json_query_count_is_fixed(client, django_assert_num_queries):
    published_edition(slug="small", areas=1, entries_per_area=1)
    published_edition(slug="big", areas=3, entries_per_area=6)
    # which run is published, the run, then the results, their practices' topics and
    # adoptions read side by side while the response streams (and is written to its file),
    # and the jury's recorded decisions
    with django_assert_num_queries(6):
        client.get("/showcase/small/results.json").getvalue()
    with django_assert_num_queries(6):
        client.get("/showcase/big/results.json").getvalue()


# --- feed --------------------------------------------------------------------------------
def test_feed_parses_and_lists_published_winners_only(client):
    run, results = published_edition(slug="bg", areas=1, entries_per_area=3, awards=2)
    RankingResultFactory(run=RankingRunFactory(is_published=False), place=1,
                         entry__practice__title_en="Secret winner")
    response = client.get("/showcase/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(titles) == 2
    assert titles[0].startswith("Place 1 in I.")
    assert results[0].entry.practice.title_en in titles[0]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0] == f"http://testserver/practices/{results[0].entry.practice_id}/"
    assert b"Secret winner" not in response.content


def test_feed_summaries_are_plain_text_with_markup_as_literal_text(client):
    markup = '<img src="https://evil.example/x.png"><a href="https://evil.example">Win</a>'
    run, results = published_edition(slug="bg", areas=1, entries_per_area=1, awards=1)
    practice = results[0].entry.practice
    practice.summary = practice.summary_en = f"Our square. {markup}"
    practice.save()
    response = client.get("/showcase/feed/")
    summary = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert (summary.get("type"), summary.text, list(summary)) == (
        "text", f"Our square. {markup}", [])
    assert b"<img" not in response.content


# --- schema ------------------------------------------------------------------------------
def test_openapi_schema_validates():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert sorted(schema["paths"]) == [
        "/api/v1/areas/", "/api/v1/areas/{id}/", "/api/v1/criteria/", "/api/v1/criteria/{id}/",
        "/api/v1/editions/", "/api/v1/editions/{slug}/", "/api/v1/practices/",
        "/api/v1/practices/{id}/", "/api/v1/results/", "/api/v1/results/{id}/",
        "/api/v1/topics/", "/api/v1/topics/{slug}/"]


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert b"/api/v1/practices/" in response.content


def test_openapi_schema_command_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file",
                 str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0.3")


def test_results_csv_defuses_spreadsheet_formulas_in_titles(client):
    run, results = published_edition(slug="bg", areas=1, criteria=1, entries_per_area=1)
    practice = results[0].entry.practice
    practice.title = '=HYPERLINK("http://evil.example","click")'
    practice.save()
    rows = list(csv.DictReader(io.StringIO(
        client.get("/showcase/bg/results.csv").getvalue().decode("utf-8-sig"))))
    assert rows[0]["practice"] == "'" + practice.title


def test_results_page_ignores_a_non_ascii_digit_area(client):
    published_edition(slug="bg", areas=1, criteria=1, entries_per_area=1)
    assert client.get("/showcase/bg/?area=%C2%B2").status_code == 200


def test_feed_entry_ids_are_absolute_tag_uris(client, settings):
    settings.SITE_URL = "https://practices.example.bg:8443"
    run, results = published_edition(slug="bg", areas=1, entries_per_area=2, awards=2)
    root = ET.fromstring(client.get("/showcase/feed/").content)
    ids = [entry.find(f"{ATOM}id").text for entry in root.findall(f"{ATOM}entry")]
    day = f"{run.created_at:%Y-%m-%d}"
    assert ids == [f"tag:practices.example.bg,{day}:result-{results[0].pk}",
                   f"tag:practices.example.bg,{day}:result-{results[1].pk}"]
