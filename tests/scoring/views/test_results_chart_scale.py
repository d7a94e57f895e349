"""The organiser's results charts: one scale for every area of an edition."""

import math

import pytest
from django.urls import reverse

from scoring.services.ranking import ranking_run_create, ranking_run_execute
from tests.factories import OrganiserFactory
from tests.scoring.factories_ranking import competition

pytestmark = pytest.mark.django_db


def test_results_charts_share_one_scale_across_areas(client):
    # Area I: three entries close together; area II: juror 0 far more lenient.
    game = competition(areas=2, entries_per_area=3, jurors=3,
                       score=lambda a, e, j, c: 9 if a == 0 else (9 if j == 0 else 3))
    ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    client.force_login(OrganiserFactory())
    chart = client.get(reverse("organiser_results", args=[game.edition.slug])).context[
        "page"].chart
    assert [item["counts"].count(3) for item in chart["distribution"]] == [1, 1]
    assert chart["count_max"] == 3
    largest = max(abs(v) for item in chart["leniency"] for v in item["values"])
    assert largest > 0 and chart["leniency_max"] == math.ceil(largest * 2) / 2
