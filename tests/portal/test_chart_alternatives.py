"""Every chart has a text alternative (WCAG 1.1.1, issue 17): each canvas is an image with a
name, described by an element of the page (aria-describedby) that holds its figures."""

import re

import pytest
from django.urls import reverse

from scoring.services.ranking import ranking_run_create, ranking_run_execute
from tests.factories import OrganiserFactory
from tests.portal.factories_showcase import published_edition
from tests.scoring.factories_ranking import competition

pytestmark = pytest.mark.django_db


def described_canvases(body: str) -> list[tuple[str, str]]:
    """Each canvas: (its accessible name, the text of what describes it)."""
    found = []
    for canvas in re.findall(r"<canvas[^>]*>", body):
        assert 'role="img"' in canvas, canvas
        name = re.search(r'aria-label="([^"]+)"', canvas).group(1)
        ids = re.search(r'aria-describedby="([^"]+)"', canvas).group(1).split()
        texts = []
        for element_id in ids:
            element = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', body, re.S)
            assert element, f"{element_id} is not on the page"
            texts.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", element.group(2))).strip())
        found.append((name, " ".join(texts)))
    return found


def test_showcase_charts_are_described_by_their_tables_caption(client):
    run, results = published_edition(slug="charts", areas=2, entries_per_area=3)
    body = client.get(reverse("showcase:edition", args=["charts"])).content.decode()
    canvases = described_canvases(body)
    assert len(canvases) == 2
    for (name, description), area in zip(canvases, run.edition.areas.order_by("order"),
                                         strict=True):
        assert name.startswith(f"Bar chart of the totals in “{area.display_title}”")
        assert description.startswith(f"Ranked entries of “{area.display_title}”")


def test_results_charts_are_described_by_their_figures(client):
    game = competition(entries_per_area=3, jurors=3)
    ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    client.force_login(OrganiserFactory())
    body = client.get(reverse("organiser_results", args=[game.edition.slug])).content.decode()
    canvases = described_canvases(body)
    areas = game.edition.areas.count()
    assert [name for name, _ in canvases] == ["Distribution of totals", "Juror leniency"] * areas
    for (_, distribution), (_, leniency) in zip(canvases[::2], canvases[1::2], strict=True):
        assert "column “Total” of the table above" in distribution
        # the leniency list names every juror of the area with their mean deviation
        assert len(re.findall(r"\(\d+ sheets?\)", leniency)) == 3
