"""The showcase as a library: facets with counts and sorting, the same filters in the API,
the regions map, and open data (licence, bulk download, data dictionary, DCAT-AP)."""

import csv
import io
import json
import re
from urllib.parse import parse_qsl, quote

import pytest

from competitions.enums import Phase
from practices.enums import InnovationType
from practices.models import Topic
from tests.factories import MunicipalityFactory
from tests.portal.factories_showcase import (
    PublishedEditionFactory,
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
)

pytestmark = pytest.mark.django_db

LIST = "/showcase/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def cards(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return re.findall(r'class="stretched-link">([^<]+)</a>', response.content.decode())


def facet(client, name: str, **params) -> dict[str, int]:
    """The values of one facet of /showcase/ with their counts."""
    body = client.get(LIST, params).content.decode()
    block = re.search(rf'data-facet="{name}".*?</section>', body, re.S)
    if block is None:
        return {}
    return {re.sub(r"<[^>]+>|Remove the filter:", "", label).strip(): int(count)
            for label, count in re.findall(r"<span>(.*?)</span> <span class=\"badge[^\"]*\" "
                                           r"data-count>(\d+)</span>", block.group(0), re.S)}


@pytest.fixture
def library():
    """Two published editions; practices of various kinds, topics and regions."""
    digital = Topic.objects.create(slug="digital", name="Цифрови услуги",
                                   name_en="Digital services")
    care = Topic.objects.create(slug="social-care", name="Социални грижи",
                                name_en="Social care", order=1)
    Topic.objects.create(slug="unused", name="Неизползвана", name_en="Unused")
    varna = MunicipalityFactory(region="Варна", region_en="Varna")
    yambol = MunicipalityFactory(region="Ямбол", region_en="Yambol")
    run, results = published_edition(slug="older", areas=1, entries_per_area=3, awards=1,
                                     submissions_open_at=PublishedEditionFactory
                                     .submissions_open_at.function())
    kinds = [InnovationType.SERVICE, InnovationType.SERVICE, InnovationType.PROCESS]
    for result, kind, town in zip(results, kinds, [varna, varna, yambol], strict=True):
        practice = result.entry.practice
        practice.innovation_type, practice.municipality = kind, town
        practice.save()
    results[0].entry.practice.topics.add(digital, care)
    results[1].entry.practice.topics.add(care)
    # an unpublished run: none of its practices counts anywhere
    hidden = RankingResultFactory(run=RankingRunFactory(is_published=False),
                                  entry__practice__title_en="Hidden practice")
    hidden.entry.practice.innovation_type = InnovationType.COMMUNICATION
    hidden.entry.practice.save()
    hidden.entry.practice.topics.add(digital)
    return {"results": results, "digital": digital, "care": care, "varna": varna,
            "yambol": yambol, "hidden": hidden}


# --- facets and sorting -------------------------------------------------------------------
def test_facets_count_published_practices_per_value(client, library):
    assert facet(client, "type") == {"Service innovation": 2, "Process innovation": 1}
    assert facet(client, "topic") == {"Digital services": 1, "Social care": 2}
    assert facet(client, "region") == {"Varna": 2, "Yambol": 1}
    assert facet(client, "award") == {"Place 1": 1}
    assert list(facet(client, "edition").values()) == [3]


def test_facets_follow_the_chosen_filters(client, library):
    assert facet(client, "topic", type="service") == {"Digital services": 1, "Social care": 2}
    assert facet(client, "type", topic="digital") == {"Service innovation": 1}
    assert facet(client, "region", type="process") == {"Yambol": 1}


def test_facet_links_choose_and_clear_a_filter(client, library):
    body = client.get(LIST).content.decode()
    assert 'href="/showcase/?type=service"' in body
    chosen = client.get(LIST, {"type": "service"}).content.decode()
    assert 'aria-current="true"' in chosen and 'href="/showcase/?"' in chosen


def test_filter_by_kind_and_topic(client, library):
    first, second, third = (r.entry.practice.title_en for r in library["results"])
    assert sorted(cards(client, type="service")) == sorted([first, second])
    assert cards(client, topic="digital") == [first]
    assert sorted(cards(client, topic="social-care", type="service")) == sorted([first, second])
    assert "Hidden practice" not in cards(client, type="communication")


