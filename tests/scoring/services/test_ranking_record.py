"""A ranking run is a complete record: the snapshot of its set-up, the entries it left out
and why, a fingerprint over both, and what the organiser sees of them."""

import pytest
from django.urls import reverse

from competitions.models import RubricLevel, ThematicArea
from practices.enums import EntryStatus
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from tests.factories import EntryFactory, OrganiserFactory

from ..factories_ranking import competition, sheet

pytestmark = pytest.mark.django_db


def _computed(game):
    return ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)


@pytest.fixture
def game():
    """Three eligible entries scored by three jurors, and around them an entry without a
    decision, an ineligible one, a withdrawn one, a draft, and an eligible entry with one
    sheet only (the edition needs two)."""
    game = competition(entries_per_area=3, jurors=3, weights=(3, 1))
    area = game.areas[0]
    game.undecided = EntryFactory(area=area, status=EntryStatus.SUBMITTED)
    game.ineligible = EntryFactory(area=area, status=EntryStatus.INELIGIBLE)
    game.withdrawn = EntryFactory(area=area, status=EntryStatus.WITHDRAWN)
    game.draft = EntryFactory(area=area, status=EntryStatus.DRAFT)
    game.short = EntryFactory(area=area)
    sheet(game.short, game.jurors[0], game.criteria, [5, 5])
    return game


def test_ranking_run_snapshot_records_the_setup_and_the_entries_left_out(game):
    first, second = game.criteria
    RubricLevel.objects.create(criterion=first, score=10, description="Отлично",
                               description_en="Outstanding")
    area = game.areas[0]
    run = _computed(game)
    assert run.snapshot == {
        "version": 1, "edition": game.edition.slug, "method": "weighted_mean",
        "parameters": run.parameters, "scale": [0, 10], "min_sheets": 2,
        "criteria": [
            {"id": first.pk, "order": 1, "weight": 3.0, "title": first.title,
             "title_en": first.title_en, "guidance": first.guidance,
             "guidance_en": first.guidance_en,
             "rubric": [{"score": 10, "description": "Отлично",
                         "description_en": "Outstanding"}]},
            {"id": second.pk, "order": 2, "weight": 1.0, "title": second.title,
             "title_en": second.title_en, "guidance": second.guidance,
             "guidance_en": second.guidance_en, "rubric": []}],
        "areas": [{"id": area.pk, "code": "I", "order": 0, "awards": 2, "title": area.title,
                   "title_en": area.title_en, "description": area.description,
                   "description_en": area.description_en}],
        "left_out": [
            {"entry": game.undecided.pk, "area": area.pk, "reason": "undecided"},
            {"entry": game.ineligible.pk, "area": area.pk, "reason": "ineligible"},
            {"entry": game.withdrawn.pk, "area": area.pk, "reason": "withdrawn"},
            {"entry": game.short.pk, "area": area.pk, "reason": "insufficient_reviews"}],
        "counted_sheets": 10,
    }


def test_ranking_run_fingerprint_covers_the_snapshot(game):
    before = _computed(game)
    again = _computed(game)
    assert again.fingerprint == before.fingerprint
    ThematicArea.objects.filter(pk=game.areas[0].pk).update(title_en="Renamed")
    renamed = _computed(game)
    assert renamed.snapshot["areas"][0]["title_en"] == "Renamed"
    assert renamed.fingerprint != before.fingerprint


def test_results_page_names_the_undecided_entries_before_a_run(client, game):
    client.force_login(OrganiserFactory())
    body = client.get(reverse("organiser_results", args=[game.edition.slug])).content.decode()
    assert 'data-undecided="1"' in body
    assert f'data-undecided-entry="{game.undecided.pk}"' in body
    assert "1 submitted entry has no eligibility decision yet" in body
    assert f'data-undecided-entry="{game.ineligible.pk}"' not in body


def test_results_page_shows_what_the_run_left_out_and_why(client, game):
    run = _computed(game)
    client.force_login(OrganiserFactory())
    body = client.get(reverse("organiser_results", args=[game.edition.slug]),
                      {"run": run.pk}).content.decode()
    section = body[body.index("data-left-out>"):]
    section = section[:section.index("</div>")]
    for reason, entry in [("Submitted, no eligibility decision yet", game.undecided),
                          ("Ineligible", game.ineligible), ("Withdrawn", game.withdrawn),
                          ("Too few jury sheets", game.short)]:
        assert f"<strong>{reason}</strong> (1)" in section
        assert f'data-left-out-entry="{entry.pk}"' in section
    assert f'data-left-out-entry="{game.draft.pk}"' not in section
