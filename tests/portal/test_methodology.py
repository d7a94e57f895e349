"""The public methodology names each statistic and method in words, in the visitor's language."""

import re

import pytest
from django.test import Client
from django.utils import translation

from scoring.engine.constants import AGREEMENT_STATISTIC, METHODS
from scoring.enums import AgreementStatistic, RankingMethod, ranking_method_description
from tests.factories import OrganiserFactory
from tests.portal.factories_showcase import published_edition

pytestmark = pytest.mark.django_db


def _edition_with_report(method="weighted_mean"):
    run, _results = published_edition(slug="bg", criteria=2, areas=1)
    area = run.edition.areas.get()
    run.method = method
    run.report = {"areas": [{"area_id": area.pk, "agreement": 0.61,
                             "agreement_statistic": "krippendorff_alpha_interval",
                             "leniency": []}], "sensitivity": {}}
    run.save()
    return run


def _method_description(body: str) -> str:
    return re.search(r'<span id="method-description">([^<]*)</span>', body).group(1)


def test_methodology_every_engine_method_has_its_own_description():
    assert set(METHODS) == set(RankingMethod.values)
    descriptions = {method: ranking_method_description(method) for method in METHODS}
    assert len(set(descriptions.values())) == len(METHODS)
    assert "" not in descriptions.values()


def test_methodology_every_engine_statistic_has_a_name():
    assert AGREEMENT_STATISTIC in AgreementStatistic.values


@pytest.mark.parametrize("method", ["weighted_mean", "median", "trimmed_mean", "zscore"])
def test_methodology_describes_the_published_method(client, method):
    _edition_with_report(method)
    body = client.get("/showcase/bg/").content.decode()
    with translation.override("en"):
        expected = ranking_method_description(method).replace("'", "&#x27;")
    assert _method_description(body) == expected


def test_methodology_zscore_run_does_not_claim_plain_means(client):
    _edition_with_report("zscore")
    description = _method_description(client.get("/showcase/bg/").content.decode())
    assert description.startswith("Each juror&#x27;s scores are first standardised")
    assert "mean of the entry&#x27;s jury sheets." not in description


def test_methodology_zscore_run_in_bulgarian():
    _edition_with_report("zscore")
    body = Client(HTTP_ACCEPT_LANGUAGE="bg").get("/showcase/bg/").content.decode()
    assert _method_description(body).startswith(
        "Оценките на всеки член на журито първо се стандартизират")
    assert "Стандартизирано за всеки член на журито (z-оценка)" in body


def test_methodology_names_the_agreement_statistic_in_words(client):
    _edition_with_report()
    body = client.get("/showcase/bg/").content.decode()
    assert "0.610 (Krippendorff&#x27;s alpha, interval scale)" in body
    assert "krippendorff_alpha_interval" not in body


def test_methodology_names_the_agreement_statistic_in_bulgarian():
    _edition_with_report()
    body = Client(HTTP_ACCEPT_LANGUAGE="bg").get("/showcase/bg/").content.decode()
    assert "0,610 (Алфа на Крипендорф, интервална скала)" in body
    assert "krippendorff_alpha_interval" not in body


def test_organiser_results_page_names_the_agreement_statistic_in_bulgarian():
    _edition_with_report()
    client = Client(HTTP_ACCEPT_LANGUAGE="bg")
    client.force_login(OrganiserFactory())
    body = client.get("/organiser/results/bg/").content.decode()
    assert "(Алфа на Крипендорф, интервална скала)" in body
    assert "krippendorff_alpha_interval" not in body
