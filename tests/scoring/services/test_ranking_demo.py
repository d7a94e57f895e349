"""The demo's published run is computed by the ranking job and reproduces the real winners."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import escape

from competitions.enums import Phase
from scoring.enums import RunStatus
from scoring.models import PublicationEvent, RankingResult, RankingRun

pytestmark = pytest.mark.django_db
FACTS = json.loads((Path(__file__).resolve().parents[3] / "portal" / "demo_data"
                    / "edition-bg-2016.json").read_text(encoding="utf-8"))


def test_demo_published_run_reproduces_the_real_winners_in_every_area(demo):
    run = RankingRun.objects.get(edition__slug="bg-2016-2017", is_published=True)
    assert (run.method, run.status) == ("weighted_mean", RunStatus.SUCCEEDED)
    assert run.edition.phase == Phase.PUBLISHED
    placed = sorted(RankingResult.objects.filter(run=run, place__isnull=False)
                    .values_list("area__code", "place", "entry__practice__title_en"))
    expected = sorted((w["area"], w["place"], w["title_en"]) for w in FACTS["winners"])
    assert len(expected) == 6
    assert placed == expected
    assert RankingResult.objects.filter(run=run).count() == 31


def test_demo_loaded_twice_keeps_one_published_run(demo):
    runs = list(RankingRun.objects.order_by("pk").values_list("pk", "is_published"))
    # the published 2016/2017 run, and round 1's (unpublished) run of the two-round edition
    assert [published for _, published in runs] == [True, False]
    call_command("load_demo", "--force")
    assert list(RankingRun.objects.order_by("pk").values_list("pk", "is_published")) == runs
    assert PublicationEvent.objects.count() == 1


def test_demo_showcase_shows_the_computed_winners(demo, client):
    response = client.get("/showcase/bg-2016-2017/")
    assert response.status_code == 200
    page = response.content.decode()
    assert [winner["title_en"] for winner in FACTS["winners"]
            if escape(winner["title_en"]) not in page] == []
