"""/showcase/ in the visitor's language: the Region filter named and sorted in it, and the
count of what was found says practices, not results."""

import re

import pytest

from tests.factories import EntryFactory, MunicipalityFactory
from tests.portal.factories_showcase import RankingResultFactory, published_edition

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.fixture
def three_regions():
    run, results = published_edition(areas=1, entries_per_area=3)
    places = [("Ямбол", "Yambol", "Тунджа", "Tundzha"),
              ("Благоевград", "Blagoevgrad", "Банско", "Bansko"),
              ("Шумен", "Shumen", "Велики Преслав", "Veliki Preslav")]
    for result, (region, region_en, name, name_en) in zip(results, places, strict=True):
        practice = result.entry.practice
        practice.municipality = MunicipalityFactory(region=region, region_en=region_en,
                                                    name=name, name_en=name_en)
        practice.save()
    return run, results


def test_showcase_region_filter_is_named_and_sorted_in_english(client, three_regions):
    html = client.get("/showcase/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert options(html, "region")[1:] == [
        ("Благоевград", "Blagoevgrad"), ("Шумен", "Shumen"), ("Ямбол", "Yambol")]
    assert [label for _value, label in options(html, "municipality")[1:]] == [
        "Bansko", "Tundzha", "Veliki Preslav"]


def test_showcase_region_filter_is_named_and_sorted_in_bulgarian(client, three_regions):
    client.post("/i18n/setlang/", {"language": "bg", "next": "/"})
    html = client.get("/showcase/").content.decode()
    assert options(html, "region")[1:] == [
        ("Благоевград", "Благоевград"), ("Шумен", "Шумен"), ("Ямбол", "Ямбол")]
    assert [label for _value, label in options(html, "municipality")[1:]] == [
        "Банско", "Велики Преслав", "Тунджа"]


def test_showcase_count_says_practices_when_each_has_one_result(client, three_regions):
    html = client.get("/showcase/").content.decode()
    assert re.search(r'id="result-count">([^<]*)<', html).group(1) == "3 practices found"


def test_showcase_count_tells_results_from_practices(client, three_regions):
    run, results = three_regions
    other_area = results[0].area.__class__.objects.create(
        edition=run.edition, code="II", title="Друга", order=2, awards=1)
    RankingResultFactory(run=run, entry=EntryFactory(practice=results[0].entry.practice,
                                                     area=other_area, edition=run.edition),
                         rank=1, place=1, total=9.0, criterion_scores=[9.0] * 4)
    html = client.get("/showcase/").content.decode()
    assert re.search(r'id="result-count">([^<]*)<', html).group(1) == \
        "4 results for 3 practices"