def test_sorting_by_title_and_by_award(client, library):
    for index, result in enumerate(library["results"]):
        practice = result.entry.practice
        practice.title = ["Вяра", "Борба", "Арка"][index]
        practice.save()
    titles = [r.entry.practice.title_en for r in library["results"]]
    assert cards(client, sort="title") == [titles[2], titles[1], titles[0]]
    assert cards(client, sort="award")[0] == titles[0]


def test_facets_and_map_keep_a_fixed_number_of_queries(client, library,
                                                        django_assert_num_queries):
    with django_assert_num_queries(14):
        assert client.get(LIST, {"type": "service"}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/showcase/map/").status_code == 200
    run, results = published_edition(slug="bigger", areas=3, entries_per_area=6)
    for index, result in enumerate(results):
        practice = result.entry.practice
        practice.innovation_type = list(InnovationType)[index % 4]
        practice.municipality = [library["varna"], library["yambol"]][index % 2]
        practice.save()
        practice.topics.add(library["digital"] if index % 2 else library["care"])
    with django_assert_num_queries(14):
        assert client.get(LIST, {"type": "service"}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/showcase/map/").status_code == 200


def test_cards_show_kind_and_topics(client, library):
    body = client.get(LIST, {"topic": "digital"}).content.decode()
    assert "Service innovation" in body and "Digital services" in body


# --- the map --------------------------------------------------------------------------------
def test_map_draws_every_region_shaded_and_linked_to_the_showcase(client, library):
    body = client.get("/showcase/map/").content.decode()
    assert len(re.findall(r'class="region-tile shade-\d" data-region=', body)) == 28
    # Varna: two practices, the most: the darkest shade, a real link with a name
    varna = re.search(r'<a href="([^"]+)" class="region-tile shade-(\d)" data-region="BG-03" '
                      r'aria-label="([^"]+)"', body)
    assert varna is not None
    assert varna.group(2) == "4" and varna.group(3) == "Varna: 2 practices"
    assert varna.group(1) == "/showcase/?region=" + quote("Варна")
    # a region without practices is no link (the table names it)
    assert '<g class="region-tile shade-0" data-region="BG-01" aria-hidden="true">' in body
    table = re.search(r'<table[^>]*id="region-table".*?</table>', body, re.S).group(0)
    assert re.search(r'data-region="BG-03"><th scope="row"><a [^>]*>Varna</a></th>'
                     r'<td class="text-end">2</td><td class="text-end">1</td>', table)
    assert table.count("<tr data-region=") == 28
    assert "Legend" in body


def test_map_link_filters_the_showcase_by_region(client, library):
    body = client.get("/showcase/map/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="region-tile[^"]*" data-region="BG-28"',
                     body).group(1).replace("&amp;", "&")
    assert cards(client, **dict(parse_qsl(link.split("?")[1]))) == [
        library["results"][2].entry.practice.title_en]


def test_map_shows_winners_on_demand(client, library):
    body = client.get("/showcase/map/", {"measure": "winners"}).content.decode()
    varna = re.search(r'data-region="BG-03" aria-label="([^"]+)"', body).group(1)
    assert varna == "Varna: 1 awarded practice"
    assert 'href="/showcase/?region=%D0%AF%D0%BC%D0%B1%D0%BE%D0%BB' not in body  # no winner
    assert 'aria-current="page">Awarded practices' in body


def test_map_in_bulgarian(client, library):
    client.cookies["django_language"] = "bg"
    body = client.get("/showcase/map/").content.decode()
    assert "Варна: 2 практики" in body and "Карта на практиките по области" in body


def test_another_country_draws_its_map_from_its_own_file(client, library, settings, tmp_path):
    data = tmp_path / "regions.csv"
    data.write_text("iso_3166_2,region_bg,region_en,centre_lat,centre_lon\n"
                    "XX-1,Варна,North,44,20\nXX-2,Ямбол,South,42,20\nXX-3,Трета,East,43,22\n",
                    encoding="utf-8")
    settings.SHOWCASE_REGIONS_FILE = data
    body = client.get("/showcase/map/").content.decode()
    assert len(re.findall(r'class="region-tile shade-\d" data-region=', body)) == 3
    assert 'data-region="XX-1" aria-label="North: 2 practices"' in body


# --- the API ------------------------------------------------------------------------------
def test_api_filters_by_kind_topic_award_and_sorts(client, library):
    first, second, third = (r.entry.practice_id for r in library["results"])
    ids = {p["id"] for p in client.get("/api/v1/practices/", {"type": "service"}).json()["results"]}
    assert ids == {first, second}
    practices = client.get("/api/v1/practices/", {"topic": "social-care"}).json()["results"]
    assert {p["id"] for p in practices} == {first, second}
    assert {t["slug"] for t in practices[0]["topics"]} <= {"digital", "social-care"}
    assert [p["id"] for p in client.get("/api/v1/practices/", {"award": "1"}).json()["results"]
            ] == [first]
    results = client.get("/api/v1/results/", {"topic": "digital"}).json()["results"]
    assert [r["practice"] for r in results] == [first]
    assert results[0]["innovation_type"] == "service"
    by_title = client.get("/api/v1/results/", {"sort": "title"}).json()["results"]
    assert len(by_title) == 3
    assert client.get("/api/v1/results/", {"type": "nonsense"}).status_code == 400
    assert [t["slug"] for t in client.get("/api/v1/topics/").json()["results"]] == [
        "digital", "social-care"]


def test_api_names_the_licence(client, library):
    response = client.get("/api/v1/editions/")
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    assert response.json()["results"][0]["license"] == CC_BY
    assert client.get("/api/v1/practices/")["Link"] == f'<{CC_BY}>; rel="license"'
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.json()["info"]["license"]["url"] == CC_BY


# --- open data ----------------------------------------------------------------------------
def test_pages_and_exports_state_the_licence(client, library):
    for url in (LIST, "/showcase/map/", "/open-data/", "/showcase/older/",
                f"/practices/{library['results'][0].entry.practice_id}/"):
        body = client.get(url).content.decode()
        assert f'rel="license" href="{CC_BY}"' in body, url
    response = client.get("/showcase/older/results.json")
    data = json.loads(response.getvalue())
    assert data["license"]["url"] == CC_BY and response["Link"].startswith(f"<{CC_BY}>")
    assert client.get("/showcase/older/results.csv")["Link"].startswith(f"<{CC_BY}>")
    row = data["results"][0]
    assert row["innovation_type"] == "service" and row["topics"] == ["digital", "social-care"]


def test_bulk_download_has_every_published_edition_and_nothing_else(client, library):
    published_edition(slug="newer", areas=1, entries_per_area=2)
    in_review = RankingResultFactory(run__edition__slug="in-review",
                                     run__edition__phase=Phase.REVIEW)
    payload = json.loads(client.get("/open-data/all-results.json").getvalue())
    assert payload["license"]["url"] == CC_BY
    assert sorted(e["edition"]["slug"] for e in payload["editions"]) == ["newer", "older"]
    response = client.get("/open-data/all-results.csv")
    body = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 5 and {row["edition"] for row in rows} == {"newer", "older"}
    assert "Hidden practice" not in body
    assert in_review.entry.practice.title not in body
    first = next(row for row in rows if row["practice_id"] == str(
        library["results"][0].entry.practice_id))
    assert (first["innovation_type"], first["topics"], first["place"]) == (
        "service", "digital;social-care", "1")
    assert response["Link"] == f'<{CC_BY}>; rel="license"'


def test_data_dictionary_describes_every_column(client, library):
    package = client.get("/open-data/datapackage.json").json()
    assert package["licenses"][0]["path"] == CC_BY
    header = next(csv.reader(io.StringIO(
        client.get("/open-data/all-results.csv").getvalue().decode("utf-8-sig"))))
    fields = package["resources"][0]["schema"]["fields"]
    assert [field["name"] for field in fields] == header
    assert all(field["description"] for field in fields)
    page = client.get("/open-data/").content.decode()
    assert all(f"<code>{name}</code>" in page for name in header)


# --- DCAT-AP --------------------------------------------------------------------------------
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def expand(term: str, context: dict) -> str:
    """A compact IRI (`dcat:Dataset`) as the document's @context defines it."""
    prefix, _colon, local = term.partition(":")
    assert prefix in context, f"{prefix} is not in the @context"
    return context[prefix] + local


def nodes_of_type(node, kind: str, context: dict):
    if isinstance(node, dict):
        types = node.get("@type", [])
        types = types if isinstance(types, list) else [types]
        if any(expand(t, context) == kind for t in types):
            yield node
        for value in node.values():
            yield from nodes_of_type(value, kind, context)
    elif isinstance(node, list):
        for item in node:
            yield from nodes_of_type(item, kind, context)


def properties_of(node):
    """Every property name of a JSON-LD document (its keywords, "@...", aside)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                yield key
            yield from properties_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from properties_of(item)


def test_dcat_ap_catalogue_has_the_mandatory_properties(client, library):
    published_edition(slug="newer", areas=1, entries_per_area=2)
    response = client.get("/open-data/catalog.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    context = document["@context"]
    assert context["dcat"] == DCAT and context["dct"] == DCT
    assert context["foaf"] == "http://xmlns.com/foaf/0.1/"
    assert context["vcard"] == "http://www.w3.org/2006/vcard/ns#"
    # every property used is a compact IRI of a prefix the context defines
    for name in set(properties_of(document)):
        expand(name, context)

    catalogues = list(nodes_of_type(document, DCAT + "Catalog", context))
    assert len(catalogues) == 1
    catalogue = catalogues[0]
    for name in ("dct:title", "dct:description", "dct:publisher", "dcat:dataset"):
        assert catalogue.get(name), name
    assert catalogue["dct:publisher"]["foaf:name"]
    assert catalogue["@id"] == "http://testserver/open-data/catalog.jsonld"
    datasets = list(nodes_of_type(document, DCAT + "Dataset", context))
    assert sorted(d["dct:identifier"] for d in datasets) == ["newer", "older"]
    for dataset in datasets:
        for name in ("dct:title", "dct:description", "dcat:distribution", "dct:publisher",
                     "dcat:contactPoint", "dcat:theme", "dct:spatial", "dct:temporal",
                     "dct:issued", "dct:modified", "dct:license"):
            assert dataset.get(name), name
        assert {t["@language"] for t in dataset["dct:title"]} == {"en", "bg"}
        formats = {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"]}
        assert formats == {"CSV", "JSON"} and len(dataset["dcat:distribution"]) == 3
    distributions = list(nodes_of_type(document, DCAT + "Distribution", context))
    assert len(distributions) == 6
    for distribution in distributions:
        assert distribution["dcat:accessURL"]["@id"].startswith("http://testserver/")
        assert distribution["dct:license"]["@id"] == CC_BY
    # the addresses it gives answer
    for distribution in distributions:
        assert client.get(distribution["dcat:accessURL"]["@id"]).status_code == 200


def test_dcat_lists_no_unpublished_edition(client, library):
    RankingResultFactory(run__edition__slug="in-review", run__edition__phase=Phase.REVIEW)
    document = client.get("/open-data/catalog.jsonld").json()
    assert [d["dct:identifier"] for d in document["dcat:dataset"]] == ["older"]


def test_filters_read_without_the_form_give_the_forms_answer(library):
    from django.http import QueryDict

    from portal import selectors
    from portal.showcase.forms import ShowcaseFilterForm, filter_values, filters_from

    choices = selectors.showcase_choices()
    values = filter_values(choices)
    area = choices.areas[0].pk
    municipality = library["varna"].pk
    for raw in ["", "type=service&topic=digital&sort=title", f"area={area}&award=1",
                f"area=0{area}&municipality={municipality}&region=Варна", "type=magic&sort=x",
                "q=" + "я" * 201, "q=  кметство  &edition=older", "topic=unused&award=winner"]:
        data = QueryDict(raw)
        assert filters_from(data, values) == ShowcaseFilterForm(data, choices=choices).filters()
