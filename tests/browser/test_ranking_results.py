"""The organiser follows a ranking run's progress bar until its results appear, with charts."""

import re

import pytest
from playwright.sync_api import expect

from scoring.enums import RunStatus
from scoring.models import RankingRun
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from tests.factories import PASSWORD, OrganiserFactory
from tests.scoring.factories_ranking import competition

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_organiser_watches_a_run_finish_and_sees_its_charts(page, live_server):
    game = competition(entries_per_area=3, jurors=3)
    organiser = OrganiserFactory()
    run = ranking_run_create(edition=game.edition)
    RankingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=25,
                                                progress_message="ranking")
    sign_in(page, live_server, organiser.username, PASSWORD)
    page.goto(f"{live_server.url}/organiser/results/{game.edition.slug}/")
    bar = page.get_by_role("progressbar", name=f"Progress of run #{run.pk}")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    expect(page.get_by_text("Ranking, comparing methods and saving the results")).to_be_visible()

    # The worker finishes: the page, polling every second, reloads with the results.
    ranking_run_execute(run_id=run.pk)
    expect(page).to_have_url(re.compile(rf"\?run={run.pk}$"), timeout=10_000)
    expect(page.locator(f'[data-run-progress="{run.pk}"]')).to_have_attribute(
        "data-status", "succeeded")
    expect(page.locator('tr[data-entry] >> nth=0')).to_contain_text(
        game.entries[0].practice.title_en)
    for kind in ("distribution", "leniency"):
        canvas = page.locator(f'canvas[data-chart="{kind}"]')
        expect(canvas).to_have_count(1)
        assert canvas.evaluate("element => Boolean(element.chart)") is True
